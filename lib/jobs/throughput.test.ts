import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { jobThroughput, throughputSeries } from "./throughput.ts";

const { db } = createTestDb();
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe("throughputSeries", () => {
  it("puts each finished task's calls and pairs in its time bucket, as rates per second", () => {
    const series = throughputSeries(
      at(0),
      at(8),
      [
        { finishedAt: at(1), calls: 4, pairs: 2 },
        { finishedAt: at(3), calls: 6, pairs: 0 },
        { finishedAt: at(7.5), calls: 2, pairs: 1 },
      ],
      4,
    );
    expect(series).toEqual([
      { t: 2, callsPerSecond: 2, pairsPerSecond: 1 },
      { t: 4, callsPerSecond: 3, pairsPerSecond: 0 },
      { t: 6, callsPerSecond: 0, pairsPerSecond: 0 },
      { t: 8, callsPerSecond: 1, pairsPerSecond: 0.5 },
    ]);
  });
});

describe("jobThroughput", () => {
  it("reads the job's finished tasks from the database, and nothing before the job started", async () => {
    const job = await db.job.create({ data: { kind: "test", params: {}, models: {}, status: "queued" } });
    expect(await jobThroughput(db, job.id)).toEqual([]);
    await db.job.update({ where: { id: job.id }, data: { startedAt: at(0), finishedAt: at(4), status: "succeeded" } });
    const stats = (calls: number) => ({ "p/responder": { provider: "p", role: "responder", calls } });
    await db.task.createMany({
      data: [
        {
          jobId: job.id,
          kind: "test",
          status: "succeeded",
          progress: { pairs: 3 },
          llmStats: stats(5),
          finishedAt: at(1),
        },
        { jobId: job.id, kind: "test", status: "failed", progress: {}, llmStats: stats(2), finishedAt: at(3) },
        { jobId: job.id, kind: "test", status: "queued", progress: {} },
      ],
    });
    const series = await jobThroughput(db, job.id);
    expect(series.reduce((sum, p) => sum + p.callsPerSecond, 0)).toBe(7);
    expect(series.reduce((sum, p) => sum + p.pairsPerSecond, 0)).toBe(3);
    expect(series.at(-1)!.t).toBe(4);
  });
});
