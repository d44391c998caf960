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
import { exited, killAll, settled, spawnWorker as spawnProcess, until } from "../../test/worker-processes.ts";
import { datasetWithEcdJob } from "../../test/fixtures/ecd-job.ts";
import { getJob, isFinished } from "./index.ts";

const { db, url } = createTestDb();
let server: LlmTestServer | undefined;

afterAll(async () => {
  killAll();
  await server?.stop();
});

function spawnWorker(output: string[], command?: string[]) {
  return spawnProcess({ databaseUrl: url, llmUrl: server!.url, output, command });
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

    const { dataset, job } = await datasetWithEcdJob(db, {
      name: "crash",
      seeds: SEEDS,
      thing: "lighthouse",
      reference: "It is tall, white, and bright.",
    });

    const output: string[] = [];
    const first = spawnWorker(output);
    await until("the model to freeze with calls in flight", () => frozen && server!.inFlight > 0, 60_000, output);
    // Let every answer that did arrive be stored, then kill the worker with calls in flight.
    await settled("LlmCall to settle", () => db.llmCall.count({ where: { status: "ok" } }), output);
    await new Promise((r) => setTimeout(r, 300));
    const inFlightAtKill = server.inFlight;
    const runningAtKill = await db.task.findMany({
      where: { jobId: job.id, status: "running" },
      select: { id: true, attempts: true },
    });
    first.kill("SIGKILL");
    expect(await exited(first)).toEqual({ code: null, signal: "SIGKILL" });
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(runningAtKill.length).toBeGreaterThan(0);
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
    // Each task running at the kill ran again. (Counted per task: on a loaded machine a 1.5 s lease
    // can lapse before the kill, so a task may already have been on its second attempt then.)
    const tasks = await db.task.findMany({ where: { jobId: job.id } });
    const attemptsNow = new Map(tasks.map((t) => [t.id, t.attempts]));
    for (const task of runningAtKill) expect(attemptsNow.get(task.id)).toBeGreaterThan(task.attempts);
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
    const { job } = await datasetWithEcdJob(db, {
      name: "sigterm",
      seeds: SEEDS,
      thing: "harbour",
      reference: "It is wide, calm, and busy.",
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

  it("drains the server's worker child on SIGTERM before the server exits", async () => {
    await server?.stop();
    server = await startLlmServer({ latencyMs: 2_500, handler: scriptedHandler() });
    const { job } = await datasetWithEcdJob(db, {
      name: "server-sigterm",
      seeds: 4,
      thing: "bridge",
      reference: "It is long, old, and sturdy.",
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
