import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type LlmTestServer, type ScriptedReply, startLlmServer } from "../../test/llm-server.ts";
import { AnswersBeingStored, CachedChatModel, canonicalJson, llmRequestHash, storeAnswersIn } from "./cache.ts";
import { OpenAICompatibleChatModel, type OpenAICompatibleOptions } from "./openai-compatible.ts";
import { type ChatModel, type ChatRequest, LlmCallError } from "./types.ts";

const { db } = createTestDb();
let server: LlmTestServer;

beforeAll(async () => {
  server = await startLlmServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  server.resetCounters();
  server.latencyMs = 0;
  server.handler = () => ({ content: "stored answer", usage: { prompt_tokens: 10, completion_tokens: 20 } });
  await db.llmCall.deleteMany();
});

function cached(options: Partial<OpenAICompatibleOptions> = {}): CachedChatModel {
  const inner = new OpenAICompatibleChatModel({
    provider: "local",
    baseUrl: server.url,
    model: "test-model",
    backoff: { baseMs: 1, maxMs: 5 },
    maxAttempts: 2,
    prices: { promptPerM: 1, completionPerM: 2 },
    log: () => {},
    ...options,
  });
  return new CachedChatModel(inner, { db });
}

function scripted(...script: ScriptedReply[]) {
  return (_body: unknown, info: { requestNumber: number }) => script[Math.min(info.requestNumber, script.length) - 1]!;
}

const ask: ChatRequest = { messages: [{ role: "user", content: "Name three rivers." }], temperature: 0.7 };

async function jobIds(): Promise<{ jobId: number }> {
  const dataset = await db.dataset.create({ data: { name: `llm-cache-${Math.random()}`, settings: {} } });
  const job = await db.job.create({ data: { datasetId: dataset.id, pipeline: "ecd", params: {}, models: {} } });
  return { jobId: job.id };
}

