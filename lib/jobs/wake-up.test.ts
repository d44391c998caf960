import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createDb } from "../db/client.ts";
import { sqlDialect } from "../db/dialect.ts";
import { startJob } from "./commands.ts";
import type { TaskHandler } from "./handlers.ts";
import { JobWorker } from "./worker.ts";

// Workers of other processes wake on new work through LISTEN/NOTIFY (PostgreSQL only; SQLite is
// one process, woken by the in-process event).
const { db, url } = createTestDb();
const postgres = sqlDialect(url) === "postgres";
const rb = { provider: "rule-based", model: "" };

async function datasetWithSeed(name: string) {
  const dataset = await db.dataset.create({ data: { name, settings: {} } });
  await db.seed.create({
    data: { datasetId: dataset.id, instruction: `${name} seed`, contentHash: name, source: "plain", metadata: {} },
  });
  return dataset;
}

describe.runIf(postgres)("LISTEN/NOTIFY wake-up on PostgreSQL", () => {
  const listener = new pg.Client({ connectionString: url });
  afterAll(() => listener.end().catch(() => {}));

  it("startJob announces the work on the ecd_work channel once it is committed", async () => {
    await listener.connect();
    const heard = new Promise<string>((resolve) => listener.on("notification", (n) => resolve(n.channel)));
    await listener.query("LISTEN ecd_work");
    const dataset = await datasetWithSeed("notify");
    await startJob(db, {
      datasetId: dataset.id,
      pipeline: "ecd",
      params: {},
      models: { evolver: rb, responder: rb, judge: rb },
    });
    expect(await heard).toBe("ecd_work");
    await db.job.updateMany({ data: { status: "cancelled" } });
  });

  it("an idle worker whose next poll is a minute away claims work queued by another process at once", async () => {
    const claimedAt: number[] = [];
    const generation: TaskHandler = async () => {
      claimedAt.push(Date.now());
      return { progress: {}, write: async () => {} };
    };
    // Its own client, as in another process; it polls once, finds nothing, then sleeps 60 s.
    const workerDb = createDb(url);
    const worker = new JobWorker(workerDb, { slots: 1, pollMs: 60_000, maxPollMs: 60_000, handlers: { generation } });
    worker.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Queued the way another process would: rows, then NOTIFY (no in-process event here).
      const dataset = await datasetWithSeed("wake");
      const job = await db.job.create({
        data: { datasetId: dataset.id, pipeline: "ecd", params: {}, models: {}, status: "queued", tasksTotal: 1 },
      });
      await db.task.create({ data: { jobId: job.id, kind: "generation", seedId: null, payload: {}, progress: {} } });
      const queuedAt = Date.now();
      await db.$executeRaw`SELECT pg_notify('ecd_work', '')`;
      const deadline = Date.now() + 20_000;
      while (!claimedAt.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(claimedAt).toHaveLength(1);
      expect(claimedAt[0] - queuedAt).toBeLessThan(5_000); // its poll was 60 s away
    } finally {
      await worker.stop({ graceMs: 1_000 });
      await workerDb.$disconnect();
    }
  });
});

describe.runIf(!postgres)("wake-up on SQLite", () => {
  it("needs no LISTEN connection (the in-process event wakes the worker)", async () => {
    const { listenForWork } = await import("../db/job-sql.ts");
    expect(await listenForWork(() => {}, { url })).toBeNull();
  });
});
