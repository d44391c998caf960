import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createDb } from "../db/client.ts";
import { claimTask, claimTasks, startJob } from "./commands.ts";

// The per-job concurrency cap holds when many clients claim at the same moment (on PostgreSQL,
// concurrent transactions; on SQLite, concurrent writers on one file).
const { db, url } = createTestDb();
const clients = Array.from({ length: 6 }, () => createDb(url));
afterAll(() => Promise.all(clients.map((client) => client.$disconnect())));

async function cappedJob(name: string, concurrency: number) {
  const dataset = await db.dataset.create({ data: { name, settings: {} } });
  await db.seed.createMany({
    data: Array.from({ length: 40 }, (_, i) => ({
      datasetId: dataset.id,
      instruction: `${name} seed ${i}`,
      contentHash: `${name}-${i}`,
      source: "plain",
      metadata: {},
    })),
  });
  const rb = { provider: "rule-based", model: "" };
  return startJob(db, {
    datasetId: dataset.id,
    pipeline: "ecd",
    params: { concurrency },
    models: { evolver: rb, responder: rb, judge: rb },
  });
}

describe("claimTask under concurrent claims", () => {
  it("never leases more of a job's tasks than its concurrency", async () => {
    const job = await cappedJob("cap", 5);
    // 6 clients × 6 claims, all at once: 36 attempts for 5 slots.
    const claims = await Promise.all(
      clients.flatMap((client, c) =>
        Array.from({ length: 6 }, (_, i) => claimTask(client, { owner: `w${c}-${i}`, leaseMs: 60_000 })),
      ),
    );
    const claimed = claims.filter((task) => task !== null);
    expect(claimed).toHaveLength(5);
    expect(new Set(claimed.map((task) => task.id)).size).toBe(5);
    expect(await db.task.count({ where: { jobId: job.id, status: "running" } })).toBe(5);
  });

  it("claims several tasks at once (a worker's free slots) within the cap, also from many clients at once", async () => {
    const job = await cappedJob("multi", 7);
    // One claimer asking for 3 gets 3 distinct tasks, leased to it.
    const first = await claimTasks(db, { owner: "one", leaseMs: 60_000, limit: 3 });
    expect(first).toHaveLength(3);
    expect(new Set(first.map((task) => task.id)).size).toBe(3);
    // 6 clients asking for 4 each at the same moment: 24 wanted, 4 slots left.
    const rest = await Promise.all(
      clients.map((client, c) => claimTasks(client, { owner: `m${c}`, leaseMs: 60_000, limit: 4 })),
    );
    const claimed = [...first, ...rest.flat()];
    expect(claimed).toHaveLength(7);
    expect(new Set(claimed.map((task) => task.id)).size).toBe(7);
    const running = await db.task.findMany({
      where: { jobId: job.id, status: "running" },
      select: { id: true, leaseOwner: true },
    });
    expect(running).toHaveLength(7);
    const owners = new Map<number, string>(
      rest.flatMap((tasks, c) => tasks.map((task) => [task.id, `m${c}`] as const)),
    );
    for (const task of first) owners.set(task.id, "one");
    for (const task of running) expect(task.leaseOwner).toBe(owners.get(task.id));
    expect(await claimTasks(db, { owner: "late", leaseMs: 60_000, limit: 5 })).toEqual([]);
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("running");
  });
});
