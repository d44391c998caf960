/**
 * Crash and resume with real processes: an `ecd worker` process is killed with SIGKILL in the
 * middle of a job (LLM calls in flight, tasks half done), a new worker process resumes the
 * expired leases and finishes the job: no duplicate rows, and no LLM answer paid for twice (the
 * test server counts successful answers per request hash).
 */
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type LlmTestServer, startLlmServer } from "../../test/llm-server.ts";
import { scriptedHandler } from "../../test/scripted-llm.ts";
import { exited, until, workerProcesses } from "../../test/worker-processes.ts";
import { getJob, isFinished, startJob } from "./index.ts";

const { db, url } = createTestDb();
const workers = workerProcesses();
let server: LlmTestServer | undefined;

afterAll(async () => {
  await server?.stop();
});

function spawnWorker(output: string[], command?: string[]) {
  return workers.spawnWorker(
    {
      DATABASE_URL: url,
      OPENAI_BASE_URL: server!.url,
      OPENAI_API_KEY: "test-key",
      ECD_PROVIDERS_FILE: "",
      ECD_LEASE_MS: "1500",
      ECD_RETRY_DELAY_MS: "100",
    },
    output,
    command,
  );
}

describe("a worker process killed mid-job", () => {
  it("is resumed by another worker process: the job finishes with no duplicate pairs and no call paid twice", async () => {
    const SEEDS = 8;
    const CALLS_PER_SEED = 4; // evolver, responder, evolver, responder
    let frozen = false;
    let thawed = false;
    const normal = scriptedHandler();
    // From the 13th request on, answers are held back (as if the model were slow) until unfrozen.
    server = await startLlmServer({
      latencyMs: 20,
      handler: (body, info) => {
        if (info.requestNumber >= 13 && !thawed) frozen = true;
        return frozen ? { delayMs: 60_000 } : normal(body, info);
      },
    });

    const dataset = await db.dataset.create({ data: { name: "crash", settings: {} } });
    for (let i = 0; i < SEEDS; i++) {
      await db.seed.create({
        data: {
          datasetId: dataset.id,
          instruction: `Describe lighthouse number ${i}.`,
          referenceResponse: "It is tall, white, and bright.",
          contentHash: `c${i}`,
          source: "plain",
          metadata: {},
        },
      });
    }
    const model = { provider: "openai", model: "test-model" };
    const job = await startJob(db, {
      datasetId: dataset.id,
      pipeline: "ecd",
      params: { rounds: 2, r0Source: "reference", operations: ["add_verifiable"], concurrency: 4 },
      models: { evolver: model, responder: model, judge: model },
    });

    const output: string[] = [];
    const first = spawnWorker(output);
    await until("the model to freeze with calls in flight", () => frozen && server!.inFlight > 0, 60_000, output);
    // Let every answer that did arrive be stored, then kill the worker with calls in flight.
    let stored = -1;
    await until(
      "LlmCall to settle",
      async () => {
        const now = await db.llmCall.count({ where: { status: "ok" } });
        const settled = now === stored;
        stored = now;
        return settled;
      },
      10_000,
      output,
    );
    await new Promise((r) => setTimeout(r, 300));
    const inFlightAtKill = server.inFlight;
    const runningAtKill = await db.task.count({ where: { jobId: job.id, status: "running" } });
    first.kill("SIGKILL");
    expect(await exited(first)).toEqual({ code: null, signal: "SIGKILL" });
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(runningAtKill).toBeGreaterThan(0);
    const doneAtKill = (await getJob(db, job.id)).tasksDone;
    expect(doneAtKill).toBeLessThan(SEEDS);

    thawed = true;
    frozen = false;
    const second = spawnWorker(output);
    await until("the job to finish", async () => isFinished((await getJob(db, job.id)).status), 90_000, output);
    second.kill("SIGTERM");
    expect(await exited(second)).toEqual({ code: 0, signal: null });

    const done = await getJob(db, job.id);
    expect(done).toMatchObject({ status: "succeeded", tasksDone: SEEDS, tasksFailed: 0, pairs: SEEDS * 2 });
    // Resumed tasks ran a second attempt.
    const tasks = await db.task.findMany({ where: { jobId: job.id } });
    expect(tasks.filter((t) => t.attempts === 2).length).toBe(runningAtKill);
    // No duplicates: exactly one row per key.
    expect(await db.node.count({ where: { jobId: job.id } })).toBe(SEEDS * 2);
    expect(await db.response.count({ where: { jobId: job.id } })).toBe(SEEDS * 3);
    const pairs = await db.pair.findMany({ where: { jobId: job.id }, select: { runKey: true } });
    expect(new Set(pairs.map((p) => p.runKey)).size).toBe(SEEDS * 2);
    expect(
      await db.pairCount.findUnique({ where: { datasetId_status: { datasetId: dataset.id, status: "pending" } } }),
    ).toMatchObject({ count: SEEDS * 2 });
    // No repeated paid call: every answer the server gave successfully was given once, and each is stored.
    expect(server.repeatedPaidCalls()).toEqual([]);
    expect(server.paidPerHash.size).toBe(SEEDS * CALLS_PER_SEED);
    expect(await db.llmCall.count({ where: { status: "ok", jobId: job.id } })).toBe(SEEDS * CALLS_PER_SEED);
  }, 180_000);

  it("stops gracefully on SIGTERM: calls in flight finish and are stored, leases are released, nothing is asked twice", async () => {
    await server?.stop();
    const SEEDS = 8;
    const CALLS_PER_SEED = 4;
    // Every answer takes 2.5 s, so calls are in flight whenever the worker is told to stop, and a
    // task (4 calls) takes longer than a stop that waited for whole tasks would allow.
    server = await startLlmServer({ latencyMs: 2_500, handler: scriptedHandler() });
    const dataset = await db.dataset.create({ data: { name: "sigterm", settings: {} } });
    for (let i = 0; i < SEEDS; i++) {
      await db.seed.create({
        data: {
          datasetId: dataset.id,
          instruction: `Describe harbour number ${i}.`,
          referenceResponse: "It is wide, calm, and busy.",
          contentHash: `t${i}`,
          source: "plain",
          metadata: {},
        },
      });
    }
    const model = { provider: "openai", model: "test-model" };
    const job = await startJob(db, {
      datasetId: dataset.id,
      pipeline: "ecd",
      params: { rounds: 2, r0Source: "reference", operations: ["add_verifiable"], concurrency: 4 },
      models: { evolver: model, responder: model, judge: model },
    });

    const output: string[] = [];
    const first = spawnWorker(output);
    await until(
      "calls in flight after a few answers",
      () => server!.totalRequests >= 6 && server!.inFlight > 0,
      60_000,
      output,
    );
    expect(server.inFlight).toBeGreaterThan(0);
    const stopAt = Date.now();
    first.kill("SIGTERM");
    expect(await exited(first)).toEqual({ code: 0, signal: null });
    // It waited for the calls in flight, not for whole tasks.
    expect(Date.now() - stopAt).toBeLessThan(7_000);
    // Every request the server received was answered to a process that stored the answer.
    expect(server.inFlight).toBe(0);
    const answered = server.requests.filter((r) => r.status === 200).length;
    expect(answered).toBe(server.totalRequests);
    expect(await db.llmCall.count({ where: { status: "ok", jobId: job.id } })).toBe(answered);
    // Leases released, the attempt not counted.
    const afterStop = await db.task.findMany({ where: { jobId: job.id } });
    expect(afterStop.filter((t) => t.status === "running")).toEqual([]);
    expect(afterStop.filter((t) => t.status === "queued" && t.leaseOwner === null).length).toBeGreaterThan(0);
    expect(afterStop.every((t) => t.attempts <= 1)).toBe(true);
    expect((await getJob(db, job.id)).tasksDone).toBeLessThan(SEEDS);

    const second = spawnWorker(output);
    await until("the job to finish", async () => isFinished((await getJob(db, job.id)).status), 90_000, output);
    second.kill("SIGTERM");
    expect(await exited(second)).toEqual({ code: 0, signal: null });
    expect(await getJob(db, job.id)).toMatchObject({ status: "succeeded", tasksDone: SEEDS, pairs: SEEDS * 2 });
    // The server's per-request log: no request was made twice.
    expect([...server.requestsPerHash.values()].filter((n) => n > 1)).toEqual([]);
    expect(server.totalRequests).toBe(SEEDS * CALLS_PER_SEED);
  }, 180_000);

  it("drains the server's in-process worker on SIGTERM before the server exits", async () => {
    await server?.stop();
    server = await startLlmServer({ latencyMs: 2_500, handler: scriptedHandler() });
    const dataset = await db.dataset.create({ data: { name: "server-sigterm", settings: {} } });
    for (let i = 0; i < 4; i++)
      await db.seed.create({
        data: {
          datasetId: dataset.id,
          instruction: `Describe bridge number ${i}.`,
          referenceResponse: "It is long, old, and sturdy.",
          contentHash: `s${i}`,
          source: "plain",
          metadata: {},
        },
      });
    const model = { provider: "openai", model: "test-model" };
    const job = await startJob(db, {
      datasetId: dataset.id,
      pipeline: "ecd",
      params: { rounds: 2, r0Source: "reference", operations: ["add_verifiable"], concurrency: 4 },
      models: { evolver: model, responder: model, judge: model },
    });
    const output: string[] = [];
    const child = spawnWorker(output, ["test/embedded-worker-server.ts"]);
    await until("calls in flight", () => server!.totalRequests >= 4 && server!.inFlight > 0, 60_000, output);
    child.kill("SIGTERM");
    // The server's own exit code, after the worker stopped.
    expect(await exited(child)).toEqual({ code: 143, signal: null });
    expect(output.join("")).toContain("generation worker stopped; its tasks are released");
    expect(server.inFlight).toBe(0);
    const answered = server.requests.filter((r) => r.status === 200).length;
    expect(answered).toBe(server.totalRequests);
    expect(await db.llmCall.count({ where: { status: "ok", jobId: job.id } })).toBe(answered);
    const tasks = await db.task.findMany({ where: { jobId: job.id } });
    expect(tasks.filter((t) => t.status === "running" || t.leaseOwner !== null)).toEqual([]);
  }, 120_000);
});
