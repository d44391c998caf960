/**
 * Batch mode against the local server's Batch API (real SDK, real HTTP: /v1/files, /v1/batches)
 * and a real database: a job of 200 seeds completes through batches alone, a request that fails
 * inside a batch goes in the next one (and after MAX_BATCH_TRIES fails its seed with the reason),
 * the cost is the batch price, and cancelling the job cancels its open batch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type LlmTestServer, startLlmServer } from "../../test/llm-server.ts";
import { type Fault, scriptedHandler } from "../../test/scripted-llm.ts";
import { BATCH_METADATA, createBatchApi } from "../llm/batch.ts";
import type { ProviderConfig } from "../llm/providers.ts";
import {
  cancelJob,
  createWorker,
  getJob,
  isFinished,
  type JobWorker,
  LLM_BATCH,
  MAX_BATCH_TRIES,
  startJob,
} from "./index.ts";

const { db } = createTestDb();
let server: LlmTestServer;
let worker: JobWorker;
let providers: ProviderConfig[];
const faults: Record<string, Fault> = {};
const PROMPT_PRICE = 1; // USD per 1M tokens
const COMPLETION_PRICE = 2;
const model = { provider: "batchy", model: "test-model" };
const MODELS = { evolver: model, responder: model, judge: model };

beforeAll(async () => {
  server = await startLlmServer({ handler: (body, info) => scriptedHandler(faults)(body, info) });
  providers = [
    {
      name: "batchy",
      baseUrl: server.url,
      batch: true,
      models: [{ name: "test-model", promptPricePerM: PROMPT_PRICE, completionPricePerM: COMPLETION_PRICE }],
    },
  ];
  worker = createWorker(db, {
    slots: 16,
    pollMs: 20,
    maxPollMs: 100,
    retryDelayMs: 50,
    runner: { providers, batchPollMs: 30 },
  }).start();
});

afterAll(async () => {
  await worker?.stop({ graceMs: 1_000 });
  await server?.stop();
});

async function dataset(name: string, seeds: number) {
  const ds = await db.dataset.create({ data: { name, settings: {} } });
  await db.seed.createMany({
    data: Array.from({ length: seeds }, (_, i) => ({
      datasetId: ds.id,
      instruction: `Describe ${name} number ${i}.`,
      referenceResponse: "It is tall, white, and bright.",
      contentHash: `${name}-${i}`,
      source: "plain",
      metadata: {},
    })),
  });
  return ds.id;
}

/** An ECD job in batch mode: one evolver and one responder call per round (R(0) is the reference). */
function startBatchJob(datasetId: number, rounds: number, concurrency = 4) {
  return startJob(db, {
    datasetId,
    pipeline: "ecd",
    params: { rounds, r0Source: "reference", operations: ["add_verifiable"], concurrency, mode: "batch" },
    models: MODELS,
  });
}

