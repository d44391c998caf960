import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createDb, type Db } from "../db/client.ts";
import {
  cancelJob,
  claimTask,
  completeTask,
  failExhaustedTasks,
  failTaskAttempt,
  heartbeatTasks,
  NO_USAGE,
  retryFailedTasks,
  startJob,
} from "./commands.ts";
import type { TaskHandler } from "./handlers.ts";
import { getJob } from "./read-models.ts";
import { JobWorker, PermanentTaskError } from "./worker.ts";

const { db, url } = createTestDb();
const RB = { provider: "rule-based", model: "" };
const ECD_MODELS = { evolver: RB, responder: RB, judge: RB };

async function datasetWithSeeds(name: string, count: number) {
  const dataset = await db.dataset.create({ data: { name, settings: {} } });
  for (let i = 0; i < count; i++) {
    await db.seed.create({
      data: {
        datasetId: dataset.id,
        instruction: `${name} seed ${i}`,
        contentHash: `${name}-${i}`,
        source: "plain",
        metadata: {},
      },
    });
  }
  return dataset;
}

async function newJob(name: string, seeds: number, params: Record<string, number> = {}) {
  const dataset = await datasetWithSeeds(name, seeds);
  const job = await startJob(db, {
    datasetId: dataset.id,
    pipeline: "ecd",
    params: { concurrency: 256, ...params },
    models: ECD_MODELS,
  });
  return { dataset, job };
}

/** Clears the queue between tests: every job left open is cancelled. */
async function closeOpenJobs() {
  await db.job.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "cancelled" } });
}

