import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import {
  createFixtureDataset,
  createFixturePair,
  createFixtureUser,
  FREE_TONE,
  NO_COMMA,
} from "../../test/fixtures/pairs.ts";
import { type LlmTestServer, startLlmServer } from "../../test/llm-server.ts";
import { createRejudgeHandler, createWorker, getJob, type JobWorker } from "../jobs/index.ts";
import type { ProviderConfig } from "../llm/providers.ts";
import { editPair } from "./decide.ts";
import { NO_JUDGE_REASON, REJUDGE, REJUDGE_PENDING_REASON } from "./rejudge.ts";
import { parsePairVerdicts } from "./verdict-record.ts";
import { loadPairView } from "./view.ts";

/**
 * Issue 10: after an edit, free-form verdicts are unknown at once (no LLM call on the request
 * path); a background `rejudge` task asks the pair's judge model — the real SDK over real HTTP to
 * the local test server — and stores its verdict, unless the pair changed meanwhile.
 */

const { db } = createTestDb();
let server: LlmTestServer;
let providers: ProviderConfig[];
let worker: JobWorker | null = null;

/** The scripted judge: a response is friendly when it says "please". */
function judgeReply(body: { messages: { role: string; content: string }[] }) {
  const user = body.messages.find((m) => m.role === "user")?.content ?? "";
  const response = user.split('The response:\n"""\n')[1] ?? "";
  const passed = /please/i.test(response);
  return { content: JSON.stringify({ passed, reason: passed ? "It says please." : "It never says please." }) };
}

beforeAll(async () => {
  server = await startLlmServer({ handler: judgeReply });
  providers = [{ name: "local", baseUrl: server.url, models: [], concurrency: 4, timeoutMs: 2_000, maxAttempts: 2 }];
});

afterAll(async () => {
  await worker?.stop({ graceMs: 500 });
  await server?.stop();
});

function startWorker() {
  worker ??= createWorker(db, { slots: 2, pollMs: 10, maxPollMs: 50, runner: { providers } }).start();
}

