import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { cancelJob, enqueueJob, retryFailedTasks } from "./commands.ts";
import type { TaskHandler } from "./handlers.ts";
import { createWorker } from "./index.ts";
import { getJob, listJobs, listTasks } from "./read-models.ts";
import { PermanentTaskError, type JobWorker } from "./worker.ts";

/**
 * The one job engine with a second, test-only task kind: jobs without a dataset or seeds, whose
 * tasks carry a payload, claimed, leased, retried, cancelled and counted by the same queue and
 * worker that run generation.
 */

const { db } = createTestDb();
const workers: JobWorker[] = [];
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop({ graceMs: 100 })));
});

async function until(predicate: () => Promise<boolean>, timeoutMs = 10_000) {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const finished = async (jobId: number) => !["queued", "running"].includes((await getJob(db, jobId)).status);

type SumPayload = { numbers: number[]; flaky?: boolean; broken?: boolean; block?: boolean };

/** test.sum: adds the payload's numbers and stores the sum as an audit event, in the completing transaction. */
const attempts = new Map<number, number>();
const sum: TaskHandler = async (_db, task, context) => {
  const payload = task.payload as SumPayload;
  attempts.set(task.id, (attempts.get(task.id) ?? 0) + 1);
  if (payload.block)
    await new Promise((_resolve, reject) =>
      context.signal.addEventListener("abort", () => reject(context.signal.reason)),
    );
  if (payload.broken) throw new PermanentTaskError("broken payload");
  if (payload.flaky && task.attempts === 1) throw new Error("flaky on the first attempt");
  context.usage.promptTokens += payload.numbers.length;
  const total = payload.numbers.reduce((a, b) => a + b, 0);
  return {
    progress: { total },
    write: async (tx) => {
      await tx.auditEvent.create({
        data: { action: "test.sum", entityType: "task", entityId: String(task.id), data: { total } },
      });
    },
  };
};

function startWorker() {
  const worker = createWorker(db, {
    slots: 4,
    leaseMs: 1_000,
    pollMs: 10,
    retryDelayMs: 10,
    handlers: { "test.sum": sum },
  }).start();
  workers.push(worker);
  return worker;
}

describe("the job engine runs any kind of task", () => {
  it("runs a job with no dataset and no seeds: retries, permanent failures, progress and usage", async () => {
    const job = await enqueueJob(db, { kind: "test.sum", params: { concurrency: 2 }, maxAttempts: 2 }, [
      { kind: "test.sum", payload: { numbers: [1, 2, 3] } },
      { kind: "test.sum", payload: { numbers: [10, 20], flaky: true } },
      { kind: "test.sum", payload: { numbers: [5], broken: true } },
    ]);
    const worker = startWorker();
    await until(() => finished(job.id));
    await worker.stop();

    const summary = await getJob(db, job.id);
    expect(summary).toMatchObject({
      kind: "test.sum",
      datasetId: null,
      datasetName: null,
      pipeline: null,
      status: "succeeded",
      tasksTotal: 3,
      tasksDone: 2,
      tasksFailed: 1,
      promptTokens: 5,
      error: "1 of 3 tasks failed",
    });
    const tasks = await db.task.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } });
    expect(tasks.map((t) => [t.kind, t.seedId, t.status, t.attempts, t.progress, t.error])).toEqual([
      ["test.sum", null, "succeeded", 1, { total: 6 }, null],
      ["test.sum", null, "succeeded", 2, { total: 30 }, null],
      ["test.sum", null, "failed", 1, {}, "broken payload"],
    ]);
    const written = await db.auditEvent.findMany({
      where: { action: "test.sum", entityId: { in: tasks.map((t) => String(t.id)) } },
      orderBy: { id: "asc" },
    });
    expect(written.map((e) => [Number(e.entityId), e.data]).sort()).toEqual([
      [tasks[0].id, { total: 6 }],
      [tasks[1].id, { total: 30 }],
    ]);
    expect((await listJobs(db)).find((j) => j.id === job.id)).toMatchObject({ kind: "test.sum", datasetId: null });
    expect((await listTasks(db, job.id)).map((t) => t.seedInstruction)).toEqual([null, null, null]);
  });

  it("cancels a running task of another kind, and retrying runs it again", async () => {
    const job = await enqueueJob(db, { kind: "test.sum", params: {}, maxAttempts: 3 }, [
      { kind: "test.sum", payload: { numbers: [7], block: true } },
    ]);
    const worker = startWorker();
    await until(async () => (await db.task.count({ where: { jobId: job.id, status: "running" } })) === 1);
    await cancelJob(db, job.id, null);
    await until(async () => (await db.task.count({ where: { jobId: job.id, status: "cancelled" } })) === 1);
    expect(await getJob(db, job.id)).toMatchObject({ status: "cancelled", tasksCancelled: 1 });

    const [task] = await db.task.findMany({ where: { jobId: job.id } });
    await db.task.update({ where: { id: task.id }, data: { payload: { numbers: [7, 8] } } });
    expect(await retryFailedTasks(db, job.id, null)).toEqual({ requeued: 1 });
    await until(() => finished(job.id));
    await worker.stop();
    expect(await getJob(db, job.id)).toMatchObject({ status: "succeeded", tasksDone: 1 });
    expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).progress).toEqual({ total: 15 });
  });

  it("fails a task whose kind no handler runs, at once and without retrying", async () => {
    const job = await enqueueJob(db, { kind: "test.unknown", params: {}, maxAttempts: 3 }, [
      { kind: "test.unknown", payload: {} },
    ]);
    const worker = startWorker();
    await until(() => finished(job.id));
    await worker.stop();
    expect(await getJob(db, job.id)).toMatchObject({ status: "failed", tasksFailed: 1 });
    expect(await db.task.findFirstOrThrow({ where: { jobId: job.id } })).toMatchObject({
      attempts: 1,
      error: 'no handler for tasks of kind "test.unknown"',
    });
  });

  it("refuses a job without tasks", async () => {
    await expect(enqueueJob(db, { kind: "test.sum", params: {}, maxAttempts: 1 }, [])).rejects.toThrow(
      "A job needs at least one task",
    );
  });
});
