/**
 * The LlmCall cache: a ChatModel wrapper that records every call (request, response or error,
 * usage, latency, job and task) keyed by the sha256 of the request, and answers a repeated
 * request from its stored ok row without HTTP, so a resumed or repeated task never pays twice.
 * Error rows are kept for the record but never reused: the next identical call tries again.
 * LlmCall is written only here.
 */
import { createHash } from "node:crypto";
import DataLoader from "dataloader";
import type { Db, Tx } from "../db/client.ts";
import { findLlmCallNow, findLlmCalls, type LlmCallHitRow, type LlmCallRecord, recordLlmCalls } from "../db/llm-sql.ts";
import {
  type CallContext,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  LlmCallError,
  LlmCallWanted,
} from "./types.ts";

/**
 * A model that can say what it will really send (defaults filled in), so the hash covers them,
 * and the HTTP body it sends (a batch line's body).
 */
interface DefaultingChatModel extends ChatModel {
  withDefaults?(request: ChatRequest): ChatRequest;
  buildBody?(request: ChatRequest): object;
}

/**
 * What the hash covers (and what LlmCall.request stores): where the request goes and every request
 * parameter that changes the answer; never a key or a header. `n` is always 1 (one answer per call).
 */
export interface LlmRequestKey {
  provider: string;
  baseUrl?: string;
  model: string;
  messages: ChatRequest["messages"];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  n?: number;
  jsonSchema?: ChatRequest["jsonSchema"];
  cacheKey?: string;
}

/** Shape of LlmCall.response for ok rows. */
interface StoredResponse {
  text: string;
  finishReason?: string;
}

export interface CachedChatModelOptions {
  db: Db;
}

const globalForCache = globalThis as unknown as { ecdLlmInFlight?: Map<string, Promise<ChatResponse>> };

/** Calls in flight in this process, by request hash: identical concurrent calls share one. */
function inFlight(): Map<string, Promise<ChatResponse>> {
  globalForCache.ecdLlmInFlight ??= new Map();
  return globalForCache.ecdLlmInFlight;
}

/**
 * The lookups and the paid answers of one turn of the event loop, each gathered into one
 * statement (DataLoader, scheduled with setImmediate: no timer, nothing waits for a later turn).
 * A busy worker finishes several calls per turn, and each statement outside a transaction is a
 * transaction of its own (on SQLite a WAL commit). A paid answer is stored before its caller
 * continues, unless the caller collects the writes (CallContext.storing, AnswersBeingStored).
 */
type LlmCallStatements = {
  lookup: DataLoader<string, LlmCallHitRow | undefined>;
  record: DataLoader<LlmCallRecord, void>;
};
const statementsByDb = new WeakMap<Db, LlmCallStatements>();
const LLM_CALL_BATCH = 100;