async function until(predicate: () => Promise<boolean>, timeoutMs = 10_000) {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function generationJob(datasetId: number, judge: { provider: string; model: string } | null) {
  const models = {
    evolver: { provider: "rule-based", model: "" },
    responder: { provider: "rule-based", model: "" },
    ...(judge ? { judge } : {}),
  };
  return db.job.create({
    data: { kind: "generation", datasetId, pipeline: "ecd", params: {}, models, status: "succeeded" },
  });
}

async function pairWithFreeForm(options: { judge: boolean | "rule-based"; manual?: boolean }) {
  const ds = await createFixtureDataset(db);
  const job = options.manual
    ? null
    : await generationJob(
        ds.id,
        options.judge === "rule-based"
          ? { provider: "rule-based", model: "" }
          : options.judge
            ? { provider: "local", model: "judge-m" }
            : null,
      );
  const fx = await createFixturePair(db, {
    datasetId: ds.id,
    method: options.manual ? "manual" : "ecd",
    constraints: [NO_COMMA, FREE_TONE],
    chosen: "Please enjoy the walk in the park",
    rejected: "Walk. Now.",
    jobId: job?.id ?? null,
  });
  return { ds, fx, jobId: job?.id ?? null };
}

const admin = async () => createFixtureUser(db, { role: "admin" });
const record = async (pairId: number) =>
  parsePairVerdicts((await db.pair.findUniqueOrThrow({ where: { id: pairId }, select: { verdicts: true } })).verdicts)!;
const rejudgeJobs = async (pairId: number) =>
  db.job.findMany({ where: { kind: REJUDGE, params: { equals: { pairId } } }, select: { id: true } });

describe("the background re-check of free-form verdicts after an edit", () => {
  it("an edit leaves the free-form verdict unknown with no LLM call; the worker's task then judges it", async () => {
    const { fx } = await pairWithFreeForm({ judge: true });
    const user = await admin();
    expect((await record(fx.pairId)).constraints[1]).toMatchObject({ chosen: "pass", chosenBy: "judge" });

    const before = server.totalRequests;
    await editPair(db, user, { pairId: fx.pairId, version: 1, chosen: "Walk in the park, now" });
    // On the request path: the code-checked verdict is recomputed, the free-form one is unknown.
    const edited = await record(fx.pairId);
    expect(edited.constraints[0]).toMatchObject({ chosen: "fail", chosenBy: "code" });
    expect(edited.constraints[1]).toMatchObject({ chosen: "unknown", chosenBy: null });
    expect(server.totalRequests).toBe(before);
    const view = await loadPairView(db, fx.pairId);
    expect(view.chosen.verdicts[1]).toMatchObject({ passed: null, reason: REJUDGE_PENDING_REASON });
    const [job] = await rejudgeJobs(fx.pairId);
    expect(job).toBeDefined();

    startWorker();
    await until(async () => (await getJob(db, job!.id)).status === "succeeded");
    expect(server.totalRequests).toBe(before + 1);
    const judged = await record(fx.pairId);
    expect(judged.constraints[1]).toMatchObject({
      chosen: "fail",
      chosenBy: "judge",
      chosenReason: "It never says please.",
    });
    expect(judged.constraints.filter((c) => c.chosen === "unknown")).toEqual([]);
    const lastRequest = server.requests[server.requests.length - 1]!;
    expect(lastRequest.body.model).toBe("judge-m");
    expect(JSON.stringify(lastRequest.body.messages)).toContain("Walk in the park, now");

    // A second edit is judged the same way, and the call went through the LlmCall cache.
    await editPair(db, user, { pairId: fx.pairId, version: 2, chosen: "Please walk in the park" });
    expect((await record(fx.pairId)).constraints[1]!.chosen).toBe("unknown");
    await until(async () => (await record(fx.pairId)).constraints[1]!.chosen !== "unknown");
    expect((await record(fx.pairId)).constraints[1]).toMatchObject({ chosen: "pass", chosenBy: "judge" });
    expect(await db.llmCall.count({ where: { model: "judge-m", status: "ok" } })).toBeGreaterThanOrEqual(2);
  });

  it("drops a stale answer: a verdict for an older version of the pair never overwrites a newer edit", async () => {
    await worker?.stop({ graceMs: 500 });
    worker = null;
    const { fx } = await pairWithFreeForm({ judge: true });
    const user = await admin();
    await editPair(db, user, { pairId: fx.pairId, version: 1, chosen: "Please take a walk" });
    const [first] = await rejudgeJobs(fx.pairId);
    const task = await db.task.findFirstOrThrow({ where: { jobId: first!.id } });

    // The first re-check asks the judge ...
    const controller = new AbortController();
    const run = await createRejudgeHandler({ providers })(
      db,
      {
        id: task.id,
        jobId: first!.id,
        kind: REJUDGE,
        seedId: null,
        payload: task.payload,
        attempts: 1,
        maxAttempts: 3,
      },
      {
        owner: "test",
        signal: controller.signal,
        draining: new AbortController().signal,
        usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 },
      },
    );
    // ... while the pair's prompt is edited (same chosen response); then the answer for the old
    // prompt ("pass") arrives and is dropped.
    const prompt = "Describe a walk in the park for a child. Keep a friendly tone.";
    await editPair(db, user, { pairId: fx.pairId, version: 2, prompt });
    await db.$transaction((tx) => run.write(tx));
    expect((await record(fx.pairId)).constraints[1]).toMatchObject({ chosen: "unknown" });
    expect((await rejudgeJobs(fx.pairId)).length).toBe(2);

    // The newer edit's own re-check settles it, judged against the new prompt.
    startWorker();
    await until(async () => (await record(fx.pairId)).constraints[1]!.chosen !== "unknown");
    expect((await record(fx.pairId)).constraints[1]).toMatchObject({ chosen: "pass", chosenBy: "judge" });
    expect(JSON.stringify(server.requests[server.requests.length - 1]!.body.messages)).toContain("for a child");
  });

  it("a pair with no judge (rule-based job, manual pair) stays unknown and the review screen says why", async () => {
    startWorker();
    const user = await admin();
    for (const options of [{ judge: "rule-based" as const }, { judge: false }, { judge: false, manual: true }]) {
      const { fx } = await pairWithFreeForm(options);
      const before = server.totalRequests;
      await editPair(db, user, { pairId: fx.pairId, version: 1, rejected: "Walk, now" });
      expect(await rejudgeJobs(fx.pairId)).toEqual([]);
      await new Promise((r) => setTimeout(r, 100));
      expect((await record(fx.pairId)).constraints[1]).toMatchObject({ rejected: "unknown" });
      expect(server.totalRequests).toBe(before);
      const view = await loadPairView(db, fx.pairId);
      expect(view.rejected.verdicts[1]).toMatchObject({ passed: null, reason: NO_JUDGE_REASON });
    }
  });
});
