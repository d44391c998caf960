import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LlmTestServer, type ScriptedReply, startLlmServer } from "../../test/llm-server.ts";
import { Semaphore } from "./limiter.ts";
import {
  backoffDelay,
  type LlmAttemptEvent,
  OpenAICompatibleChatModel,
  type OpenAICompatibleOptions,
  parseRetryAfter,
} from "./openai-compatible.ts";
import { LlmCallError } from "./types.ts";

let server: LlmTestServer;
let events: LlmAttemptEvent[];

beforeAll(async () => {
  server = await startLlmServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.resetCounters();
  server.latencyMs = 0;
  server.handler = () => ({ content: "ok" });
  events = [];
});

function model(options: Partial<OpenAICompatibleOptions> = {}): OpenAICompatibleChatModel {
  return new OpenAICompatibleChatModel({
    provider: "local",
    baseUrl: server.url,
    model: "test-model",
    backoff: { baseMs: 5, maxMs: 20 },
    log: (event) => events.push(event),
    ...options,
  });
}

/** Replies from `script` in order, then the last one forever. */
function scripted(...script: ScriptedReply[]) {
  return (_body: unknown, info: { requestNumber: number }) => script[Math.min(info.requestNumber, script.length) - 1]!;
}

const ask = { messages: [{ role: "user" as const, content: "Say hello." }] };

async function failure(promise: Promise<unknown>): Promise<LlmCallError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LlmCallError);
  return error as LlmCallError;
}

