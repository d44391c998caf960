/**
 * An evaluation run end to end: a local OpenAI-compatible server answers each IFEval prompt with
 * the response recorded in the public GPT-4 file; the run (real job engine, real SQLite, real
 * HTTP) gives the official four numbers, and its output files equal the official ones byte for byte.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type LlmTestServer, startLlmServer } from "../../test/llm-server.ts";
import { describeWithSharedData, sharedDataPath } from "../../test/shared-data.ts";
import { createWorker, getJob, isFinished, type JobWorker } from "../jobs/index.ts";
import type { ProviderConfig } from "../llm/providers.ts";
import { writeEvalOutputs } from "./output.ts";
import { getEvalRun, startEvalRun } from "./runs.ts";

const { db } = createTestDb();
let server: LlmTestServer;
let worker: JobWorker;
let dir: string;

async function finished(jobId: number, timeoutMs = 120_000) {
  const start = Date.now();
  for (;;) {
    const job = await getJob(db, jobId);
    if (isFinished(job.status)) return job;
    if (Date.now() - start > timeoutMs) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeWithSharedData("evaluation run on IFEval with GPT-4's recorded responses", () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "ecd-eval-"));
    const recorded = new Map<string, string>();
    for (const line of readFileSync(
      sharedDataPath("ifeval", "input_response_data_gpt4_20231107_145030.jsonl"),
      "utf8",
    ).split("\n")) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { prompt: string; response: string };
      recorded.set(row.prompt, row.response);
    }
    server = await startLlmServer({
      handler: (body) => {
        const user = body.messages.findLast((m) => m.role === "user")?.content ?? "";
        const response = recorded.get(user);
        return response === undefined ? { status: 400, message: "unknown prompt" } : { content: response };
      },
    });
    // A generous timeout: this process also verifies every answer, and on a loaded machine a reply
    // read late must not time out and be asked (and paid) again.
    const providers: ProviderConfig[] = [
      { name: "local", baseUrl: server.url, models: [], concurrency: 16, timeoutMs: 120_000, maxAttempts: 2 },
    ];
    worker = createWorker(db, {
      slots: 16,
      pollMs: 20,
      maxPollMs: 100,
      retryDelayMs: 50,
      runner: { providers },
    }).start();
  }, 30_000);

  afterAll(async () => {
    await worker?.stop({ graceMs: 1_000 });
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives the official four numbers and writes the official files byte for byte", async () => {
    const { runId, jobId } = await startEvalRun(
      db,
      { provider: "local", model: "gpt-4-recorded", benchmark: "ifeval", concurrency: 16 },
      null,
    );
    const job = await finished(jobId);
    expect(job.status).toBe("succeeded");
    const results = await getEvalRun(db, runId);
    expect(results.answered).toBe(541);
    expect([results.strict.prompt.correct, results.strict.prompt.total]).toEqual([417, 541]);
    expect([results.strict.instruction.correct, results.strict.instruction.total]).toEqual([698, 834]);
    expect([results.loose.prompt.correct, results.loose.prompt.total]).toEqual([431, 541]);
    expect([results.loose.instruction.correct, results.loose.instruction.total]).toEqual([714, 834]);
    // Every prompt was asked once, at temperature 0.
    expect(server.repeatedPaidCalls()).toEqual([]);

    await writeEvalOutputs(results, dir);
    for (const mode of ["strict", "loose"]) {
      expect(readFileSync(path.join(dir, `eval_results_${mode}.jsonl`), "utf8")).toBe(
        readFileSync(sharedDataPath("ifeval", `official_eval_results_${mode}_gpt4.jsonl`), "utf8"),
      );
    }
  }, 180_000);
});
