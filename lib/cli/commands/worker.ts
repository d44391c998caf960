import { z } from "zod";
import { configureDatabase, getDb } from "../../db/client.ts";
import { refusePendingMigrations } from "../../db/migrate.ts";
import { createWorker, queueEvents } from "../../jobs/index.ts";
import type { WorkerChildMessage } from "../../jobs/worker-child.ts";
import { numberFlag, parseCommandArgs } from "../args.ts";
import type { CliCommand } from "../command.ts";

const MAX_SLOTS = 1_000;
const MAX_LEASE_MS = 60 * 60_000;

export const workerCommand: CliCommand = {
  name: "worker",
  summary: "Run generation tasks until stopped (Ctrl-C / SIGTERM stops it gracefully)",
  usage: [
    "ecd worker [--slots N] [--lease-ms N] [--quiet]",
    "",
    "  --slots N      tasks this process runs at once (default ECD_WORKER_SLOTS or 32; each job's",
    "                 concurrency still caps its own tasks over all workers)",
    "  --lease-ms N   lease length (default ECD_LEASE_MS or 30000); a killed worker's tasks are",
    "                 resumed by another worker once their lease expires",
    "  --quiet        no line per finished task (the server's own worker child runs with it)",
    "",
    "Providers come from the environment and providers.json, as for the server (lib/llm/README.md).",
  ].join("\n"),
  async run(args, io) {
    const opts = parseCommandArgs(
      args,
      { slots: { type: "string" }, "lease-ms": { type: "string" }, quiet: { type: "boolean" } },
      z.object({
        quiet: z.boolean().optional(),
        slots: numberFlag(1, MAX_SLOTS).optional(),
        "lease-ms": numberFlag(1_000, MAX_LEASE_MS).optional(),
      }),
    );
    await refusePendingMigrations();
    const db = getDb();
    await configureDatabase(db);
    const worker = createWorker(db, {
      slots: opts.slots,
      leaseMs: opts["lease-ms"],
      log: (message) => io.stderr(message + "\n"),
      onTaskEnd: opts.quiet
        ? undefined
        : (event) =>
            io.stdout(
              `task ${event.task.id} (job ${event.task.jobId}, attempt ${event.task.attempts}): ${event.outcome}${event.error ? `: ${event.error}` : ""} (${event.ms} ms)\n`,
            ),
    }).start();
    io.stdout(`worker ${worker.id} started: ${worker.slots} slots, lease ${worker.leaseMs} ms\n`);
    // Started by the server (lib/jobs/worker-child.ts): it forwards "work" wake-ups and asks for a
    // graceful "stop" over the IPC channel; a closed channel means the server is gone.
    const onMessage = (message: WorkerChildMessage) => {
      if (message === "work") queueEvents.emit("work");
    };
    process.on("message", onMessage);
    await new Promise<void>((resolve) => {
      const stop = (reason: string) => {
        io.stdout(`worker ${worker.id}: ${reason}, finishing running tasks…\n`);
        process.off("SIGINT", onInt);
        process.off("SIGTERM", onTerm);
        process.off("message", onStopMessage);
        process.off("disconnect", onDisconnect);
        resolve();
      };
      const onInt = () => stop("SIGINT");
      const onTerm = () => stop("SIGTERM");
      const onStopMessage = (message: WorkerChildMessage) => {
        if (message === "stop") stop("stop asked by the server");
      };
      const onDisconnect = () => stop("the server is gone");
      process.on("SIGINT", onInt);
      process.on("SIGTERM", onTerm);
      if (process.send) {
        // Our output goes through the server: once it is gone, writes fail (EPIPE) and are dropped.
        for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
        process.on("message", onStopMessage);
        process.on("disconnect", onDisconnect);
        if (!process.connected) onDisconnect(); // it died while this process was starting
      }
    });
    process.off("message", onMessage);
    // Drain at once: no new call; calls in flight finish and are stored; tasks are released.
    await worker.stop({ graceMs: 0 });
    io.stdout(`worker ${worker.id} stopped\n`);
    if (process.connected) process.disconnect(); // lets the process exit
    return 0;
  },
};