describe("OpenAICompatibleChatModel", () => {
  it("returns the text with usage and a cost from the configured prices", async () => {
    server.handler = () => ({ content: "Hello!", usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    const response = await model({ prices: { promptPerM: 2, completionPerM: 8 } }).complete(ask);
    expect(response).toMatchObject({
      text: "Hello!",
      provider: "local",
      model: "test-model",
      cached: false,
      attempts: 1,
      finishReason: "stop",
      usage: { promptTokens: 1000, completionTokens: 500 },
    });
    expect(response.usage.costUsd).toBeCloseTo(0.006, 10);
    expect(response.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.totalRequests).toBe(1);
  });

  it("costs 0 when the model has no prices", async () => {
    const response = await model().complete(ask);
    expect(response.usage.costUsd).toBe(0);
    expect(response.usage.promptTokens).toBeGreaterThan(0);
  });

  it("sends the model, messages, sampling options, json_schema response_format and the key from the named env var", async () => {
    const schema = {
      type: "object",
      properties: { instruction: { type: "string" } },
      required: ["instruction"],
      additionalProperties: false,
    };
    const env = { MY_LOCAL_KEY: "secret-test-key" };
    await model({ apiKeyEnv: "MY_LOCAL_KEY", env, temperature: 0.3 }).complete({
      messages: [
        { role: "system", content: "You evolve instructions." },
        { role: "user", content: "Evolve: write a poem." },
      ],
      maxTokens: 256,
      jsonSchema: { name: "evolution", schema },
    });
    const [request] = server.requests;
    expect(request!.path).toBe("/v1/chat/completions");
    expect(request!.headers.authorization).toBe("Bearer secret-test-key");
    expect(request!.body).toEqual({
      model: "test-model",
      messages: [
        { role: "system", content: "You evolve instructions." },
        { role: "user", content: "Evolve: write a poem." },
      ],
      temperature: 0.3,
      max_tokens: 256,
      response_format: { type: "json_schema", json_schema: { name: "evolution", schema, strict: true } },
    });
  });

  it("sends max_completion_tokens when the provider asks for it, and omits unset options", async () => {
    await model({ maxTokensField: "max_completion_tokens", maxTokens: 64 }).complete(ask);
    expect(server.requests[0]!.body).toEqual({
      model: "test-model",
      messages: ask.messages,
      max_completion_tokens: 64,
    });
  });

  it("fails without HTTP when the named key variable is not set", async () => {
    const error = await failure(model({ apiKeyEnv: "ECD_TEST_MISSING_KEY", env: {} }).complete(ask));
    expect(error.kind).toBe("bad_request");
    expect(error.message).toContain("ECD_TEST_MISSING_KEY is not set");
    expect(server.totalRequests).toBe(0);
  });

  it("waits as long as Retry-After (seconds) asks after a 429, then succeeds", async () => {
    server.handler = scripted({ status: 429, retryAfter: 1 }, { content: "after the wait" });
    const started = performance.now();
    const response = await model().complete(ask);
    const waited = performance.now() - started;
    expect(response.text).toBe("after the wait");
    expect(response.attempts).toBe(2);
    expect(waited).toBeGreaterThanOrEqual(990); // never sooner than asked
    expect(events).toEqual([expect.objectContaining({ attempt: 1, kind: "rate_limited" })]);
    expect(events[0]!.retryInMs).toBeGreaterThanOrEqual(1000);
  });

  it("honours retry-after-ms", async () => {
    server.handler = scripted({ status: 429, retryAfterMs: 300 }, { content: "ok" });
    const started = performance.now();
    await model().complete(ask);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });

  it("fails at once when Retry-After is longer than it is willing to wait", async () => {
    server.handler = () => ({ status: 429, retryAfter: 3600 });
    const error = await failure(model({ backoff: { maxRetryAfterMs: 1000 } }).complete(ask));
    expect(error.kind).toBe("rate_limited");
    expect(error.attempts).toBe(1);
    expect(server.totalRequests).toBe(1);
    expect(error.message).toContain("3600 s");
  });

  it("retries a 500 and then succeeds", async () => {
    server.handler = scripted({ status: 500 }, { status: 503 }, { content: "third time" });
    const response = await model().complete(ask);
    expect(response.text).toBe("third time");
    expect(response.attempts).toBe(3);
    expect(server.totalRequests).toBe(3);
    expect(events.map((event) => event.kind)).toEqual(["server_error", "server_error"]);
  });

  it("retries a timed-out attempt", async () => {
    server.handler = scripted({ delayMs: 2000, content: "too late" }, { content: "in time" });
    const response = await model({ timeoutMs: 300 }).complete(ask);
    expect(response.text).toBe("in time"); // not "too late": the first attempt was given up
    expect(response.attempts).toBe(2);
    expect(events[0]).toMatchObject({ kind: "timeout", reason: "no reply within 300 ms" });
  });

  it("gives up after maxAttempts with the kind of the last failure", async () => {
    server.handler = () => ({ status: 502, message: "upstream down" });
    const error = await failure(model({ maxAttempts: 3 }).complete(ask));
    expect(error).toMatchObject({ kind: "server_error", attempts: 3 });
    expect(error.message).toBe("local/test-model: server error (HTTP 502): upstream down (gave up after 3 attempts)");
    expect(server.totalRequests).toBe(3);
    expect(events.map((event) => event.retryInMs === null)).toEqual([false, false, true]);
  });

  it("gives up on persistent timeouts and rate limits with their kinds", async () => {
    server.handler = () => ({ delayMs: 1000 });
    expect(await failure(model({ maxAttempts: 2, timeoutMs: 150 }).complete(ask))).toMatchObject({
      kind: "timeout",
      attempts: 2,
    });
    server.handler = () => ({ status: 429 });
    expect(await failure(model({ maxAttempts: 2 }).complete(ask))).toMatchObject({ kind: "rate_limited", attempts: 2 });
  });

  it("does not retry a 400", async () => {
    server.handler = () => ({ status: 400, message: "response_format is not supported" });
    const error = await failure(model().complete(ask));
    expect(error).toMatchObject({ kind: "bad_request", attempts: 1 });
    expect(error.message).toContain("HTTP 400");
    expect(error.message).toContain("response_format is not supported");
    expect(server.totalRequests).toBe(1);
  });

  it("does not retry a 401 and names the key variable, never the key", async () => {
    server.handler = () => ({ status: 401, message: "invalid api key" });
    const error = await failure(model({ apiKeyEnv: "LOCAL_KEY", env: { LOCAL_KEY: "sk-very-secret" } }).complete(ask));
    expect(error).toMatchObject({ kind: "bad_request", attempts: 1 });
    expect(error.message).toContain("LOCAL_KEY");
    expect(error.message).not.toContain("sk-very-secret");
  });

  it("retries 408 and 409", async () => {
    server.handler = scripted({ status: 408 }, { status: 409 }, { content: "ok" });
    expect((await model().complete(ask)).attempts).toBe(3);
  });

  it.each([
    ["invalid-json", "not valid JSON"],
    ["no-choices", "no choices"],
    ["html", "not a JSON object"],
  ] as const)("reports a garbage reply (%s) as unparsable without retrying", async (garbage, reason) => {
    server.handler = () => ({ garbage });
    const error = await failure(model().complete(ask));
    expect(error).toMatchObject({ kind: "unparsable", attempts: 1 });
    expect(error.message).toContain(reason);
    expect(server.totalRequests).toBe(1);
  });

  it("reports an unreachable server as a network failure after retrying", async () => {
    const closed = await startLlmServer();
    const url = closed.url;
    await closed.stop();
    const error = await failure(model({ baseUrl: url, maxAttempts: 2 }).complete(ask));
    expect(error).toMatchObject({ kind: "network", attempts: 2 });
    expect(error.message).toContain(url);
  });

  it("stops at once when the caller aborts, while waiting for a reply or between attempts", async () => {
    server.handler = () => ({ delayMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(model().complete(ask, { signal: controller.signal }));
    expect(error.kind).toBe("cancelled"); // the 5 s reply would have been a success: it did not wait for it

    server.handler = () => ({ status: 429, retryAfter: 10 });
    const between = new AbortController();
    setTimeout(() => between.abort(), 100);
    const error2 = await failure(model().complete(ask, { signal: between.signal }));
    expect(error2).toMatchObject({ kind: "cancelled", attempts: 1 });

    const already = AbortSignal.abort();
    server.resetCounters();
    expect((await failure(model().complete(ask, { signal: already }))).kind).toBe("cancelled");
    expect(server.totalRequests).toBe(0);
  });

  it("keeps at most `concurrency` requests in flight, shared by all models of the provider", async () => {
    server.latencyMs = 80;
    const limiter = new Semaphore(3);
    const a = model({ limiter, model: "model-a" });
    const b = model({ limiter, model: "model-b" });
    const calls = Array.from({ length: 12 }, (_, i) =>
      (i % 2 ? a : b).complete({ messages: [{ role: "user", content: `question ${i}` }] }),
    );
    await Promise.all(calls);
    expect(server.totalRequests).toBe(12);
    expect(server.maxInFlight).toBe(3);
    expect(limiter.active).toBe(0);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it("reads seconds, HTTP dates and retry-after-ms", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(parseRetryAfter(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ "retry-after": "Tue, 31 Dec 2024 23:59:00 GMT" }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
  });
  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "x" }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("doubles from the base, with jitter in the upper half, up to the ceiling", () => {
    expect(backoffDelay(1, { baseMs: 100 }, () => 0)).toBe(50);
    expect(backoffDelay(1, { baseMs: 100 }, () => 1)).toBe(100);
    expect(backoffDelay(3, { baseMs: 100 }, () => 1)).toBe(400);
    expect(backoffDelay(20, { baseMs: 100, maxMs: 1000 }, () => 1)).toBe(1000);
  });
});
