/**
 * A ChatModel for any OpenAI-compatible chat-completions server (OpenAI, vLLM, Ollama, llama.cpp
 * server, TGI) over the `openai` SDK. The SDK's own retries are off: this module counts, spaces
 * (exponential backoff with jitter, Retry-After honoured) and logs every attempt itself, holds a
 * slot of the provider's concurrency limiter per HTTP attempt, and turns every failure into an
 * LlmCallError with a kind and a reason a person can act on.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { type ConcurrencyLimiter, Semaphore } from "./limiter.ts";
import {
  type CallContext,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  LlmCallError,
  type LlmCallErrorKind,
} from "./types.ts";

export interface ModelPrices {
  /** USD per 1M prompt tokens. */
  promptPerM?: number;
  /** USD per 1M completion tokens. */
  completionPerM?: number;
}

export interface BackoffOptions {
  /** First retry waits about this long (then doubling), before jitter. Default 500 ms. */
  baseMs?: number;
  /** Ceiling of one backoff wait. Default 30 s. */
  maxMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails at once. Default 120 s. */
  maxRetryAfterMs?: number;
}

/** One failed attempt, reported to `log`: `retryInMs` is null when the call gives up. */
export interface LlmAttemptEvent {
  provider: string;
  model: string;
  attempt: number;
  maxAttempts: number;
  kind: LlmCallErrorKind;
  reason: string;
  retryInMs: number | null;
}

export interface OpenAICompatibleOptions {
  /** Provider name (LlmCall.provider, the limiter's key). */
  provider: string;
  /** e.g. https://api.openai.com/v1, http://localhost:8000/v1 (vLLM), http://localhost:11434/v1 (Ollama). */
  baseUrl: string;
  model: string;
  /** NAME of the environment variable holding the API key. Unset: the server needs no key. */
  apiKeyEnv?: string;
  /** Where `apiKeyEnv` is looked up (default process.env), read when the model is created. */
  env?: Record<string, string | undefined>;
  /** Defaults for requests that do not set their own. */
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  /** Field that carries maxTokens. Default `max_tokens` (accepted by every compatible server). */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  /** Per HTTP attempt. Default 120 s. */
  timeoutMs?: number;
  /** HTTP attempts per call, first one included. Default 4. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  prices?: ModelPrices;
  /** Shared per provider (providerSlots: over every process; providerLimiter: this process); default: a private limit of 8. */
  limiter?: ConcurrencyLimiter;
  /** Failed attempts are reported here; default: one console.warn line each. */
  log?: (event: LlmAttemptEvent) => void;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_CONCURRENCY = 8;
/** Sent when the server needs no key (the SDK insists on one; local servers ignore it). */
const NO_KEY = "no-key";

/** A failed attempt, classified. */
interface Failure {
  kind: LlmCallErrorKind;
  reason: string;
  retryable: boolean;
  /** From Retry-After / retry-after-ms, when the server sent one. */
  retryAfterMs?: number;
}

/** A 200 reply we cannot read (bad JSON, no choices, no content). */
export class UnparsableReply extends Error {}

export class OpenAICompatibleChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string;
  readonly #client: OpenAI | null;
  readonly #keyProblem: string | null;
  readonly #options: OpenAICompatibleOptions;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #limiter: ConcurrencyLimiter;
  readonly #log: (event: LlmAttemptEvent) => void;

  constructor(options: OpenAICompatibleOptions) {
    this.provider = options.provider;
    this.model = options.model;
    this.baseUrl = options.baseUrl;
    this.#options = options;
    this.#timeoutMs = positiveInt(options.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.#maxAttempts = positiveInt(options.maxAttempts, DEFAULT_MAX_ATTEMPTS);
    this.#limiter = options.limiter ?? new Semaphore(DEFAULT_CONCURRENCY);
    this.#log = options.log ?? logToConsole;

    let apiKey = NO_KEY;
    let keyProblem: string | null = null;
    if (options.apiKeyEnv) {
      const value = (options.env ?? process.env)[options.apiKeyEnv]?.trim();
      if (value) apiKey = value;
      else keyProblem = `the API key environment variable ${options.apiKeyEnv} is not set`;
    }
    this.#keyProblem = keyProblem;
    this.#client = keyProblem
      ? null
      : new OpenAI({
          apiKey,
          baseURL: options.baseUrl,
          // Never pick up OpenAI account settings from the environment for another provider.
          organization: null,
          project: null,
          adminAPIKey: null,
          maxRetries: 0,
          timeout: this.#timeoutMs,
        });
  }

  /** The request as it will be sent: the model's default sampling settings filled in. */
  withDefaults(request: ChatRequest): ChatRequest {
    return {
      ...request,
      temperature: request.temperature ?? this.#options.temperature,
      topP: request.topP ?? this.#options.topP,
      maxTokens: request.maxTokens ?? this.#options.maxTokens,
      seed: request.seed ?? this.#options.seed,
    };
  }

