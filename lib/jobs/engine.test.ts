/**
 * The whole engine against a local OpenAI-compatible server (real SDK, real HTTP) and real
 * SQLite: job → tasks → worker → pipeline → LLM calls (cached in LlmCall) → one transaction of
 * nodes, responses and pairs per seed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type LlmTestServer, type RecordedRequest, startLlmServer } from "../../test/llm-server.ts";
import {
  BASE_ANSWER,
  NO_COMMA,
  POSTSCRIPT,
  PS_LINE,
  scriptedHandler,
  STUDENT_ANSWER,
  type Fault,
} from "../../test/scripted-llm.ts";
import type { ProviderConfig } from "../llm/providers.ts";
import { refreshVerdicts } from "../review/verdict-store.ts";
import { explainJob } from "./explain.ts";
import {
  createWorker,
  getJob,
  isFinished,
  type JobModels,
  type JobWorker,
  listTasks,
  retryFailedTasks,
  startJob,
} from "./index.ts";

const { db } = createTestDb();
let server: LlmTestServer;
let worker: JobWorker;
const faults: Record<string, Fault> = {};
const attemptLog: string[] = [];

const local = (model: string) => ({ provider: "local", model });
const ECD_MODELS: JobModels = { evolver: local("evolver-m"), responder: local("responder-m"), judge: local("judge-m") };
const C2S_MODELS: JobModels = { evolver: local("evolver-m"), student: local("student-m"), teacher: local("teacher-m") };

beforeAll(async () => {
  server = await startLlmServer({ handler: (body, info) => scriptedHandler(faults)(body, info) });
  const providers: ProviderConfig[] = [
    {
      name: "local",
      baseUrl: server.url,
      models: [{ name: "responder-m", promptPricePerM: 1, completionPricePerM: 2 }],
      concurrency: 8,
      timeoutMs: 2_000, // well under the slow fault's 3 s, and room for a loaded machine (a 1 s limit retried a call under load)
      maxAttempts: 3,
    },
  ];
  worker = createWorker(db, {
    slots: 8,
    pollMs: 20,
    maxPollMs: 100,
    retryDelayMs: 50,
    runner: { providers, backoff: { baseMs: 20, maxMs: 100 }, log: (e) => attemptLog.push(JSON.stringify(e)) },
  }).start();
});

afterAll(async () => {
  await worker?.stop({ graceMs: 1_000 });
  await server?.stop();
});

async function dataset(name: string, seeds: { instruction: string; reference: string }[]) {
  const ds = await db.dataset.create({ data: { name, settings: {} } });
  for (const [i, s] of seeds.entries()) {
    await db.seed.create({
      data: {
        datasetId: ds.id,
        instruction: s.instruction,
        referenceResponse: s.reference,
        contentHash: `${name}-${i}`,
        source: "plain",
        metadata: {},
      },
    });
  }
  return ds;
}

async function finished(jobId: number, timeoutMs = 30_000) {
  const start = Date.now();
  for (;;) {
    const job = await getJob(db, jobId);
    if (isFinished(job.status)) return job;
    if (Date.now() - start > timeoutMs)
      throw new Error(`job ${jobId} still ${job.status} (${job.tasksDone}/${job.tasksTotal})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const REF = "A lighthouse is a tall tower, with a bright lamp at the top, that guides ships at night.";

/**
 * A task writes its pairs from the nodes and responses as it just wrote them (no read-back): the
 * stored verdicts, flags and ids must equal what the review module computes from the stored rows.
 */
async function expectPairsAsIfReadBack(jobId: number) {
  const pairs = () =>
    db.pair
      .findMany({ where: { jobId }, orderBy: { id: "asc" } })
      .then((rows) => rows.map(({ updatedAt: _, ...row }) => row));
  const stored = await pairs();
  expect(stored.length).toBeGreaterThan(0);
  await db.$transaction((tx) =>
    refreshVerdicts(
      tx,
      stored.map((p) => p.id),
    ),
  );
  const nodes = await db.node.findMany({ where: { id: { in: stored.map((p) => p.nodeId) } } });
  expect(await pairs()).toEqual(stored);
  for (const pair of stored) {
    const node = nodes.find((n) => n.id === pair.nodeId)!;
    expect({ depth: pair.depth, contaminated: pair.contaminated }).toEqual({
      depth: node.depth,
      contaminated: node.contaminated,
    });
  }
}

