import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createDb } from "../db/client.ts";
import { claimTask, startJob } from "./commands.ts";

// The per-job concurrency cap holds when many clients claim at the same moment (on PostgreSQL,
// concurrent transactions; on SQLite, concurrent writers on one file).
const { db, url } = createTestDb();
const clients = Array.from({ length: 6 }, () => createDb(url));
afterAll(() => Promise.all(clients.map((client) => client.$disconnect())));

describe("claimTask under concurrent claims", () => {
  it("never leases more of a job's tasks than its concurrency", async () => {
    const dataset = await db.dataset.create({ data: { name: "cap", settings: {} } });
    await db.seed.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        datasetId: dataset.id,
        instruction: `cap seed ${i}`,
        contentHash: `cap-${i}`,
        source: "plain",
        metadata: {},
      })),
    });
    const rb = { provider: "rule-based", model: "" };
    const job = await startJob(db, {
      datasetId: dataset.id,
      pipeline: "ecd",
      params: { concurrency: 5 },
      models: { evolver: rb, responder: rb, judge: rb },
    });
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
});