  /** The chat-completions body for `request` (exported for tests and for the record). */
  buildBody(request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
    const effective = this.withDefaults(request);
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: this.model,
      messages: effective.messages.map((message) => ({ role: message.role, content: message.content })),
    };
    if (effective.temperature !== undefined) body.temperature = effective.temperature;
    if (effective.topP !== undefined) body.top_p = effective.topP;
    if (effective.seed !== undefined) body.seed = effective.seed;
    if (effective.maxTokens !== undefined) body[this.#options.maxTokensField ?? "max_tokens"] = effective.maxTokens;
    if (effective.jsonSchema) {
      body.response_format = {
        type: "json_schema",
        json_schema: { name: effective.jsonSchema.name, schema: effective.jsonSchema.schema, strict: true },
      };
    }
    return body;
  }

  async complete(request: ChatRequest, context: CallContext = {}): Promise<ChatResponse> {
    const started = performance.now();
    const signal = context.signal;
    if (!this.#client) throw this.#error({ kind: "bad_request", reason: this.#keyProblem! }, 0);
    const body = this.buildBody(request);
    // Every failed attempt's kind, recorded here where the calls are made (the job's LLM stats).
    const failedAttempts: LlmCallErrorKind[] = [];

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw this.#cancelled(attempt - 1, failedAttempts);
      let release: () => void;
      try {
        release = await this.#limiter.acquire(signal ?? undefined);
      } catch (error) {
        // Aborted while waiting; anything else (the slots' database unreachable) fails the call as it is.
        if (signal?.aborted) throw this.#cancelled(attempt - 1, failedAttempts);
        throw error;
      }
      let failure: Failure;
      try {
        const completion = await this.#client.chat.completions.create(body, {
          signal,
          timeout: this.#timeoutMs,
          maxRetries: 0,
        });
        return { ...this.#toResponse(completion, attempt, started), failedAttempts };
      } catch (error) {
        failure = this.#classify(error, signal);
      } finally {
        release();
      }

      if (failure.kind === "cancelled") throw this.#error(failure, attempt, failedAttempts);
      failedAttempts.push(failure.kind);
      let delay: number | null = null;
      if (failure.retryable && attempt < this.#maxAttempts) {
        const maxRetryAfter = this.#options.backoff?.maxRetryAfterMs ?? 120_000;
        if (failure.retryAfterMs !== undefined && failure.retryAfterMs > maxRetryAfter) {
          failure = {
            ...failure,
            reason: `${failure.reason}; the server asks to wait ${Math.ceil(failure.retryAfterMs / 1000)} s, longer than the ${Math.ceil(maxRetryAfter / 1000)} s we wait`,
          };
        } else {
          delay =
            failure.retryAfterMs !== undefined
              ? withUpwardJitter(failure.retryAfterMs)
              : backoffDelay(attempt, this.#options.backoff);
        }
      }
      this.#log({
        provider: this.provider,
        model: this.model,
        attempt,
        maxAttempts: this.#maxAttempts,
        kind: failure.kind,
        reason: failure.reason,
        retryInMs: delay,
      });
      if (delay === null) throw this.#error(failure, attempt, failedAttempts);
      try {
        await sleep(delay, signal ?? undefined);
      } catch {
        throw this.#cancelled(attempt, failedAttempts);
      }
    }
  }

  #toResponse(completion: ChatCompletion, attempts: number, started: number): ChatResponse {
    const { text, finishReason, promptTokens, completionTokens } = readCompletion(completion);
    return {
      text,
      usage: { promptTokens, completionTokens, costUsd: costOf(this.#options.prices, promptTokens, completionTokens) },
      provider: this.provider,
      model: this.model,
      latencyMs: Math.round(performance.now() - started),
      cached: false,
      finishReason,
      attempts,
    };
  }

  #classify(error: unknown, signal: AbortSignal | null | undefined): Failure {
    if (error instanceof UnparsableReply) return { kind: "unparsable", reason: error.message, retryable: false };
    if (error instanceof SyntaxError)
      return { kind: "unparsable", reason: `the reply is not valid JSON (${error.message})`, retryable: false };
    if (error instanceof APIUserAbortError || signal?.aborted)
      return { kind: "cancelled", reason: "cancelled", retryable: false };
    if (error instanceof APIConnectionTimeoutError) {
      return { kind: "timeout", reason: `no reply within ${this.#timeoutMs} ms`, retryable: true };
    }
    if (error instanceof APIConnectionError) {
      return { kind: "network", reason: `could not reach ${this.baseUrl}: ${causeText(error)}`, retryable: true };
    }
    if (error instanceof APIError && typeof error.status === "number") {
      const status = error.status;
      const detail = serverMessage(error);
      const retryAfterMs = parseRetryAfter(error.headers);
      if (status === 429)
        return { kind: "rate_limited", reason: `rate limited (HTTP 429)${detail}`, retryable: true, retryAfterMs };
      if (status === 408)
        return { kind: "timeout", reason: `the server timed out (HTTP 408)${detail}`, retryable: true, retryAfterMs };
      if (status === 409 || status >= 500) {
        return {
          kind: "server_error",
          reason: `server error (HTTP ${status})${detail}`,
          retryable: true,
          retryAfterMs,
        };
      }
      if (status === 401 || status === 403) {
        const key = this.#options.apiKeyEnv
          ? `the key in ${this.#options.apiKeyEnv}`
          : "the provider's apiKeyEnv (none is configured)";
        return {
          kind: "bad_request",
          reason: `the server refused the credentials (HTTP ${status}): check ${key}${detail}`,
          retryable: false,
        };
      }
      if (status === 404) {
        return {
          kind: "bad_request",
          reason: `not found (HTTP 404): check the model name "${this.model}" and the base URL ${this.baseUrl}${detail}`,
          retryable: false,
        };
      }
      return {
        kind: "bad_request",
        reason: `the server refused the request (HTTP ${status})${detail}`,
        retryable: false,
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "network", reason: `unexpected failure: ${snippet(message)}`, retryable: false };
  }

  #error(
    failure: Pick<Failure, "kind" | "reason">,
    attempts: number,
    failedAttempts: LlmCallErrorKind[] = [],
  ): LlmCallError {
    const tail = attempts > 1 ? ` (gave up after ${attempts} attempts)` : "";
    return new LlmCallError(`${this.provider}/${this.model}: ${failure.reason}${tail}`, failure.kind, attempts, [
      ...failedAttempts,
    ]);
  }

  #cancelled(attempts: number, failedAttempts: LlmCallErrorKind[] = []): LlmCallError {
    return this.#error({ kind: "cancelled", reason: "cancelled" }, attempts, failedAttempts);
  }
}