describe("generation engine over HTTP", () => {
  it("ECD: two rounds of verifiable evolution give exactly the expected nodes, responses and pairs", async () => {
    const ds = await dataset("ecd-exact", [
      { instruction: "Describe a lighthouse.", reference: REF },
      { instruction: "Describe a windmill.", reference: "A windmill turns, slowly and steadily, in the wind." },
    ]);
    server.resetCounters();
    const job = await startJob(db, {
      datasetId: ds.id,
      pipeline: "ecd",
      params: { rounds: 2, r0Source: "reference", operations: ["add_verifiable"], concurrency: 2 },
      models: ECD_MODELS,
    });
    const done = await finished(job.id);
    expect(done).toMatchObject({ status: "succeeded", tasksDone: 2, tasksFailed: 0, pairs: 4, error: null });
    expect(server.totalRequests).toBe(8); // per seed: evolver, responder, evolver, responder
    expect(server.repeatedPaidCalls()).toEqual([]);
    await expectPairsAsIfReadBack(job.id);

    const seed = await db.seed.findFirstOrThrow({ where: { datasetId: ds.id, instruction: "Describe a lighthouse." } });
    const nodes = await db.node.findMany({ where: { seedId: seed.id }, orderBy: { depth: "asc" } });
    const I1 = `Describe a lighthouse. ${NO_COMMA.text}.`;
    const I2 = `${I1} ${POSTSCRIPT.text}.`;
    expect(
      nodes.map((n) => ({
        depth: n.depth,
        instruction: n.instruction,
        operation: n.operation,
        status: n.status,
        jobId: n.jobId,
        runKey: n.runKey,
      })),
    ).toEqual([
      { depth: 0, instruction: "Describe a lighthouse.", operation: null, status: "kept", jobId: null, runKey: null },
      {
        depth: 1,
        instruction: I1,
        operation: "add_verifiable",
        status: "kept",
        jobId: job.id,
        runKey: `${seed.id}:n0.0`,
      },
      {
        depth: 2,
        instruction: I2,
        operation: "add_verifiable",
        status: "kept",
        jobId: job.id,
        runKey: `${seed.id}:n0.0.0`,
      },
    ]);
    expect(nodes[1].parentId).toBe(nodes[0].id);
    expect(nodes[2].parentId).toBe(nodes[1].id);
    expect(nodes[2].constraints).toEqual([
      { kind: "verifiable", ...NO_COMMA },
      { kind: "verifiable", ...POSTSCRIPT },
    ]);

    const responses = await db.response.findMany({
      where: { jobId: job.id, node: { seedId: seed.id } },
      orderBy: { id: "asc" },
    });
    const R1 = BASE_ANSWER.replaceAll(",", "");
    expect(
      responses.map((r) => ({
        node: r.nodeId,
        text: r.text,
        role: r.role,
        provider: r.provider,
        model: r.model,
        runKey: r.runKey,
      })),
    ).toEqual([
      { node: nodes[0].id, text: REF, role: "responder", provider: "seed", model: "", runKey: `${seed.id}:r:n0` },
      {
        node: nodes[1].id,
        text: R1,
        role: "responder",
        provider: "local",
        model: "responder-m",
        runKey: `${seed.id}:r:n0.0`,
      },
      {
        node: nodes[2].id,
        text: `${R1}\n\n${PS_LINE}`,
        role: "responder",
        provider: "local",
        model: "responder-m",
        runKey: `${seed.id}:r:n0.0.0`,
      },
    ]);

    const pairs = await db.pair.findMany({
      where: { jobId: job.id, node: { seedId: seed.id } },
      orderBy: { id: "asc" },
    });
    expect(
      pairs.map((p) => ({
        node: p.nodeId,
        chosen: p.chosenId,
        rejected: p.rejectedId,
        method: p.method,
        depth: p.depth,
        hard: p.hardNegative,
        ids: p.constraintIds,
        status: p.status,
        runKey: p.runKey,
      })),
    ).toEqual([
      {
        node: nodes[1].id,
        chosen: responses[1].id,
        rejected: responses[0].id,
        method: "ecd",
        depth: 1,
        hard: true,
        ids: NO_COMMA.id,
        status: "pending",
        runKey: `${seed.id}:p:n0.0`,
      },
      {
        node: nodes[2].id,
        chosen: responses[2].id,
        rejected: responses[1].id,
        method: "ecd",
        depth: 2,
        hard: true,
        ids: `${NO_COMMA.id} ${POSTSCRIPT.id}`,
        status: "pending",
        runKey: `${seed.id}:p:n0.0.0`,
      },
    ]);
    expect(
      await db.pairCount.findUnique({ where: { datasetId_status: { datasetId: ds.id, status: "pending" } } }),
    ).toMatchObject({ count: 4 });

    // Every call is in LlmCall, attributed to the job and its task; tokens and cost add up.
    const calls = await db.llmCall.findMany({ where: { jobId: job.id } });
    expect(calls).toHaveLength(8);
    expect(calls.every((c) => c.status === "ok" && c.taskId !== null)).toBe(true);
    expect(done.promptTokens).toBe(calls.reduce((s, c) => s + c.promptTokens, 0));
    expect(done.completionTokens).toBe(calls.reduce((s, c) => s + c.completionTokens, 0));
    expect(done.costUsd).toBeCloseTo(
      calls.reduce((s, c) => s + c.costUsd, 0),
      10,
    );
    expect(done.costUsd).toBeGreaterThan(0);
  });

  it("ECD with a free-form requirement asks the judge, and a second identical job pays for nothing", async () => {
    const ds = await dataset("ecd-free", [{ instruction: "Describe a lighthouse.", reference: REF }]);
    server.resetCounters();
    const params = { rounds: 1, r0Source: "reference" as const, operations: ["add_free_form" as const] };
    const job = await startJob(db, { datasetId: ds.id, pipeline: "ecd", params, models: ECD_MODELS });
    expect(await finished(job.id)).toMatchObject({ status: "succeeded", pairs: 1 });
    expect(server.totalRequests).toBe(4); // evolver, responder, judge on R(1), judge on R(0)
    const pair = await db.pair.findFirstOrThrow({
      where: { jobId: job.id },
      include: { chosen: true, rejected: true, node: true },
    });
    expect(pair.node.constraints).toEqual([{ kind: "free", text: "The response mentions the word harbor." }]);
    expect(pair.chosen.text).toBe(`${BASE_ANSWER} It mentions harbor.`);
    expect(pair.chosen.verification).toEqual([
      { constraintIndex: 0, passed: true, by: "judge", reason: "the requirement is met" },
    ]);
    expect(pair.rejected.text).toBe(REF);
    await expectPairsAsIfReadBack(job.id);

    const again = await startJob(db, { datasetId: ds.id, pipeline: "ecd", params, models: ECD_MODELS });
    const second = await finished(again.id);
    expect(second).toMatchObject({ status: "succeeded", pairs: 1, promptTokens: 0, completionTokens: 0, costUsd: 0 });
    expect(server.totalRequests).toBe(4); // all answered from LlmCall
    // Both jobs share the seed's node 0.
    expect(await db.node.count({ where: { seedId: pair.node.seedId, depth: 0 } })).toBe(1);
  });

  it("sends each role's sampling settings to the server and stores them in the job's parameters", async () => {
    const ds = await dataset("sampling", [{ instruction: "Describe a lighthouse.", reference: REF }]);
    server.resetCounters();
    const sampling = { evolver: { temperature: 0.3, topP: 0.8, seed: 5 }, responder: { maxTokens: 300 } };
    const job = await startJob(db, {
      datasetId: ds.id,
      pipeline: "ecd",
      params: { rounds: 1, r0Source: "reference", operations: ["add_verifiable"], sampling },
      models: ECD_MODELS,
    });
    expect(await finished(job.id)).toMatchObject({ status: "succeeded", pairs: 1, params: { sampling } });
    const bodies = (model: string) => server.requests.filter((r) => r.body.model === model).map((r) => r.body);
    expect(bodies("evolver-m")).toEqual([expect.objectContaining({ temperature: 0.3, top_p: 0.8, seed: 5 })]);
    expect(bodies("evolver-m")[0]).not.toHaveProperty("max_tokens");
    expect(bodies("responder-m")).toEqual([expect.objectContaining({ max_tokens: 300 })]);
    expect(bodies("responder-m")[0]).not.toHaveProperty("top_p");
    // Bad settings are refused, naming the field.
    await expect(
      startJob(db, {
        datasetId: ds.id,
        pipeline: "ecd",
        params: { sampling: { responder: { topP: 1.5 } } } as never,
        models: ECD_MODELS,
      }),
    ).rejects.toThrow(/top_p must be at most 1/);
  });

  it("C2S: the student is corrected one constraint at a time; one pair per fix, chosen = the final answer", async () => {
    const ds = await dataset("c2s-exact", [{ instruction: "Describe a lighthouse.", reference: REF }]);
    server.resetCounters();
    const job = await startJob(db, {
      datasetId: ds.id,
      pipeline: "c2s",
      params: { constraintsPerPrompt: "2", constraintIds: [NO_COMMA.id, POSTSCRIPT.id] as never },
      models: C2S_MODELS,
    });
    expect(await finished(job.id)).toMatchObject({ status: "succeeded", tasksDone: 1, pairs: 2 });
    expect(server.repeatedPaidCalls()).toEqual([]);
    const node = await db.node.findFirstOrThrow({ where: { jobId: job.id } });
    expect(node).toMatchObject({ depth: 1, operation: "compose", status: "kept" });
    const ids = (node.constraints as { id: string }[]).map((c) => c.id);
    expect([...ids].sort()).toEqual([POSTSCRIPT.id, NO_COMMA.id].sort());
    const responses = await db.response.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } });
    expect(responses.map((r) => r.role)).toEqual(["student", "teacher", "teacher"]);
    expect(responses[0]).toMatchObject({ text: STUDENT_ANSWER, provider: "local", model: "student-m", parentId: null });
    expect(responses[1].parentId).toBe(responses[0].id);
    expect(responses[2].parentId).toBe(responses[1].id);
    const final = responses[2];
    expect(final.text).not.toContain(",");
    expect(final.text).toMatch(/P\.P?\.?S/);
    const pairs = await db.pair.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } });
    expect(pairs.map((p) => [p.method, p.chosenId, p.rejectedId, p.hardNegative])).toEqual([
      ["c2s", final.id, responses[0].id, null],
      ["c2s", final.id, responses[1].id, null],
    ]);
  });

  it("retries 429s, 500s and timeouts; records garbage replies and dead servers as failures with reasons", async () => {
    const seeds = ["busy", "flaky", "slow", "garbled", "chatty", "down"].map((name) => ({
      instruction: `Describe the ${name} lighthouse.`,
      reference: REF,
    }));
    const ds = await dataset("faults", seeds);
    faults["the busy lighthouse"] = ({ role, hashCount }) =>
      role === "evolver" && hashCount === 1 ? { status: 429, retryAfterMs: 50, message: "slow down" } : null;
    faults["the flaky lighthouse"] = ({ role, hashCount }) =>
      role === "responder" && hashCount <= 4 ? { status: 500, message: "upstream hiccup" } : null;
    faults["the slow lighthouse"] = ({ role, hashCount }) =>
      role === "responder" && hashCount === 1 ? { delayMs: 3_000 } : null;
    faults["the garbled lighthouse"] = ({ role }) => (role === "evolver" ? { garbage: "invalid-json" } : null);
    faults["the chatty lighthouse"] = ({ role }) =>
      role === "evolver" ? { content: "Sure! I would rewrite it to ask for more detail." } : null;
    faults["the down lighthouse"] = ({ role }) =>
      role === "responder" ? { status: 503, message: "service unavailable" } : null;
    server.resetCounters();
    const job = await startJob(db, {
      datasetId: ds.id,
      pipeline: "ecd",
      params: { rounds: 1, r0Source: "reference", operations: ["add_verifiable"], maxAttempts: 2, concurrency: 6 },
      models: ECD_MODELS,
    });
    const done = await finished(job.id, 60_000);
    expect(done).toMatchObject({
      status: "succeeded",
      tasksTotal: 6,
      tasksDone: 5,
      tasksFailed: 1,
      error: "1 of 6 tasks failed",
    });
    expect(server.repeatedPaidCalls()).toEqual([]);

    const tasks = new Map((await listTasks(db, job.id)).map((t) => [t.seedInstruction!.split(" ")[2], t]));
    const pairsOf = async (name: string) =>
      db.pair.count({ where: { jobId: job.id, node: { seed: { instruction: `Describe the ${name} lighthouse.` } } } });
    // 429 with retry-after-ms: retried inside the call; the task needed one attempt.
    expect(tasks.get("busy")).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(await pairsOf("busy")).toBe(1);
    // 500 ×4: the call gives up after 3 tries, the task's first attempt fails; the second attempt
    // reuses the stored evolver answer and succeeds on the 5th responder request.
    expect(tasks.get("flaky")).toMatchObject({ status: "succeeded", attempts: 2, error: null });
    expect(await pairsOf("flaky")).toBe(1);
    // A timeout is retried.
    expect(tasks.get("slow")).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(await pairsOf("slow")).toBe(1);
    // Unreadable replies are the step's failure: the candidate is dropped with the reason.
    for (const name of ["garbled", "chatty"]) {
      expect(tasks.get(name)).toMatchObject({ status: "succeeded", attempts: 1 });
      expect(await pairsOf(name)).toBe(0);
    }
    const dropped = await db.node.findMany({ where: { jobId: job.id, status: "dropped" }, include: { seed: true } });
    const reasons = Object.fromEntries(
      dropped.map((n) => [n.seed.instruction.split(" ")[2], `${n.dropCode}: ${n.dropReason}`]),
    );
    expect(reasons.garbled).toMatch(
      /^evolver_failed: evolver call failed \(unparsable\): local\/evolver-m: the reply is not valid JSON/,
    );
    expect(reasons.chatty).toBe(
      'evolver_failed: unparsable evolution reply (no JSON object): "Sure! I would rewrite it to ask for more detail."',
    );
    // A server that stays down fails the task after its attempts, with the reason.
    expect(tasks.get("down")).toMatchObject({ status: "failed", attempts: 2 });
    expect(tasks.get("down")!.error).toMatch(/503|server_error|service unavailable/);
    expect(await pairsOf("down")).toBe(0);
    expect(attemptLog.length).toBeGreaterThan(0);

    // The job explains itself: its LLM stats by role equal what the server saw, its drops what
    // the scripted replies caused.
    const explained = await explainJob(db, done);
    const roleOf = (r: RecordedRequest) => String(r.body.model).replace(/-m$/, "");
    const seen = (role: string, test: (r: RecordedRequest) => boolean) =>
      server.requests.filter((r) => roleOf(r) === role && test(r)).length;
    const paid = (role: string) =>
      [...server.paidPerHash.entries()]
        .filter(([hash]) => server.requests.some((r) => r.hash === hash && roleOf(r) === role))
        .reduce((sum, [, n]) => sum + n, 0);
    expect(explained.llm.map((row) => row.role)).toEqual(["evolver", "responder"]);
    for (const row of explained.llm) {
      expect(row).toMatchObject({
        provider: "local",
        rateLimited: seen(row.role, (r) => r.status === 429),
        serverErrors: seen(row.role, (r) => r.status >= 500),
        timeouts: seen(row.role, (r) => r.status === 0),
        parseFailures: seen(row.role, (r) => r.status === 200) - paid(row.role),
      });
      // Every HTTP request is an attempt: the first of each call, or a retry of it.
      expect(row.calls - row.cached + row.retries).toBe(seen(row.role, () => true));
      expect(row.calls - row.cached - row.failed).toBe(paid(row.role));
    }
    expect(explained.llm.find((row) => row.role === "evolver")).toMatchObject({ rateLimited: 1, parseFailures: 1 });
    expect(explained.llm.find((row) => row.role === "responder")).toMatchObject({ timeouts: 1 });
    expect(explained.llmTotals.promptTokens).toBe(done.promptTokens);
    expect(explained.llmTotals.completionTokens).toBe(done.completionTokens);
    expect(explained).toMatchObject({ candidates: 5, kept: 3, dropped: 2, warning: null });
    expect(explained.dropReasons.map((r) => [r.code, r.count, r.examples.length])).toEqual([["evolver_failed", 2, 2]]);

    // Retry-failed after the server recovered: only the failed task runs again, and the
    // evolver answers it already paid for come from LlmCall.
    delete faults["the down lighthouse"];
    const paidBefore = [...server.paidPerHash.values()].reduce((a, b) => a + b, 0);
    expect(await retryFailedTasks(db, job.id, null)).toEqual({ requeued: 1 });
    const retried = await finished(job.id);
    expect(retried).toMatchObject({ status: "succeeded", tasksDone: 6, tasksFailed: 0, error: null });
    expect(await pairsOf("down")).toBe(1);
    const paidAfter = [...server.paidPerHash.values()].reduce((a, b) => a + b, 0);
    expect(paidAfter - paidBefore).toBe(1); // only the responder call
    expect(server.repeatedPaidCalls()).toEqual([]);
  }, 60_000);
});
