/**
 * Scale-out on PostgreSQL with real processes: four `ecd worker` processes share one database and
 * one provider whose `concurrency` is 8, against the local test LLM server; two jobs, each capped
 * at 5 running tasks, ask for more than 8 calls at once. The server never sees more than 8
 * requests in flight, no job ever has more than 5 tasks at work, and a worker SIGKILLed while it
 * holds tasks and provider slots loses nothing: its tasks are resumed once their leases expire,
 * the jobs finish with exactly one row per key, and its provider slots come back.
 *
 * PostgreSQL only: several worker processes on one SQLite file are not a supported deployment
 * (README, "Scale-out").
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type ChatCompletionBody, type LlmTestServer, startLlmServer } from "../../test/llm-server.ts";
import { scriptedHandler } from "../../test/scripted-llm.ts";
import { listProviderSlots } from "../db/provider-slot-sql.ts";
import { Semaphore } from "../llm/limiter.ts";
import { ProviderSlots } from "../llm/provider-slots.ts";
import { getJob, isFinished, startJob } from "./index.ts";

const onPostgres = process.env.TEST_DB === "postgres";
const { db, url } = createTestDb();
const ROOT = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "ecd-scale-"));
const children: ChildProcess[] = [];
let server: LlmTestServer | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const PROVIDER = "local";
const PROVIDER_CONCURRENCY = 8;
const JOB_CAP = 5;
// Long enough that a loaded machine's heartbeats keep it; a killed worker's tasks wait this long.
const LEASE_MS = 5_000;
const SEEDS_PER_JOB = 12;
const CALLS_PER_SEED = 4; // evolver, responder, evolver, responder

function spawnWorker(output: string[], providersFile: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/main.ts", "worker", "--slots", "4"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      ECD_PROVIDERS_FILE: providersFile,
      OPENAI_BASE_URL: "",
      OPENAI_API_KEY: "",
      ECD_LEASE_MS: String(LEASE_MS),
      ECD_RETRY_DELAY_MS: "100",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

async function until(what: string, predicate: () => Promise<boolean> | boolean, timeoutMs: number, output: string[]) {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out waiting for ${what}; worker output:\n${output.join("")}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The job and seed a request works for, from the seed text in its messages ("… lighthouse A7 …"). */
function taskOf(body: ChatCompletionBody): { job: string; seed: string } | null {
  const text = body.messages.map((m) => m.content).join("\n");
  const match = /landmark ([AB])(\d+)\b/.exec(text);
  return match ? { job: match[1]!, seed: match[2]! } : null;
}