async function finished(jobId: number, timeoutMs = 120_000) {
  const start = Date.now();
  for (;;) {
    const job = await getJob(db, jobId);
    if (isFinished(job.status)) return job;
    if (Date.now() - start > timeoutMs) throw new Error(`job ${jobId} did not finish: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("batch mode", () => {
  it("runs a job of 200 seeds through batches only, each batch submitted once, at the batch price", async () => {
    const SEEDS = 200;
    const CALLS_PER_SEED = 4; // evolver, responder, evolver, responder: one call at a time
    const datasetId = await dataset("lighthouse", SEEDS);
    const job = await startBatchJob(datasetId, 2, 16);
    const done = await finished(job.id);
    // The seeds and the coordinator, every one succeeded.
    expect(done).toMatchObject({ status: "succeeded", tasksTotal: SEEDS + 1, tasksDone: SEEDS + 1, tasksFailed: 0 });
    expect(done.pairs).toBe(SEEDS * 2);
    expect(await db.task.count({ where: { jobId: job.id, kind: LLM_BATCH, status: "succeeded" } })).toBe(1);

    // No direct chat call: every answer came through a batch, one batch per step of the pipeline.
    expect(server.totalRequests).toBe(0);
    expect(server.batches).toHaveLength(CALLS_PER_SEED);
    for (const batch of server.batches) {
      expect(batch.requests).toHaveLength(SEEDS);
      expect(batch.metadata?.[BATCH_METADATA.job]).toBe(String(job.id));
    }
    const keys = server.batches.map((b) => b.metadata?.[BATCH_METADATA.key]);
    expect(new Set(keys).size).toBe(keys.length);
    // Each request asked once, and custom_id is its cache key.
    expect([...server.batchRequestsPerHash.values()].every((n) => n === 1)).toBe(true);
    const stored = await db.llmCall.findMany({ where: { jobId: job.id, status: "ok" } });
    expect(stored).toHaveLength(SEEDS * CALLS_PER_SEED);
    expect(new Set(stored.map((c) => c.requestHash))).toEqual(
      new Set(server.batches.flatMap((b) => b.requests.map((r) => r.custom_id))),
    );
    const rows = await db.llmBatch.findMany({ where: { jobId: job.id } });
    expect(rows.map((r) => r.status)).toEqual(Array(CALLS_PER_SEED).fill("completed"));
    expect(rows.every((r) => r.storedAt && r.providerBatchId && r.failed === 0 && r.total === SEEDS)).toBe(true);

    // Cost at the batch price: half of what the tokens cost at the model's prices.
    const tokens = stored.reduce(
      (sum, c) => ({ prompt: sum.prompt + c.promptTokens, completion: sum.completion + c.completionTokens }),
      { prompt: 0, completion: 0 },
    );
    const fullPrice = (tokens.prompt * PROMPT_PRICE + tokens.completion * COMPLETION_PRICE) / 1_000_000;
    expect(tokens.prompt).toBeGreaterThan(0);
    expect(done.promptTokens).toBe(tokens.prompt);
    expect(done.completionTokens).toBe(tokens.completion);
    expect(done.costUsd).toBeCloseTo(fullPrice / 2, 9);
    expect(stored.reduce((sum, c) => sum + c.costUsd, 0)).toBeCloseTo(fullPrice / 2, 9);
    // The seeds' own runs were answered from the batches' answers: their calls are counted once, by the coordinator.
    const seedTasks = await db.task.findMany({ where: { jobId: job.id, kind: "generation" } });
    expect(seedTasks.filter((t) => t.llmStats && Object.keys(t.llmStats).length)).toEqual([]);
    // Per role on the coordinator's task: the job page's calls, tokens and cost by role.
    const coordinator = await db.task.findFirstOrThrow({ where: { jobId: job.id, kind: LLM_BATCH } });
    const stats = coordinator.llmStats as Record<string, { calls: number; cached: number; costUsd: number }>;
    expect(stats["batchy/evolver"]).toMatchObject({ calls: SEEDS * 2, cached: 0 });
    expect(stats["batchy/responder"]).toMatchObject({ calls: SEEDS * 2, cached: 0 });
    expect(stats["batchy/evolver"]!.costUsd + stats["batchy/responder"]!.costUsd).toBeCloseTo(fullPrice / 2, 9);
  }, 180_000);

  it("retries a request that failed inside a batch in the next batch", async () => {
    server.resetCounters();
    server.batches.length = 0;
    server.batchRequestsPerHash.clear();
    const datasetId = await dataset("retry", 3);
    // The responder's first answer for seed 1 fails inside its batch, once.
    faults["retry number 1"] = ({ role, hashCount }) =>
      role === "responder" && hashCount === 1 ? { status: 500, message: "overloaded" } : null;
    const job = await startBatchJob(datasetId, 1);
    const done = await finished(job.id);
    delete faults["retry number 1"];
    expect(done).toMatchObject({ status: "succeeded", tasksDone: 4, tasksFailed: 0, pairs: 3 });
    expect(server.totalRequests).toBe(0);
    // Batch 1: 3 evolver calls; batch 2: 3 responder calls, one failed; batch 3: that one again.
    expect(server.batches.map((b) => b.requests.length)).toEqual([3, 3, 1]);
    const failedId = server.batches[2]!.requests[0]!.custom_id;
    expect(server.batches[1]!.requests.map((r) => r.custom_id)).toContain(failedId);
    const rows = await db.llmBatch.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.failed)).toEqual([0, 1, 0]);
    expect(rows[1]!.failures).toEqual({ [failedId]: "HTTP 500: overloaded" });
  }, 60_000);

  it(`fails the seed's task with the reason after ${MAX_BATCH_TRIES} failed batches`, async () => {
    server.batches.length = 0;
    const datasetId = await dataset("doomed", 2);
    faults["doomed number 0"] = () => ({ status: 400, message: "context too long" });
    const job = await startBatchJob(datasetId, 1);
    const done = await finished(job.id);
    delete faults["doomed number 0"];
    expect(done).toMatchObject({ status: "succeeded", tasksDone: 2, tasksFailed: 1, pairs: 1 });
    const failed = await db.task.findFirstOrThrow({ where: { jobId: job.id, status: "failed" } });
    expect(failed.error).toMatch(
      new RegExp(`evolver\\): the request failed in ${MAX_BATCH_TRIES} batches: HTTP 400: context too long`),
    );
    // The failing request was in the first batch and in the next MAX_BATCH_TRIES - 1.
    const doomedBody = (b: (typeof server.batches)[number]) =>
      b.requests.filter((r) => JSON.stringify(r.body).includes("doomed number 0")).length;
    expect(server.batches.map(doomedBody).filter(Boolean)).toHaveLength(MAX_BATCH_TRIES);
  }, 60_000);

  it("cancelling the job cancels its open batch", async () => {
    server.batches.length = 0;
    server.batchDelayMs = 60_000;
    const datasetId = await dataset("cancel", 2);
    const job = await startBatchJob(datasetId, 1);
    const start = Date.now();
    while (!(await db.llmBatch.count({ where: { jobId: job.id, providerBatchId: { not: null } } }))) {
      if (Date.now() - start > 30_000) throw new Error("no batch was submitted");
      await new Promise((r) => setTimeout(r, 30));
    }
    await cancelJob(db, job.id, null);
    const until = Date.now();
    while ((await db.llmBatch.findFirstOrThrow({ where: { jobId: job.id } })).status !== "cancelled") {
      if (Date.now() - until > 30_000) throw new Error("the batch was not cancelled");
      await new Promise((r) => setTimeout(r, 30));
    }
    server.batchDelayMs = 0;
    expect(server.batches).toHaveLength(1);
    expect((await getJob(db, job.id)).status).toBe("cancelled");
  }, 60_000);

  it("finds a batch by its metadata on a later page of the provider's list", async () => {
    const api = createBatchApi("batchy", { providers });
    const since = new Date();
    const line = { customId: "x", body: { model: "test-model", messages: [{ role: "user", content: "hi" }] } };
    for (let i = 1; i <= 130; i++) await api.submit(999_999, `999999-${i}`, [line]);
    // Newest first, 100 a page: the first batch is on the second page.
    expect((await api.find(999_999, "999999-1", since))?.id).toBe(server.batches.at(-130)!.id);
    expect((await api.find(999_999, "999999-130", since))?.id).toBe(server.batches.at(-1)!.id);
    expect(await api.find(999_999, "999999-131", since)).toBeNull();
    expect(await api.find(999_998, "999999-1", since)).toBeNull();
  });

  it("refuses batch mode with a concurrency below 2", async () => {
    const datasetId = await dataset("lonely", 1);
    await expect(
      startJob(db, {
        datasetId,
        pipeline: "ecd",
        params: { concurrency: 1, mode: "batch" },
        models: MODELS,
      }),
    ).rejects.toMatchObject({ field: "concurrency" });
    expect(await db.job.count({ where: { datasetId } })).toBe(0);
  });
});