describe("CachedChatModel", () => {
  it("with a storing list, hands a paid answer back before it is stored, and an identical call meanwhile joins it", async () => {
    const { jobId } = await jobIds();
    const model = cached();
    const storing = new AnswersBeingStored();
    const first = await model.complete(ask, { jobId, taskId: 1, storing });
    expect(first).toMatchObject({ text: "stored answer", cached: false });
    expect(storing.unstored()).toHaveLength(1);
    // The write is gathered for the next turn of the event loop: not stored yet.
    expect(await db.llmCall.count()).toBe(0);
    // An identical call now is not paid again: it shares the answer until it is stored.
    const joined = model.complete(ask, { jobId, taskId: 2 });
    await storing.settled();
    expect(storing.unstored()).toEqual([]);
    expect(await joined).toMatchObject({ text: "stored answer", cached: true, attempts: 0 });
    expect(await db.llmCall.count()).toBe(1);
    expect(server.totalRequests).toBe(1);
    // After it is stored, a call finds the row.
    expect(await model.complete(ask)).toMatchObject({ cached: true });
    expect(server.totalRequests).toBe(1);
  });

  it("an answer whose own write has not run yet is stored by the task's transaction, and the late write changes nothing", async () => {
    const { jobId } = await jobIds();
    const model = cached();
    const storing = new AnswersBeingStored();
    const answer = await model.complete(ask, { jobId, taskId: 3, storing });
    const [row] = storing.unstored();
    expect(row).toMatchObject({ status: "ok", jobId, taskId: 3 });
    // The completing transaction writes it; its own write (queued meanwhile) runs after and rewrites the same values.
    await db.$transaction((tx) => storeAnswersIn(tx, storing));
    const stored = await db.llmCall.findMany();
    await storing.settled();
    expect(await db.llmCall.findMany()).toEqual(stored);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: "ok", jobId, taskId: 3, promptTokens: answer.usage.promptTokens });
    // Nothing left to write: a second transaction writes nothing.
    await db.$transaction((tx) => storeAnswersIn(tx, storing));
    expect(server.totalRequests).toBe(1);
    expect(await model.complete(ask)).toMatchObject({ text: "stored answer", cached: true });
  });

  it("records the call, then answers the same request from LlmCall without HTTP", async () => {
    const { jobId } = await jobIds();
    const model = cached();
    const first = await model.complete(ask, { jobId, taskId: 7 });
    expect(first).toMatchObject({ text: "stored answer", cached: false, attempts: 1 });

    const rows = await db.llmCall.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      requestHash: model.keyFor(ask).hash,
      provider: "local",
      model: "test-model",
      status: "ok",
      error: null,
      promptTokens: 10,
      completionTokens: 20,
      jobId,
      taskId: 7,
      response: { text: "stored answer", finishReason: "stop" },
      request: { provider: "local", model: "test-model", messages: ask.messages, temperature: 0.7 },
    });
    expect(rows[0]!.costUsd).toBeCloseTo((10 * 1 + 20 * 2) / 1e6, 12);
    expect(rows[0]!.latencyMs).toBeGreaterThanOrEqual(0);

    // A fresh wrapper (a resumed task in another run) gets the stored answer.
    const again = await cached().complete({ ...ask, messages: [{ content: "Name three rivers.", role: "user" }] });
    expect(again).toMatchObject({
      text: "stored answer",
      cached: true,
      attempts: 0,
      provider: "local",
      model: "test-model",
    });
    expect(again.usage).toEqual(first.usage);
    expect(server.totalRequests).toBe(1);
    expect(server.repeatedPaidCalls()).toEqual([]);
    expect(await db.llmCall.count()).toBe(1);
  });

  it("keys on everything that changes the answer: messages, temperature, maxTokens, jsonSchema, cacheKey, model", async () => {
    const variants: ChatRequest[] = [
      ask,
      { ...ask, temperature: 0.2 },
      { ...ask, maxTokens: 100 },
      { ...ask, jsonSchema: { name: "rivers", schema: { type: "object" } } },
      { ...ask, cacheKey: "branch-1" },
      { ...ask, cacheKey: "branch-2" },
      { ...ask, messages: [{ role: "user", content: "Name four rivers." }] },
    ];
    for (const request of variants) expect((await cached().complete(request)).cached).toBe(false);
    expect((await cached({ model: "other-model" }).complete(ask)).cached).toBe(false);
    expect(server.totalRequests).toBe(variants.length + 1);
    expect(await db.llmCall.count()).toBe(variants.length + 1);
    // The cacheKey is not sent to the server.
    expect(server.requests.every((request) => !("cacheKey" in request.body) && !("cache_key" in request.body))).toBe(
      true,
    );
  });

  it("hashes the model's defaults, so a changed default temperature is a new request", async () => {
    await cached({ temperature: 0 }).complete({ messages: ask.messages });
    expect((await cached({ temperature: 0 }).complete({ messages: ask.messages })).cached).toBe(true);
    expect((await cached({ temperature: 0 }).complete({ messages: ask.messages, temperature: 0 })).cached).toBe(true);
    expect((await cached({ temperature: 1 }).complete({ messages: ask.messages })).cached).toBe(false);
  });

  it("records a failure as an error row and does not reuse it", async () => {
    server.handler = scripted({ status: 400, message: "bad schema" }, { content: "second try works" });
    const error = await cached()
      .complete(ask, {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmCallError);
    const failed = await db.llmCall.findMany();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: "error", response: null, promptTokens: 0 });
    expect(failed[0]!.error).toContain("bad_request");
    expect(failed[0]!.error).toContain("bad schema");

    const retried = await cached().complete(ask);
    expect(retried).toMatchObject({ text: "second try works", cached: false });
    const rows = await db.llmCall.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "ok", error: null, response: { text: "second try works" } });
    expect(server.totalRequests).toBe(2);
  });

  it("records an exhausted retry with its kind and attempts", async () => {
    server.handler = () => ({ status: 500 });
    await expect(cached().complete(ask)).rejects.toMatchObject({ kind: "server_error", attempts: 2 });
    const [row] = await db.llmCall.findMany();
    expect(row).toMatchObject({ status: "error" });
    expect(row!.error).toMatch(/^server_error: .*gave up after 2 attempts/);
  });

  it("never lets an error overwrite a stored ok answer", async () => {
    const model = cached();
    await model.complete(ask);
    const { hash } = model.keyFor(ask);
    // Another process failing on the same request after we stored the answer.
    const failing: ChatModel = {
      provider: "local",
      model: "test-model",
      baseUrl: server.url,
      complete: () => Promise.reject(new LlmCallError("boom", "server_error", 1)),
    };
    const wrapper = new CachedChatModel(failing, { db });
    // The ok row answers, so the failing model is never asked.
    expect((await wrapper.complete(ask)).text).toBe("stored answer");
    // Make the ok row unreadable so the wrapper calls (and fails) again: the error is not written over it.
    await db.llmCall.update({ where: { requestHash: hash }, data: { response: { notText: true } } });
    await expect(wrapper.complete(ask)).rejects.toThrow("boom");
    const row = await db.llmCall.findUniqueOrThrow({ where: { requestHash: hash } });
    expect(row).toMatchObject({ status: "ok", error: null });
  });

  it("shares one HTTP call among identical concurrent requests", async () => {
    server.latencyMs = 150;
    const results = await Promise.all(Array.from({ length: 5 }, () => cached().complete(ask)));
    expect(server.totalRequests).toBe(1);
    expect(results.every((result) => result.text === "stored answer")).toBe(true);
    expect(results.filter((result) => !result.cached)).toHaveLength(1);
    expect(await db.llmCall.count()).toBe(1);
  });

  it("shares a failure among identical concurrent requests too", async () => {
    server.latencyMs = 100;
    server.handler = () => ({ status: 400 });
    const settled = await Promise.allSettled(Array.from({ length: 3 }, () => cached().complete(ask)));
    expect(settled.every((result) => result.status === "rejected")).toBe(true);
    expect(server.totalRequests).toBe(1);
  });

  it("a follower whose leader is cancelled makes its own call", async () => {
    server.latencyMs = 200;
    const leader = new AbortController();
    const first = cached().complete(ask, { signal: leader.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = cached().complete(ask);
    leader.abort();
    await expect(first).rejects.toMatchObject({ kind: "cancelled" });
    expect(await second).toMatchObject({ text: "stored answer", cached: false });
    expect(server.totalRequests).toBe(2);
  });
});

