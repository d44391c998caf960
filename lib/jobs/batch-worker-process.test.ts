/**
 * Batch mode across crashes, with real `ecd worker` processes and the test server's Batch API:
 * a worker SIGKILLed after the provider created its batch but before it could record the batch's
 * id, and another SIGKILLed while a recorded batch is in progress. The restarted workers adopt
 * both batches (found by their metadata, or by their recorded id) instead of submitting them
 * again, and finish the job: every batch key was submitted once, no request was asked twice and
 * no chat call was made directly.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type LlmTestServer, startLlmServer } from "../../test/llm-server.ts";
import { scriptedHandler } from "../../test/scripted-llm.ts";
import { exited, killAll, spawnWorker, until } from "../../test/worker-processes.ts";
import { BATCH_METADATA } from "../llm/batch.ts";
import { datasetWithEcdJob } from "../../test/fixtures/ecd-job.ts";
import { getJob, isFinished } from "./index.ts";

const { db, url } = createTestDb();
let server: LlmTestServer | undefined;

afterAll(async () => {
  killAll();
  await server?.stop();
});

describe("a batch-mode worker process killed mid-batch", () => {
  it("is resumed without submitting any batch twice", async () => {
    const SEEDS = 8;
    server = await startLlmServer({ handler: scriptedHandler() });
    const dir = mkdtempSync(path.join(os.tmpdir(), "ecd-batch-"));
    const providersFile = path.join(dir, "providers.json");
    writeFileSync(
      providersFile,
      JSON.stringify({
        providers: [
          {
            name: "batchy",
            baseUrl: server.url,
            batch: true,
            models: [{ name: "test-model", promptPricePerM: 1, completionPricePerM: 2 }],
          },
        ],
      }),
    );
    // The provider comes from the file (no `openai` from the environment).
    const env = {
      ECD_PROVIDERS_FILE: providersFile,
      OPENAI_API_KEY: "",
      ECD_LEASE_MS: "3000",
      ECD_BATCH_POLL_MS: "50",
    };
    const { job } = await datasetWithEcdJob(db, {
      name: "batch-crash",
      seeds: SEEDS,
      thing: "lighthouse",
      reference: "It is tall, white, and bright.",
      provider: "batchy",
      params: { rounds: 1, mode: "batch" },
    });

    // 1. Killed between submitting and recording: the provider creates the batch, the worker dies before the reply.
    const output: string[] = [];
    const first = spawnWorker({ databaseUrl: url, llmUrl: "", output, env });
    server.onBatchCreated = async () => {
      server!.onBatchCreated = null;
      first.kill("SIGKILL");
      await exited(first);
    };
    expect(await exited(first)).toEqual({ code: null, signal: "SIGKILL" });
    expect(server.batches).toHaveLength(1);
    const recorded = await db.llmBatch.findMany({ where: { jobId: job.id } });
    expect(recorded.map((b) => [b.key, b.status, b.providerBatchId])).toEqual([[`${job.id}-1`, "preparing", null]]);

    // 2. The next worker adopts that batch (its metadata names the job and key); killed while batch 2 is in progress.
    // Batch 2 stays in progress (batch 1 is answered before batch 2 is made).
    server.onBatchCreated = () => {
      server!.onBatchCreated = null;
      server!.batchDelayMs = 600_000;
    };
    const second = spawnWorker({ databaseUrl: url, llmUrl: "", output, env });
    await until(
      "batch 2 to be submitted and recorded",
      async () =>
        (await db.llmBatch.count({ where: { jobId: job.id, key: `${job.id}-2`, status: "in_progress" } })) > 0,
      60_000,
      output,
    );
    const adopted = await db.llmBatch.findFirstOrThrow({ where: { jobId: job.id, key: `${job.id}-1` } });
    expect(adopted).toMatchObject({ providerBatchId: server.batches[0]!.id, status: "completed" });
    expect(adopted.storedAt).not.toBeNull();
    second.kill("SIGKILL");
    expect(await exited(second)).toEqual({ code: null, signal: "SIGKILL" });
    expect(server.batches).toHaveLength(2);

    // 3. The third worker polls the recorded batch 2 and finishes the job.
    server.batchDelayMs = 0;
    const third = spawnWorker({ databaseUrl: url, llmUrl: "", output, env });
    await until("the job to finish", async () => isFinished((await getJob(db, job.id)).status), 90_000, output);
    third.kill("SIGTERM");
    expect(await exited(third)).toEqual({ code: 0, signal: null });

    expect(await db.task.findMany({ where: { jobId: job.id, status: { not: "succeeded" } } })).toEqual([]);
    expect(await getJob(db, job.id)).toMatchObject({
      status: "succeeded",
      tasksDone: SEEDS + 1,
      tasksFailed: 0,
      pairs: SEEDS,
    });
    // The server's log: each batch key submitted once, each request asked once, no direct chat call.
    const keys = server.batches.map((b) => b.metadata?.[BATCH_METADATA.key]);
    expect(keys).toEqual([`${job.id}-1`, `${job.id}-2`]);
    expect(server.batches.map((b) => b.requests.length)).toEqual([SEEDS, SEEDS]);
    expect([...server.batchRequestsPerHash.values()].filter((n) => n > 1)).toEqual([]);
    expect(server.totalRequests).toBe(0);
    expect(await db.llmCall.count({ where: { jobId: job.id, status: "ok" } })).toBe(SEEDS * 2);
    // Each batch's cost counted once on the job, at the batch price.
    const calls = await db.llmCall.findMany({ where: { jobId: job.id } });
    const cost = calls.reduce((sum, c) => sum + c.costUsd, 0);
    expect((await getJob(db, job.id)).costUsd).toBeCloseTo(cost, 9);
    const tokens = calls.reduce((sum, c) => sum + c.promptTokens * 1 + c.completionTokens * 2, 0) / 1_000_000;
    expect(cost).toBeCloseTo(tokens / 2, 9);
  }, 240_000);
});