describe.skipIf(!onPostgres)("4 worker processes on PostgreSQL (skipped on SQLite: not a supported deployment)", () => {
  it("hold the provider's concurrency and each job's cap over all processes, and lose nothing to a SIGKILL", async () => {
    // Per job: the most distinct tasks with a request in flight at once, seen by the server.
    const maxTasksInFlight = new Map<string, number>();
    const normal = scriptedHandler();
    server = await startLlmServer({
      latencyMs: 300,
      handler: (body, info) => {
        const tasks = new Map<string, Set<string>>();
        for (const active of server!.active) {
          const task = taskOf(active);
          if (task) tasks.set(task.job, (tasks.get(task.job) ?? new Set()).add(task.seed));
        }
        for (const [job, seeds] of tasks)
          maxTasksInFlight.set(job, Math.max(maxTasksInFlight.get(job) ?? 0, seeds.size));
        return normal(body, info);
      },
    });
    const providersFile = path.join(dir, "providers.json");
    writeFileSync(
      providersFile,
      JSON.stringify({
        providers: [
          { name: PROVIDER, baseUrl: server.url, concurrency: PROVIDER_CONCURRENCY, models: [{ name: "test-model" }] },
        ],
      }),
    );

    const model = { provider: PROVIDER, model: "test-model" };
    const jobs: Awaited<ReturnType<typeof startJob>>[] = [];
    for (const name of ["A", "B"]) {
      const dataset = await db.dataset.create({ data: { name: `scale ${name}`, settings: {} } });
      await db.seed.createMany({
        data: Array.from({ length: SEEDS_PER_JOB }, (_, i) => ({
          datasetId: dataset.id,
          instruction: `Describe landmark ${name}${i} in a few words.`,
          referenceResponse: "It is tall, white, and bright.",
          contentHash: `${name}${i}`,
          source: "plain",
          metadata: {},
        })),
      });
      jobs.push(
        await startJob(db, {
          datasetId: dataset.id,
          pipeline: "ecd",
          params: { rounds: 2, r0Source: "reference", operations: ["add_verifiable"], concurrency: JOB_CAP },
          models: { evolver: model, responder: model, judge: model },
        }),
      );
    }

    // The job cap measured in the database too: running tasks with a live lease, sampled. And once
    // the victim is killed: when another process first takes each slot it held.
    let maxLiveLeases = 0;
    let sampling = true;
    let victimSlots: { slot: number; holder: string | null; leaseExpiresAt: Date | null }[] = [];
    const retakenAt = new Map<number, number>();
    const sampler = (async () => {
      while (sampling) {
        const now = new Date();
        if (victimSlots.length)
          for (const row of await listProviderSlots(db, PROVIDER)) {
            const held = victimSlots.find((v) => v.slot === row.slot);
            if (held && row.holder !== null && row.holder !== held.holder && !retakenAt.has(row.slot))
              retakenAt.set(row.slot, now.getTime());
          }
        for (const job of jobs) {
          const live = await db.task.count({
            where: { jobId: job.id, status: "running", leaseExpiresAt: { gte: now } },
          });
          maxLiveLeases = Math.max(maxLiveLeases, live);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })().catch((error: unknown) => {
      if (sampling) throw error;
    });
    onTestFinished(() => {
      sampling = false;
    });

    const output: string[] = [];
    const workers = Array.from({ length: 4 }, () => spawnWorker(output, providersFile));
    // The victim: a worker caught at work, holding a task and a provider slot (a request in flight).
    let victim: ChildProcess | undefined;
    await until(
      "a worker holding a task and a provider slot",
      async () => {
        if (server!.totalRequests < 10) return false;
        const now = new Date();
        const slots = await listProviderSlots(db, PROVIDER);
        const tasks = await db.task.findMany({
          where: { status: "running", leaseExpiresAt: { gte: now } },
          select: { leaseOwner: true },
        });
        victim = workers.find((worker) => {
          const tag = `:${worker.pid}:`;
          return tasks.some((t) => t.leaseOwner?.includes(tag)) && slots.some((s) => s.holder?.includes(tag));
        });
        return victim !== undefined;
      },
      60_000,
      output,
    );
    const victimTag = `:${victim!.pid}:`;
    victim!.kill("SIGKILL");
    expect(await exited(victim!)).toEqual({ code: null, signal: "SIGKILL" });
    const heldByVictim = (await listProviderSlots(db, PROVIDER)).filter((s) => s.holder?.includes(victimTag));
    victimSlots = heldByVictim;
    const victimTasks = await db.task.findMany({ where: { leaseOwner: { contains: victimTag }, status: "running" } });
    expect(heldByVictim.length).toBeGreaterThan(0);
    expect(victimTasks.length).toBeGreaterThan(0);
    for (const job of jobs) expect((await getJob(db, job.id)).status).toBe("running");

    await until(
      "both jobs to finish",
      async () => (await Promise.all(jobs.map((job) => getJob(db, job.id)))).every((job) => isFinished(job.status)),
      120_000,
      output,
    );
    sampling = false;
    await sampler;
    const survivors = workers.filter((worker) => worker !== victim);
    for (const worker of survivors) worker.kill("SIGTERM");
    for (const worker of survivors) expect(await exited(worker)).toEqual({ code: 0, signal: null });

    console.log(
      `scale-out: server max in flight ${server.maxInFlight}, max live leases per job ${maxLiveLeases}, ` +
        `max tasks in flight per job ${JSON.stringify(Object.fromEntries(maxTasksInFlight))}, ` +
        `victim held ${heldByVictim.length} slot(s) and ${victimTasks.length} task(s)`,
    );
    // The caps held over all four processes.
    expect(server.maxInFlight).toBeLessThanOrEqual(PROVIDER_CONCURRENCY);
    // …and were under pressure: more calls were wanted than one job's cap allows.
    expect(server.maxInFlight).toBeGreaterThan(JOB_CAP);
    expect(maxLiveLeases).toBeLessThanOrEqual(JOB_CAP);
    expect(maxLiveLeases).toBeGreaterThan(0);
    expect(Math.max(...maxTasksInFlight.values())).toBeLessThanOrEqual(JOB_CAP);
    expect([...maxTasksInFlight.keys()].sort()).toEqual(["A", "B"]);

    // No lost task, no duplicate row.
    for (const job of jobs) {
      expect(await getJob(db, job.id)).toMatchObject({
        status: "succeeded",
        tasksDone: SEEDS_PER_JOB,
        tasksFailed: 0,
        pairs: SEEDS_PER_JOB * 2,
      });
      expect(await db.node.count({ where: { jobId: job.id } })).toBe(SEEDS_PER_JOB * 2);
      expect(await db.response.count({ where: { jobId: job.id } })).toBe(SEEDS_PER_JOB * 3);
      const pairs = await db.pair.findMany({ where: { jobId: job.id }, select: { runKey: true } });
      expect(pairs).toHaveLength(SEEDS_PER_JOB * 2);
      expect(new Set(pairs.map((p) => p.runKey)).size).toBe(SEEDS_PER_JOB * 2);
      expect(await db.llmCall.count({ where: { status: "ok", jobId: job.id } })).toBe(SEEDS_PER_JOB * CALLS_PER_SEED);
    }
    // The victim's tasks ran again elsewhere.
    const resumed = await db.task.findMany({ where: { id: { in: victimTasks.map((t) => t.id) } } });
    expect(resumed.map((t) => [t.status, t.attempts])).toEqual(victimTasks.map(() => ["succeeded", 2]));

    // Its provider slots came back when their leases expired (not before, as far as the samples
    // show), and all 8 can be taken now: none is held by the dead process.
    for (const held of heldByVictim) {
      const at = retakenAt.get(held.slot);
      if (at !== undefined) expect(at).toBeGreaterThanOrEqual(held.leaseExpiresAt!.getTime());
    }
    const slots = new ProviderSlots(db, PROVIDER, new Semaphore(PROVIDER_CONCURRENCY), { leaseMs: 10_000 });
    const releases = await Promise.all(Array.from({ length: PROVIDER_CONCURRENCY }, () => slots.acquire()));
    expect((await listProviderSlots(db, PROVIDER)).filter((s) => s.holder?.includes(victimTag))).toEqual([]);
    for (const release of releases) release();
  }, 240_000);
});