describe("canonicalJson / llmRequestHash", () => {
  it("ignores key order and undefined members, keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
    const one = llmRequestHash({
      provider: "p",
      model: "m",
      messages: [{ role: "user", content: "x" }],
      jsonSchema: { name: "s", schema: { type: "object", required: ["a"] } },
    });
    const two = llmRequestHash({
      jsonSchema: { schema: { required: ["a"], type: "object" }, name: "s" },
      messages: [{ content: "x", role: "user" }],
      model: "m",
      provider: "p",
      temperature: undefined,
    });
    expect(one).toBe(two);
    expect(one).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("the cache key", () => {
  const base = (options: Partial<OpenAICompatibleOptions> = {}) =>
    new CachedChatModel(
      new OpenAICompatibleChatModel({ provider: "local", baseUrl: "http://a.test/v1", model: "m", ...options }),
      { db },
    );

  it("covers the base URL and every sampling parameter, defaults included", () => {
    const hash = (model: CachedChatModel, request: ChatRequest = ask) => model.keyFor(request).hash;
    const plain = hash(base());
    const differing = [
      hash(base({ baseUrl: "http://b.test/v1" })),
      hash(base({ model: "m2" })),
      hash(base(), { ...ask, temperature: 0.2 }),
      hash(base(), { ...ask, topP: 0.9 }),
      hash(base(), { ...ask, maxTokens: 100 }),
      hash(base(), { ...ask, seed: 7 }),
      hash(base(), { ...ask, jsonSchema: { name: "s", schema: { type: "object" } } }),
      hash(base(), { ...ask, cacheKey: "branch-1" }),
      hash(base(), { ...ask, messages: [{ role: "user", content: "Name two rivers." }] }),
    ];
    expect(new Set([plain, ...differing]).size).toBe(differing.length + 1);
    // A provider default is what is sent, so it keys like the same setting on the request.
    expect(hash(base({ topP: 0.9 }))).toBe(hash(base(), { ...ask, topP: 0.9 }));
    expect(hash(base({ seed: 7 }))).toBe(hash(base(), { ...ask, seed: 7 }));
    // The same request to the same server: the same key, however the URL ends.
    expect(hash(base({ baseUrl: "http://a.test/v1/" }))).toBe(plain);
    expect(base({ topP: 0.9 }).keyFor(ask).key).toMatchObject({ baseUrl: "http://a.test/v1", topP: 0.9, n: 1 });
  });

  it("sends top_p and seed to the server", async () => {
    await cached({ topP: 0.5 }).complete({ ...ask, seed: 11 });
    expect(server.requests.at(-1)?.body).toMatchObject({ top_p: 0.5, seed: 11, temperature: 0.7 });
  });
});

describe("CachedChatModel under load", () => {
  it("looks up and records the calls of one turn of the event loop in one statement each", async () => {
    const statements = { query: 0, execute: 0 };
    // The same database, its raw statements counted.
    const counted = new Proxy(db, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (name === "$queryRaw" || name === "$executeRaw") {
          return (...args: unknown[]) => {
            statements[name === "$queryRaw" ? "query" : "execute"]++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return value;
      },
    });
    let paid = 0;
    // Answers at once, so the five calls finish in the same turn.
    const inner: ChatModel = {
      provider: "local",
      model: "instant",
      complete: async (request) => {
        paid++;
        return {
          text: `answer to ${request.messages[0].content}`,
          usage: { promptTokens: 1, completionTokens: 1, costUsd: 0 },
          provider: "local",
          model: "instant",
          latencyMs: 0,
          cached: false,
        };
      },
    };
    const model = new CachedChatModel(inner, { db: counted });
    const requests = [1, 2, 3, 4, 5].map((i) => ({ messages: [{ role: "user" as const, content: `q${i}` }] }));
    const first = await Promise.all(requests.map((r) => model.complete(r)));
    expect(first.map((r) => [r.text, r.cached])).toEqual(
      requests.map((r) => [`answer to ${r.messages[0].content}`, false]),
    );
    expect(statements).toEqual({ query: 1, execute: 1 });
    expect(await db.llmCall.count({ where: { model: "instant", status: "ok" } })).toBe(5);
    // Asked again: all five from LlmCall, in one lookup.
    const again = await Promise.all(requests.map((r) => model.complete(r)));
    expect(again.map((r) => [r.text, r.cached])).toEqual(first.map((r) => [r.text, true]));
    expect(statements).toEqual({ query: 2, execute: 1 });
    expect(paid).toBe(5);
  });
});
