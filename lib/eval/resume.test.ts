/**
 * An evaluation run survives its worker: an `ecd worker` process is SIGKILLed with answers in
 * flight, another resumes the run, and no prompt the server answered is asked again (the run's
 * answers are cached under its id), with one response per prompt.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type LlmTestServer, startLlmServer } from "../../test/llm-server.ts";
import { exited, killAll, settled, spawnWorker, until } from "../../test/worker-processes.ts";
import { getJob, isFinished } from "../jobs/index.ts";
import { getEvalRun, startEvalRun } from "./runs.ts";

const { db, url } = createTestDb();
let server: LlmTestServer | undefined;

afterAll(async () => {
  killAll();
  await server?.stop();
});

describe("an evaluation run whose worker is killed", () => {
  it("is finished by another worker with no answered request repeated", async () => {
    const PROMPTS = 16;
    let frozen = false;
    let thawed = false;
    // From the 7th request on, answers are held back until the first worker is gone.
    server = await startLlmServer({
      latencyMs: 20,
      handler: (_body, info) => {
        if (info.requestNumber >= 7 && !thawed) frozen = true;
        return frozen && !thawed ? { delayMs: 60_000 } : { content: "a reply without any commas at all" };
      },
    });
    const set = await db.benchmarkSet.create({ data: { name: "resume-set", source: "upload" } });
    await db.benchmarkPrompt.createMany({
      data: Array.from({ length: PROMPTS }, (_, position) => ({
        setId: set.id,
        position,
        prompt: `Describe island number ${position} without using any commas.`,
        instructionIds: ["punctuation:no_comma"],
        kwargs: [{}],
      })),
    });
    const { runId, jobId } = await startEvalRun(
      db,
      { provider: "openai", model: "test-model", benchmark: "set:resume-set", concurrency: 4 },
      null,
    );

    const output: string[] = [];
    const first = spawnWorker({ databaseUrl: url, llmUrl: server.url, output });
    await until("answers to freeze with requests in flight", () => frozen && server!.inFlight > 0, 60_000, output);
    await settled("LlmCall to settle", () => db.llmCall.count({ where: { status: "ok", jobId } }), output);
    await new Promise((r) => setTimeout(r, 300));
    const answeredAtKill = server.paidPerHash.size;
    first.kill("SIGKILL");
    expect(await exited(first)).toEqual({ code: null, signal: "SIGKILL" });
    expect(answeredAtKill).toBeGreaterThan(0);
    expect((await getJob(db, jobId)).tasksDone).toBeLessThan(PROMPTS);

    thawed = true;
    const second = spawnWorker({ databaseUrl: url, llmUrl: server.url, output });
    await until("the run to finish", async () => isFinished((await getJob(db, jobId)).status), 90_000, output);
    second.kill("SIGTERM");
    expect(await exited(second)).toEqual({ code: 0, signal: null });

    expect(await getJob(db, jobId)).toMatchObject({ status: "succeeded", tasksDone: PROMPTS, tasksFailed: 0 });
    // Every prompt was answered (paid) exactly once across both workers, and stored once.
    expect(server.repeatedPaidCalls()).toEqual([]);
    expect(server.paidPerHash.size).toBe(PROMPTS);
    expect(await db.evalResponse.count({ where: { runId } })).toBe(PROMPTS);
    const results = await getEvalRun(db, runId);
    expect(results.strict.prompt).toMatchObject({ correct: PROMPTS, total: PROMPTS });
  }, 180_000);
});