/** USD for these tokens at the model's prices (0 when unknown), times `factor` (a batch discount). */
export function costOf(
  prices: ModelPrices | undefined,
  promptTokens: number,
  completionTokens: number,
  factor = 1,
): number {
  const p = prices ?? {};
  return ((promptTokens * (p.promptPerM ?? 0) + completionTokens * (p.completionPerM ?? 0)) / 1_000_000) * factor;
}

/**
 * What a chat.completion object says: the first choice's text and finish reason, and the usage.
 * Throws (UnparsableReply) when it has no choices or no content — a reply nobody can use.
 */
export function readCompletion(reply: unknown): {
  text: string;
  finishReason?: string;
  promptTokens: number;
  completionTokens: number;
} {
  if (typeof reply !== "object" || reply === null || Array.isArray(reply)) {
    throw new UnparsableReply(`the reply is not a JSON object: ${snippet(String(reply))}`);
  }
  const choices = (reply as { choices?: unknown }).choices;
  if (!Array.isArray(choices) || choices.length === 0) throw new UnparsableReply("the reply has no choices");
  const choice = choices[0] as { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown } | null;
  const content = choice?.message?.content;
  if (typeof content !== "string") {
    const refusal = choice?.message?.refusal;
    throw new UnparsableReply(
      typeof refusal === "string" && refusal
        ? `the model refused: ${snippet(refusal)}`
        : "the reply has no message content",
    );
  }
  const usage = (reply as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
  return {
    text: content,
    finishReason: typeof choice?.finish_reason === "string" ? choice.finish_reason : undefined,
    promptTokens: tokenCount(usage?.prompt_tokens),
    completionTokens: tokenCount(usage?.completion_tokens),
  };
}

/**
 * Milliseconds the server asks us to wait: `retry-after-ms`, else `Retry-After` as seconds or as
 * an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers | undefined | null, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const header = headers.get("retry-after")?.trim();
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with equal jitter: attempt 1 → base/2..base, attempt 2 → base..2·base, … capped. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Never earlier than the server asked; up to 10% later so retries after a shared 429 spread out. */
function withUpwardJitter(ms: number): number {
  return Math.ceil(ms + Math.random() * ms * 0.1);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function logToConsole(event: LlmAttemptEvent): void {
  const then = event.retryInMs === null ? "giving up" : `retrying in ${event.retryInMs} ms`;
  console.warn(
    `[llm] ${event.provider}/${event.model} attempt ${event.attempt}/${event.maxAttempts} failed (${event.kind}: ${event.reason}); ${then}`,
  );
}

function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === "string" ? body.message : undefined;
  return message ? `: ${snippet(message)}` : "";
}

function causeText(error: APIConnectionError): string {
  const parts: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    const code = (cause as { code?: unknown }).code;
    parts.push(typeof code === "string" ? `${cause.message} (${code})` : cause.message);
    cause = cause.cause;
  }
  return parts.length ? parts.join(": ") : error.message;
}

function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function tokenCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0;
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
