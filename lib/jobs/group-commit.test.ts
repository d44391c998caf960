import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { datasetWithEcdJob } from "../../test/fixtures/ecd-job.ts";
import type { Tx } from "../db/client.ts";
import { claimTask, type Completion, completeTasks } from "./commands.ts";
import { GroupCommit } from "./group-commit.ts";

// Group commit of finished tasks (lib/jobs/group-commit.ts): several tasks in one transaction,
// each with its own ownership check, writes and exactly-once completion.
const { db } = createTestDb();
async function claimedJob(name: string, seeds: number) {
  const { dataset, job } = await datasetWithEcdJob(db, {
    name,
    seeds,
    thing: "a bridge",
    reference: "A bridge spans a river.",
    provider: "rule-based",
    params: { concurrency: 256 },
  });
  const tasks = [];
  for (let i = 0; i < seeds; i++) tasks.push((await claimTask(db, { owner: "w", leaseMs: 60_000 }))!);
  return { dataset, job, tasks };
}

/** A task's write: one row the test reads back. */
const marker = (datasetId: number, taskId: number) => async (tx: Tx) => {
  await tx.auditEvent.create({
    data: { action: "test.write", entityType: "task", entityId: String(taskId), data: { datasetId } },
  });
};

/** The tasks whose write is stored. */
async function marked(taskIds: number[]): Promise<number[]> {
  const rows = await db.auditEvent.findMany({
    where: { action: "test.write", entityId: { in: taskIds.map(String) } },
    select: { entityId: true },
  });
  return rows.map((r) => Number(r.entityId)).sort((a, b) => a - b);
}

const usage = (n: number) => ({ promptTokens: n, completionTokens: 2 * n, costUsd: 0.5 * n });

describe("completeTasks", () => {
  it("completes several tasks in one transaction: each once, the job counted and finished", async () => {
    const { dataset, job, tasks } = await claimedJob("group", 3);
    // The third task was lost to another worker: it is neither written nor counted.
    await db.task.update({ where: { id: tasks[2].id }, data: { leaseOwner: "other" } });
    const items: Completion[] = tasks.map((t, i) => ({
      taskId: t.id,
      jobId: job.id,
      owner: "w",
      usage: usage(i + 1),
      write: marker(dataset.id, t.id),
    }));
    expect(await completeTasks(db, items)).toEqual([true, true, false]);
    expect(await marked(tasks.map((t) => t.id))).toEqual([tasks[0].id, tasks[1].id]);
    const stored = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(stored).toMatchObject({ tasksDone: 2, promptTokens: 3, completionTokens: 6, costUsd: 1.5 });
    expect(stored.status).not.toBe("succeeded");
    // Completing again changes nothing (the tasks are no longer running).
    expect(await completeTasks(db, items.slice(0, 2))).toEqual([false, false]);
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).tasksDone).toBe(2);
    // The last one, once it is ours again, finishes the job.
    await db.task.update({ where: { id: tasks[2].id }, data: { leaseOwner: "w" } });
    expect(await completeTasks(db, [items[2]])).toEqual([true]);
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "succeeded",
      tasksDone: 3,
      promptTokens: 6,
    });
  });
});

describe("GroupCommit", () => {
  it("groups the tasks that finish together, and a failing write fails only its own task", async () => {
    const { dataset, job, tasks } = await claimedJob("commit", 4);
    const groups: number[] = [];
    const committer = new GroupCommit(db);
    const item = (i: number, fail = false): Completion => ({
      taskId: tasks[i].id,
      jobId: job.id,
      owner: "w",
      usage: usage(1),
      write: async (tx) => {
        groups.push(i);
        await marker(dataset.id, tasks[i].id)(tx);
        if (fail) throw new Error(`write ${i} failed`);
      },
    });
    const results = await Promise.allSettled([
      committer.complete(item(0)),
      committer.complete(item(1, true)),
      committer.complete(item(2)),
    ]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
      true,
      "write 1 failed",
      true,
    ]);
    // One group (0, 1 failed it), then each alone.
    expect(groups).toEqual([0, 1, 0, 1, 2]);
    expect(await marked(tasks.map((t) => t.id))).toEqual([tasks[0].id, tasks[2].id]);
    expect((await db.task.findUniqueOrThrow({ where: { id: tasks[1].id } })).status).toBe("running");
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).tasksDone).toBe(2);
    // A task that finishes later is committed alone.
    expect(await committer.complete(item(3))).toBe(true);
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).tasksDone).toBe(3);
  });
});