async function until(predicate: () => Promise<boolean>, timeoutMs = 10_000) {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("job queue", () => {
  it("creates one task per seed (limit N) and a depth-0 node for seeds that lack one", async () => {
    const dataset = await datasetWithSeeds("start", 5);
    const seeds = await db.seed.findMany({ where: { datasetId: dataset.id }, orderBy: { id: "asc" } });
    await db.node.create({
      data: {
        datasetId: dataset.id,
        seedId: seeds[0].id,
        depth: 0,
        instruction: seeds[0].instruction,
        constraints: [],
      },
    });
    const job = await startJob(db, {
      datasetId: dataset.id,
      pipeline: "c2s",
      limit: 3,
      models: { evolver: RB, student: RB, teacher: RB },
      createdById: null,
    });
    expect(job.tasksTotal).toBe(3);
    const tasks = await db.task.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } });
    expect(tasks.map((t) => t.seedId)).toEqual(seeds.slice(0, 3).map((s) => s.id));
    expect(tasks.every((t) => t.status === "queued" && t.attempts === 0 && t.maxAttempts === 3)).toBe(true);
    const nodes = await db.node.findMany({ where: { datasetId: dataset.id, depth: 0 } });
    expect(nodes.map((n) => n.seedId).sort()).toEqual(
      seeds
        .slice(0, 3)
        .map((s) => s.id)
        .sort(),
    );
    expect(await db.auditEvent.count({ where: { action: "job.start", entityId: String(job.id) } })).toBe(1);

    await expect(
      startJob(db, { datasetId: dataset.id, pipeline: "c2s", models: { evolver: RB, student: RB } }),
    ).rejects.toThrow(/teacher/);
    const empty = await db.dataset.create({ data: { name: "empty", settings: {} } });
    await expect(startJob(db, { datasetId: empty.id, pipeline: "ecd", models: ECD_MODELS })).rejects.toThrow(
      /no seeds/,
    );
    await closeOpenJobs();
  });

  it("never hands the same task to two of many concurrent claimers on separate connections", async () => {
    const { job } = await newJob("atomic", 60);
    const clients: Db[] = Array.from({ length: 4 }, () => createDb(url));
    try {
      const claims = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          claimTask(clients[i % clients.length], { owner: `w${i}`, leaseMs: 60_000 }),
        ),
      );
      const got = claims.filter((c) => c !== null);
      expect(got).toHaveLength(60);
      expect(new Set(got.map((c) => c!.id)).size).toBe(60);
      const tasks = await db.task.findMany({ where: { jobId: job.id } });
      expect(tasks.every((t) => t.status === "running" && t.attempts === 1)).toBe(true);
      // Each task's lease owner is the claimer that got it.
      const owner = new Map(claims.flatMap((c, i) => (c ? [[c.id, `w${i}`] as const] : [])));
      for (const t of tasks) expect(t.leaseOwner).toBe(owner.get(t.id));
      expect((await getJob(db, job.id)).status).toBe("running");
    } finally {
      await Promise.all(clients.map((c) => c.$disconnect()));
      await closeOpenJobs();
    }
  });

  it("respects the job's concurrency over all claimers, and reclaims an expired lease (resume)", async () => {
    const { job } = await newJob("lease", 3, { concurrency: 2 });
    const a = await claimTask(db, { owner: "a", leaseMs: 1_000 });
    const b = await claimTask(db, { owner: "b", leaseMs: 60_000 });
    expect(await claimTask(db, { owner: "c", leaseMs: 60_000 })).toBeNull();
    // a's worker died: once its lease expires, its task is claimed again, with a new attempt.
    const later = new Date(Date.now() + 2_000);
    const resumed = await claimTask(db, { owner: "c", leaseMs: 60_000, now: later });
    expect(resumed).toMatchObject({ id: a!.id, attempts: 2 });
    // The old owner lost it: its heartbeat says so, and its completion writes nothing.
    expect(await heartbeatTasks(db, { owner: "a", taskIds: [a!.id], leaseMs: 1_000 })).toEqual({
      lost: [a!.id],
      cancelled: [],
    });
    let wrote = false;
    expect(
      await completeTask(
        db,
        { taskId: a!.id, jobId: job.id, owner: "a", usage: NO_USAGE },
        async () => void (wrote = true),
      ),
    ).toBe(false);
    expect(wrote).toBe(false);
    expect(await heartbeatTasks(db, { owner: "b", taskIds: [b!.id], leaseMs: 60_000 })).toEqual({
      lost: [],
      cancelled: [],
    });
    await closeOpenJobs();
  });

  it("retries a failed attempt after a delay, then fails the task for good and finishes the job", async () => {
    const { job } = await newJob("retry", 1, { maxAttempts: 2 });
    const usage = { promptTokens: 10, completionTokens: 5, costUsd: 0.01 };
    const first = await claimTask(db, { owner: "w", leaseMs: 60_000 });
    expect(
      await failTaskAttempt(db, {
        taskId: first!.id,
        jobId: job.id,
        owner: "w",
        error: "HTTP 500 after 3 tries",
        usage,
        retryDelayMs: 5_000,
      }),
    ).toBe("retry");
    expect(await db.task.findUnique({ where: { id: first!.id } })).toMatchObject({
      status: "queued",
      error: "HTTP 500 after 3 tries",
      attempts: 1,
    });
    expect(await claimTask(db, { owner: "w", leaseMs: 60_000 })).toBeNull(); // not before its retry time
    const second = await claimTask(db, { owner: "w", leaseMs: 60_000, now: new Date(Date.now() + 6_000) });
    expect(second).toMatchObject({ id: first!.id, attempts: 2 });
    expect(
      await failTaskAttempt(db, { taskId: first!.id, jobId: job.id, owner: "w", error: "HTTP 500 again", usage }),
    ).toBe("failed");
    const done = await getJob(db, job.id);
    expect(done).toMatchObject({
      status: "failed",
      tasksFailed: 1,
      tasksDone: 0,
      promptTokens: 20,
      completionTokens: 10,
      error: "1 of 1 tasks failed",
    });
    expect(done.costUsd).toBeCloseTo(0.02);
    expect(done.finishedAt).not.toBeNull();
  });

  it("fails a task whose worker died on its last attempt", async () => {
    const { job } = await newJob("exhausted", 1, { maxAttempts: 1 });
    await claimTask(db, { owner: "dead", leaseMs: 10 });
    await new Promise((r) => setTimeout(r, 30));
    expect(await claimTask(db, { owner: "w", leaseMs: 60_000 })).toBeNull();
    expect(await failExhaustedTasks(db)).toBe(1);
    expect(await getJob(db, job.id)).toMatchObject({ status: "failed", tasksFailed: 1 });
    expect((await db.task.findFirst({ where: { jobId: job.id } }))!.error).toMatch(/lease expired/);
  });

  it("cancels a job: queued tasks at once, a running one at its next heartbeat; retry-failed requeues them", async () => {
    const { job } = await newJob("cancel", 3);
    const running = await claimTask(db, { owner: "w", leaseMs: 60_000 });
    expect(await cancelJob(db, job.id, null)).toEqual({ cancelledTasks: 2 });
    await expect(cancelJob(db, job.id, null)).rejects.toThrow(/already cancelled/);
    expect(await claimTask(db, { owner: "w2", leaseMs: 60_000 })).toBeNull();
    expect(await heartbeatTasks(db, { owner: "w", taskIds: [running!.id], leaseMs: 60_000 })).toEqual({
      lost: [],
      cancelled: [running!.id],
    });
    expect(
      await failTaskAttempt(db, {
        taskId: running!.id,
        jobId: job.id,
        owner: "w",
        error: "x",
        usage: NO_USAGE,
        cancelled: true,
      }),
    ).toBe("cancelled");
    expect(await getJob(db, job.id)).toMatchObject({ status: "cancelled", tasksCancelled: 3, tasksDone: 0 });

    expect(await retryFailedTasks(db, job.id, null)).toEqual({ requeued: 3 });
    expect(await getJob(db, job.id)).toMatchObject({ status: "queued", tasksCancelled: 0, finishedAt: null });
    const again = await claimTask(db, { owner: "w", leaseMs: 60_000 });
    expect(again).toMatchObject({ jobId: job.id, attempts: 1 });
    await closeOpenJobs();
  });
});