function llmCallStatements(db: Db): LlmCallStatements {
  let statements = statementsByDb.get(db);
  if (statements) return statements;
  const options = {
    cache: false,
    maxBatchSize: LLM_CALL_BATCH,
    batchScheduleFn: (run: () => void) => setImmediate(run),
  };
  statements = {
    lookup: new DataLoader(async (hashes) => {
      const rows = await findLlmCalls(db, hashes);
      return hashes.map((hash) => rows.get(hash));
    }, options),
    record: new DataLoader(async (rows) => {
      // One statement may update a row once: of two answers to one request, the later one wins.
      // In hash order, so two processes writing the same rows take their locks in one order.
      const latest = new Map(rows.map((row) => [row.requestHash, row]));
      const distinct = [...latest.values()].sort((a, b) => (a.requestHash < b.requestHash ? -1 : 1));
      try {
        await recordLlmCalls(db, distinct, "any");
        return rows.map(() => undefined);
      } catch {
        // Each row alone, so a failure is its own caller's.
        return Promise.all(
          rows.map((row) =>
            recordLlmCalls(db, [row], "any").then(
              () => undefined,
              (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
            ),
          ),
        );
      }
    }, options),
  };
  statementsByDb.set(db, statements);
  return statements;
}

/**
 * A task's paid answers while their LlmCall rows are written (CallContext.storing). Each row is
 * written by a statement of its own as soon as its answer arrives. Until that write has stored
 * it, the row is `unstored()`, and the task's completing transaction writes it itself
 * (storeAnswersIn: the same upsert, so whichever lands second writes the same values again). So
 * completing a task never waits for a write queued behind another transaction (on SQLite, behind
 * a busy worker's group commit), and every answer is stored when its task is. A write that failed
 * stays unstored. `settled()`: every write has ended (before a task is failed, parked or released).
 */
export class AnswersBeingStored {
  readonly #pending = new Map<LlmCallRecord, Promise<boolean>>();

  add(row: LlmCallRecord, stored: Promise<boolean>): void {
    this.#pending.set(row, stored);
    void stored.then((ok) => ok && this.#pending.delete(row));
  }

  unstored(): LlmCallRecord[] {
    return [...this.#pending.keys()];
  }

  async settled(): Promise<void> {
    await Promise.all(this.#pending.values());
  }
}

/** Writes a task's answers not stored yet, in the caller's transaction (one statement). */
export async function storeAnswersIn(tx: Tx, answers: AnswersBeingStored): Promise<void> {
  // One row per request (the latest wins), in hash order like every LlmCall write (lock order).
  const latest = new Map(answers.unstored().map((row) => [row.requestHash, row]));
  if (latest.size === 0) return;
  await recordLlmCalls(
    tx,
    [...latest.values()].sort((a, b) => (a.requestHash < b.requestHash ? -1 : 1)),
    "any",
  );
}

export class CachedChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  readonly #inner: DefaultingChatModel;
  readonly #db: Db;

  constructor(inner: ChatModel, options: CachedChatModelOptions) {
    this.#inner = inner;
    this.#db = options.db;
    this.provider = inner.provider;
    this.model = inner.model;
  }

  /** The key and hash this model files `request` under (and the key's canonical JSON, which is hashed and stored). */
  keyFor(request: ChatRequest): { key: LlmRequestKey; hash: string; json: string } {
    const effective = this.#inner.withDefaults?.(request) ?? request;
    const key: LlmRequestKey = {
      provider: this.provider,
      baseUrl: this.#inner.baseUrl?.replace(/\/+$/, ""),
      model: this.model,
      messages: effective.messages.map((message) => ({ role: message.role, content: message.content })),
      temperature: effective.temperature,
      topP: effective.topP,
      maxTokens: effective.maxTokens,
      seed: effective.seed,
      n: 1,
      jsonSchema: effective.jsonSchema,
      cacheKey: effective.cacheKey,
    };
    const json = canonicalJson(key);
    return { key, hash: sha256(json), json };
  }

  async complete(request: ChatRequest, context: CallContext = {}): Promise<ChatResponse> {
    const started = performance.now();
    const { hash, json } = this.keyFor(request);
    if (context.batch) return this.#storedOrWanted(hash, json, request, context.batch, started);
    const calls = inFlight();
    for (;;) {
      if (context.signal?.aborted) throw this.#cancelled();
      const shared = calls.get(hash);
      if (shared) {
        try {
          const response = await untilAborted(shared, context.signal ?? undefined, () => this.#cancelled());
          return { ...response, cached: true, attempts: 0, latencyMs: Math.round(performance.now() - started) };
        } catch (error) {
          // The call we joined was cancelled by its own caller, not by us: make our own.
          if (error instanceof LlmCallError && error.kind === "cancelled" && !context.signal?.aborted) continue;
          throw error;
        }
      }
      const own = this.#lookupOrCall(hash, json, request, context, started);
      const answer = own.then((r) => r.response);
      // Its failure reaches the caller through `own`, and joiners through their own await.
      answer.catch(() => undefined);
      // Shared with identical calls until the answer is stored: after that they find the row.
      calls.set(hash, answer);
      const forget = () => {
        if (calls.get(hash) === answer) calls.delete(hash);
      };
      let result: Awaited<typeof own>;
      try {
        result = await own;
      } catch (error) {
        forget();
        throw error;
      }
      if (!result.storing) {
        forget();
        return result.response;
      }
      void result.storing.stored.then(forget);
      if (context.storing) context.storing.add(result.storing.row, result.storing.stored);
      else await result.storing.stored;
      return result.response;
    }
  }

  /** Batch-collect mode: the stored answer, else the request is wanted (see CallContext.batch). */
  async #storedOrWanted(
    hash: string,
    requestJson: string,
    request: ChatRequest,
    batch: NonNullable<CallContext["batch"]>,
    started: number,
  ): Promise<ChatResponse> {
    const stored = await this.#stored(hash, started);
    if (stored) return stored;
    if (!this.#inner.buildBody) throw new Error(`${this.provider}/${this.model} cannot be sent in a batch`);
    const body = this.#inner.buildBody(request) as Record<string, unknown>;
    const wanted = new LlmCallWanted(this.provider, this.model, hash, requestJson, body);
    batch.wanted.push(wanted);
    throw wanted;
  }

  /** The stored ok answer for `hash` as a cached response, or null. */
  async #stored(hash: string, started: number): Promise<ChatResponse | null> {
    // On SQLite at once, not behind the transaction a busy worker's group commit holds open.
    const now = findLlmCallNow(this.#db, hash);
    const row = now ? now.row : await llmCallStatements(this.#db).lookup.load(hash);
    if (row?.status !== "ok") return null;
    const stored = readStored(row.response);
    if (!stored) return null;
    return {
      text: stored.text,
      usage: {
        promptTokens: Number(row.promptTokens),
        completionTokens: Number(row.completionTokens),
        costUsd: Number(row.costUsd),
      },
      provider: row.provider,
      model: row.model,
      latencyMs: Math.round(performance.now() - started),
      cached: true,
      finishReason: stored.finishReason,
      attempts: 0,
    };
  }

  /** The answer (stored, or paid for now), and when a paid answer's LlmCall row is written (never rejects). */
  async #lookupOrCall(
    hash: string,
    requestJson: string,
    request: ChatRequest,
    context: CallContext,
    started: number,
  ): Promise<{ response: ChatResponse; storing: { row: LlmCallRecord; stored: Promise<boolean> } | null }> {
    const cached = await this.#stored(hash, started);
    if (cached) return { response: cached, storing: null };

    const callStarted = performance.now();
    const record = (
      fields: Pick<
        LlmCallRecord,
        "response" | "status" | "error" | "promptTokens" | "completionTokens" | "costUsd" | "latencyMs"
      >,
    ): LlmCallRecord => ({
      requestHash: hash,
      provider: this.provider,
      model: this.model,
      requestJson,
      jobId: context.jobId ?? null,
      taskId: context.taskId ?? null,
      createdAt: new Date(),
      ...fields,
    });
    let response: ChatResponse;
    try {
      response = await this.#inner.complete(request, context);
    } catch (error) {
      const attempts = error instanceof LlmCallError ? error.attempts : 1;
      // A call cancelled before any HTTP attempt left nothing worth recording.
      if (!(error instanceof LlmCallError && error.kind === "cancelled" && attempts === 0)) {
        const message =
          error instanceof LlmCallError
            ? `${error.kind}: ${error.message}`
            : `unexpected: ${error instanceof Error ? error.message : String(error)}`;
        const latencyMs = Math.round(performance.now() - callStarted);
        try {
          // Created, or replacing an earlier error; never an answer another process stored meanwhile.
          await recordLlmCalls(
            this.#db,
            [
              record({
                response: null,
                status: "error",
                error: message,
                promptTokens: 0,
                completionTokens: 0,
                costUsd: 0,
                latencyMs,
              }),
            ],
            "error",
          );
        } catch (recordError) {
          console.error(
            `[llm] could not record the failed LlmCall for ${this.provider}/${this.model} (${hash.slice(0, 12)})`,
            recordError,
          );
        }
      }
      throw error;
    }

    const storedResponse: StoredResponse = {
      text: response.text,
      ...(response.finishReason ? { finishReason: response.finishReason } : {}),
    };
    // The latest paid answer wins (it replaces an error row, or a concurrent writer's ok row).
    const row = record({
      response: storedResponse,
      status: "ok",
      error: null,
      promptTokens: response.usage.promptTokens,
      completionTokens: response.usage.completionTokens,
      costUsd: response.usage.costUsd,
      latencyMs: response.latencyMs,
    });
    const stored = llmCallStatements(this.#db)
      .record.load(row)
      .then(
        () => true,
        (error: unknown) => {
          // We paid for this answer: hand it over even if the record could not be written.
          console.error(
            `[llm] could not record the LlmCall for ${this.provider}/${this.model} (${hash.slice(0, 12)})`,
            error,
          );
          return false;
        },
      );
    return { response, storing: { row, stored } };
  }

  #cancelled(): LlmCallError {
    return new LlmCallError(`${this.provider}/${this.model}: cancelled`, "cancelled", 0);
  }
}

/** An answer that came back in a batch (lib/llm/batch.ts), stored like a paid call's. */
export interface BatchAnswer {
  hash: string;
  requestJson: string;
  provider: string;
  model: string;
  text: string;
  finishReason?: string;
  promptTokens: number;
  completionTokens: number;
  /** At the batch price. */
  costUsd: number;
  jobId: number;
  taskId: number | null;
}

/** Stores an answer that arrived in a batch: later calls with that key are answered from it. */
export async function storeBatchAnswer(db: Db, answer: BatchAnswer): Promise<void> {
  const stored: StoredResponse = {
    text: answer.text,
    ...(answer.finishReason ? { finishReason: answer.finishReason } : {}),
  };
  await recordLlmCalls(
    db,
    [
      {
        requestHash: answer.hash,
        provider: answer.provider,
        model: answer.model,
        requestJson: answer.requestJson,
        response: stored,
        status: "ok",
        error: null,
        promptTokens: answer.promptTokens,
        completionTokens: answer.completionTokens,
        costUsd: answer.costUsd,
        latencyMs: 0,
        jobId: answer.jobId,
        taskId: answer.taskId,
        createdAt: new Date(),
      },
    ],
    "any",
  );
}

/** sha256 (hex) of the canonical JSON of the request key. */
export function llmRequestHash(key: LlmRequestKey): string {
  return sha256(canonicalJson(key));
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * JSON with object keys sorted at every depth and undefined members left out, so equal requests
 * hash equally however their objects were built. Array order is kept (it means something).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value && typeof value === "object" && (value as object).constructor === Object) {
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[name];
      if (member !== undefined) out[name] = sortKeys(member);
    }
    return out;
  }
  return value;
}

/** A stored ok answer, from the JSON column (text on SQLite, an object on PostgreSQL). */
function readStored(column: unknown): StoredResponse | null {
  let value = column;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== "object") return null;
  const { text, finishReason } = value as { text?: unknown; finishReason?: unknown };
  if (typeof text !== "string") return null;
  return { text, finishReason: typeof finishReason === "string" ? finishReason : undefined };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, cancelled: () => Error): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
