/**
 * The server's worker runs in a child process (`ecd worker`), never on the web server's event loop:
 * a job's CPU work (verification, rule-based generation, pair writes) cannot stall a request.
 *
 * - Wake-up: work queued by this server (queueEvents) is forwarded to the child over the IPC
 *   channel, so a job starts at once on SQLite too (where there is no LISTEN/NOTIFY).
 * - Crash: a child that exits on its own is restarted (1 s, doubling to 30 s); its leases expire
 *   and its tasks are resumed, as for any killed worker.
 * - Shutdown: SIGTERM/SIGINT to the server asks the child to stop (no new claims or calls, calls in
 *   flight finish and are stored, tasks released) and the server's exit waits for the child.
 * - Orphans: the child stops the same way when the server dies (its IPC channel closes).
 */
import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { queueEvents } from "./commands.ts";

/** Messages the server sends to its worker child (lib/cli/commands/worker.ts handles them). */
export type WorkerChildMessage = "work" | "stop";

export interface WorkerChild {
  readonly pid: number | undefined;
  /** Asks the child to stop gracefully; resolves when it exited. */
  stop(): Promise<void>;
}

export interface StartWorkerChildOptions {
  log?: (message: string) => void;
  /** Default: the compiled CLI through scripts/ecd.mjs (rebuilt when lib/ is newer), `worker --quiet`. */
  command?: string[];
}

const RESTART_FIRST_MS = 1_000;
const RESTART_MAX_MS = 30_000;

export function startWorkerChild(options: StartWorkerChildOptions = {}): WorkerChild {
  const log = options.log ?? ((message: string) => console.log(message));
  // Resolved from the project folder, where the server runs (the bundled server has no source folder).
  const command = options.command ?? [path.resolve(/* turbopackIgnore: true */ "scripts/ecd.mjs"), "worker", "--quiet"];
  const nice = workerNice(process.env.ECD_WORKER_NICE);
  let child: ChildProcess | null = null;
  let stopping = false;
  let restartMs = RESTART_FIRST_MS;
  let exited: Promise<void> = Promise.resolve();

  const send = (message: WorkerChildMessage) => {
    if (child?.connected) child.send(message, () => {});
  };
  const onWork = () => send("work");

  const launch = () => {
    const started = Date.now();
    // Output through this process (not inherited): a child left without its server gets EPIPE
    // on a write, never a write that blocks forever on a pipe nobody reads.
    const proc = spawn(process.execPath, command, { stdio: ["ignore", "pipe", "pipe", "ipc"], env: process.env });
    proc.stdout!.pipe(process.stdout, { end: false });
    proc.stderr!.pipe(process.stderr, { end: false });
    child = proc;
    exited = new Promise((resolve) => {
      proc.once("exit", (code, signal) => {
        child = null;
        resolve();
        if (stopping) return;
        // Ran for a while: a fresh failure, not a crash loop.
        if (Date.now() - started > 60_000) restartMs = RESTART_FIRST_MS;
        log(
          `[ecd] the worker process exited (${signal ?? `code ${code}`}); restarting it in ${restartMs / 1000} s (its tasks resume when their leases expire)`,
        );
        setTimeout(() => {
          if (!stopping) launch();
        }, restartMs).unref();
        restartMs = Math.min(restartMs * 2, RESTART_MAX_MS);
      });
    });
    proc.once("error", (error) => log(`[ecd] cannot start the worker process: ${error.message}`));
    lowerPriority(proc, nice, log);
  };

  queueEvents.on("work", onWork);
  launch();
  return {
    get pid() {
      return child?.pid;
    },
    async stop() {
      stopping = true;
      queueEvents.off("work", onWork);
      if (child?.connected) send("stop");
      else child?.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * The worker child runs at a lower CPU priority than the web server (niceness ECD_WORKER_NICE,
 * default 10; 0 keeps it equal): on a small machine a rule-based job would otherwise take the
 * cores that page requests need. Only CPU scheduling changes; the job still uses every idle cycle.
 */
function lowerPriority(proc: ChildProcess, nice: number, log: (message: string) => void): void {
  if (proc.pid === undefined || nice === 0) return;
  try {
    os.setPriority(proc.pid, Math.min(19, os.getPriority(process.pid) + nice));
  } catch (error) {
    log(`[ecd] cannot lower the worker process's priority: ${(error as Error).message}`);
  }
}

/** ECD_WORKER_NICE, checked when the server starts its worker (a bad value stops the start). */
export function workerNice(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 10;
  const nice = Number(value);
  if (!Number.isInteger(nice) || nice < 0 || nice > 19)
    throw new Error(`ECD_WORKER_NICE must be a whole number from 0 to 19 (got "${value}")`);
  return nice;
}