describe("worker loop", () => {
  const workers: JobWorker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop({ graceMs: 100 })));
  });

  it("runs tasks concurrently up to the job's concurrency, retries failures, and finishes the job", async () => {
    const { job } = await newJob("loop", 12, { concurrency: 4, maxAttempts: 2 });
    let live = 0;
    let peak = 0;
    const seen = new Map<number, number>();
    const generation: TaskHandler = async (_db, task, context) => {
      live++;
      peak = Math.max(peak, live);
      seen.set(task.id, (seen.get(task.id) ?? 0) + 1);
      context.usage.promptTokens += 3;
      await new Promise((r) => setTimeout(r, 30));
      live--;
      if (task.seedId! % 5 === 0 && task.attempts === 1) throw new Error("flaky");
      if (task.seedId! % 7 === 0) throw new PermanentTaskError("bad seed");
      return { progress: { ok: true }, write: async () => {} };
    };
    const worker = new JobWorker(db, {
      slots: 8,
      leaseMs: 5_000,
      retryDelayMs: 10,
      pollMs: 10,
      handlers: { generation },
    }).start();
    workers.push(worker);
    // One read per check: between two reads the job can go from queued (a retry waiting) to running.
    await until(async () => !["running", "queued"].includes((await getJob(db, job.id)).status));
    const done = await getJob(db, job.id);
    const seeds = await db.task.findMany({
      where: { jobId: job.id },
      select: { seedId: true, status: true, attempts: true, error: true },
    });
    const permanent = seeds.filter((s) => s.seedId! % 7 === 0).length;
    expect(done).toMatchObject({ status: "succeeded", tasksDone: 12 - permanent, tasksFailed: permanent });
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
    for (const s of seeds) {
      if (s.seedId! % 7 === 0) expect(s).toMatchObject({ status: "failed", attempts: 1, error: "bad seed" });
      else if (s.seedId! % 5 === 0) expect(s).toMatchObject({ status: "succeeded", attempts: 2, error: null });
      else expect(s).toMatchObject({ status: "succeeded", attempts: 1 });
    }
    const calls = [...seen.values()].reduce((a, b) => a + b, 0);
    expect(done.promptTokens).toBe(calls * 3);
    await worker.stop();
  });

  it("aborts a running task when its job is cancelled", async () => {
    const { job } = await newJob("abort", 1);
    let aborted: unknown = null;
    const generation: TaskHandler = (_db, _task, context) =>
      new Promise((_resolve, reject) => {
        context.signal.addEventListener("abort", () => {
          aborted = context.signal.reason;
          reject(context.signal.reason);
        });
      });
    const worker = new JobWorker(db, { slots: 2, leaseMs: 400, pollMs: 10, handlers: { generation } }).start();
    workers.push(worker);
    await until(async () => (await db.task.count({ where: { jobId: job.id, status: "running" } })) === 1);
    await cancelJob(db, job.id, null);
    await until(async () => (await db.task.count({ where: { jobId: job.id, status: "cancelled" } })) === 1);
    expect(String(aborted)).toMatch(/cancelled/);
    expect(await getJob(db, job.id)).toMatchObject({ status: "cancelled" });
    await worker.stop();
  });

  it("gives running tasks back without spending an attempt when stopped", async () => {
    const { job } = await newJob("stop", 2);
    // A handler that stops at its next safe point once the worker drains (as the generation
    // handler does before its next LLM call).
    const generation: TaskHandler = (_db, _task, context) =>
      new Promise((_resolve, reject) =>
        context.draining.addEventListener("abort", () => reject(context.draining.reason)),
      );
    const worker = new JobWorker(db, { slots: 2, leaseMs: 60_000, pollMs: 10, handlers: { generation } }).start();
    await until(async () => (await db.task.count({ where: { jobId: job.id, status: "running" } })) === 2);
    await worker.stop({ graceMs: 50 });
    const tasks = await db.task.findMany({ where: { jobId: job.id } });
    expect(tasks.every((t) => t.status === "queued" && t.attempts === 0 && t.leaseOwner === null)).toBe(true);
    await closeOpenJobs();
  });

  it("cuts a task that ignores the drain once the drain time is over, and still gives it back", async () => {
    const { job } = await newJob("stop-hard", 1);
    const generation: TaskHandler = (_db, _task, context) =>
      new Promise((_resolve, reject) => context.signal.addEventListener("abort", () => reject(context.signal.reason)));
    const worker = new JobWorker(db, { slots: 1, leaseMs: 60_000, pollMs: 10, handlers: { generation } }).start();
    await until(async () => (await db.task.count({ where: { jobId: job.id, status: "running" } })) === 1);
    await worker.stop({ graceMs: 20, drainMs: 50 });
    const tasks = await db.task.findMany({ where: { jobId: job.id } });
    expect(tasks.every((t) => t.status === "queued" && t.attempts === 0 && t.leaseOwner === null)).toBe(true);
    await closeOpenJobs();
  });
});
