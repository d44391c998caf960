/**
 * Estimates before a job, against the local OpenAI-compatible server (real SDK, real HTTP) and
 * real SQLite: the estimate job runs the pipeline on a sample, writes no nodes or pairs, reports
 * the sample's calls and tokens per role exactly as the server saw them, and the real run re-uses
 * the sample's cached answers (the server sees no request twice).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type LlmTestServer, startLlmServer } from "../../test/llm-server.ts";
import { roleOf, scriptedHandler } from "../../test/scripted-llm.ts";
import type { ProviderConfig } from "../llm/providers.ts";
import type { LlmStats } from "./llm-stats.ts";
import {
  createWorker,
  estimateFromTasks,
  getEstimate,
  getJob,
  isFinished,
  type JobModels,
  type JobWorker,
  startEstimate,
  startJob,
} from "./index.ts";

const { db } = createTestDb();
let server: LlmTestServer;
let worker: JobWorker;
const local = (model: string) => ({ provider: "local", model });
const MODELS: JobModels = { evolver: local("evolver-m"), responder: local("responder-m"), judge: local("judge-m") };

beforeAll(async () => {
  server = await startLlmServer({ handler: (body, info) => scriptedHandler({})(body, info) });
  const providers: ProviderConfig[] = [
    {
      name: "local",
      baseUrl: server.url,
      models: [
        { name: "responder-m", promptPricePerM: 1, completionPricePerM: 2 },
        { name: "evolver-m", promptPricePerM: 3, completionPricePerM: 4 },
      ],
      concurrency: 8,
      timeoutMs: 2_000,
      maxAttempts: 2,
    },
  ];
  worker = createWorker(db, { slots: 4, pollMs: 20, maxPollMs: 100, runner: { providers } }).start();
});

afterAll(async () => {
  await worker?.stop({ graceMs: 1_000 });
  await server?.stop();
});

async function finished(jobId: number) {
  const start = Date.now();
  for (;;) {
    const job = await getJob(db, jobId);
    if (isFinished(job.status)) return job;
    if (Date.now() - start > 60_000) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("estimate before a job", () => {
  it("runs the sample, writes nothing, counts what the server saw, and the real run re-uses its answers", async () => {
    const ds = await db.dataset.create({ data: { name: "estimate", settings: {} } });
    const topics = ["a lighthouse", "a windmill", "a canal lock", "a sundial", "a water wheel", "a kiln"];
    for (const [i, topic] of topics.entries())
      await db.seed.create({
        data: {
          datasetId: ds.id,
          instruction: `Describe ${topic}.`,
          contentHash: `estimate-${i}`,
          source: "plain",
          metadata: {},
        },
      });
    const input = {
      datasetId: ds.id,
      pipeline: "ecd" as const,
      params: { rounds: 2, operations: ["add_verifiable" as const] },
      models: MODELS,
    };
    server.resetCounters();
    const started = await startEstimate(db, input, { sampleSize: 3 });
    expect(started).toMatchObject({ tasksTotal: 3, sampleSize: 3, seedsTotal: 6 });
    expect(await finished(started.id)).toMatchObject({ status: "succeeded", kind: "estimate", pairs: 0 });
    expect(await db.node.count({ where: { jobId: started.id } })).toBe(0);
    expect(await db.response.count({ where: { jobId: started.id } })).toBe(0);

    const estimate = (await getEstimate(db, started.id))!;
    const sent = { evolver: 0, responder: 0 } as Record<string, number>;
    const tokens = { evolver: 0, responder: 0 } as Record<string, number>;
    for (const r of server.requests) {
      const role = roleOf(r.body);
      sent[role] = (sent[role] ?? 0) + 1;
    }
    const sampleTasks = await db.task.findMany({
      where: { jobId: started.id },
      select: { seedId: true, llmStats: true },
    });
    for (const t of sampleTasks)
      for (const row of Object.values(t.llmStats as unknown as LlmStats))
        tokens[row.role] = (tokens[row.role] ?? 0) + row.promptTokens + row.completionTokens;
    expect(estimate).toMatchObject({ complete: true, sampleDone: 3, sampleFailed: 0, seedsTotal: 6 });
    expect(estimate.roles.map((r) => [r.role, r.sample.calls, r.sample.cached, r.calls])).toEqual([
      ["evolver", sent.evolver, 0, sent.evolver! * 2],
      ["responder", sent.responder, 0, sent.responder! * 2],
    ]);
    expect(server.totalRequests).toBe(sent.evolver! + sent.responder!);
    for (const r of estimate.roles) expect(r.sample.promptTokens + r.sample.completionTokens).toBe(tokens[r.role]);
    expect(estimate.costUsd.value).toBeGreaterThan(0);
    expect(estimate.pairs.low).toBeLessThanOrEqual(estimate.pairs.value);
    expect(estimate.pairs.high).toBeGreaterThanOrEqual(estimate.pairs.value);

    // The real run: every sample call comes from the cache; nothing reaches the server twice.
    const job = await startJob(db, input);
    const done = await finished(job.id);
    expect(done.status).toBe("succeeded");
    expect([...server.requestsPerHash.values()].filter((n) => n > 1)).toEqual([]);
    const realTasks = await db.task.findMany({ where: { jobId: job.id }, select: { seedId: true, llmStats: true } });
    let realCallsOnSample = 0;
    for (const sample of sampleTasks) {
      const real = realTasks.find((t) => t.seedId === sample.seedId)!;
      const calls = (stats: unknown) => Object.values(stats as LlmStats).reduce((n, row) => n + row.calls, 0);
      const cached = Object.values(real.llmStats as unknown as LlmStats).reduce((n, row) => n + row.cached, 0);
      expect(calls(real.llmStats)).toBe(calls(sample.llmStats));
      expect(cached).toBe(calls(sample.llmStats));
      realCallsOnSample += calls(real.llmStats);
    }
    expect(realCallsOnSample).toBe(sent.evolver! + sent.responder!);
    // The real run's pairs on the sample seeds are what the estimate counted per seed.
    const samplePairs = await db.pair.count({
      where: { jobId: job.id, node: { seedId: { in: sampleTasks.map((t) => t.seedId!) } } },
    });
    expect(samplePairs / 3).toBeCloseTo(estimate.pairsPerSeed, 10);
  }, 120_000);

  it("refuses a bad sample size, and extrapolates with a range that narrows to nothing on the whole dataset", async () => {
    const ds = await db.dataset.findFirstOrThrow({ where: { name: "estimate" } });
    await expect(
      startEstimate(db, { datasetId: ds.id, pipeline: "ecd", models: MODELS }, { sampleSize: 0 }),
    ).rejects.toThrow("Sample size must be a whole number from 1 to 200");
    const task = (pairs: number, costUsd: number) => ({
      status: "succeeded",
      progress: { pairs, dropCodes: { chosen_fails: 1 } },
      llmStats: {
        "local/responder": {
          provider: "local",
          role: "responder",
          calls: 2,
          cached: 0,
          failed: 0,
          retries: 0,
          rateLimited: 0,
          serverErrors: 0,
          timeouts: 0,
          parseFailures: 0,
          networkErrors: 0,
          promptTokens: 10,
          completionTokens: 5,
          costUsd,
        },
      },
    });
    const e = estimateFromTasks(1, { seedsTotal: 100, sampleSize: 2 }, [task(1, 0.01), task(3, 0.03)]);
    expect(e.pairsPerSeed).toBe(2);
    expect(e.pairs.value).toBe(200);
    // sd √2, n 2: half-width 1.96 · 1 · √(98/99) per seed.
    expect(e.pairs.high - e.pairs.value).toBeCloseTo(1.96 * Math.sqrt(98 / 99) * 100, 8);
    expect(e.costUsd.value).toBeCloseTo(2, 10);
    expect(e.roles).toMatchObject([{ role: "responder", calls: 200, tokens: 1500 }]);
    expect(e.dropReasons).toEqual([
      { code: "chosen_fails", description: "the chosen response fails a constraint of its instruction", count: 2 },
    ]);
    const whole = estimateFromTasks(1, { seedsTotal: 2, sampleSize: 2 }, [task(1, 0), task(3, 0)]);
    expect([whole.pairs.low, whole.pairs.high]).toEqual([4, 4]);
  });
});
