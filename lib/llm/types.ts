/**
 * The model interface the pipelines talk to. Pure types: lib/evolution imports only this file
 * from lib/llm, never a provider or the cache (those persist and do HTTP).
 */
export type ChatRole = "system" | "user" | "assistant";

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  /** Nucleus sampling (`top_p`). */
  topP?: number;
  maxTokens?: number;
  /** The server's sampling seed (`seed`), for servers that honour it. */
  seed?: number;
  /** Ask for a JSON reply matching this JSON Schema (`response_format: json_schema`, strict). */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  /**
   * Part of the cache key only (never sent to the server): set it to ask deliberately for another
   * sample of the same prompt (e.g. "branch-2"), which would otherwise be answered from the cache.
   */
  cacheKey?: string;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  /** Estimated from the provider's configured prices; 0 when unknown. */
  costUsd: number;
}

export interface ChatResponse {
  text: string;
  usage: ChatUsage;
  provider: string;
  model: string;
  latencyMs: number;
  /**
   * True when the answer came from the LlmCall cache or from an identical call already in flight
   * (nothing was paid for it; `usage` is then what the original call used).
   */
  cached: boolean;
  /** The server's finish reason (`stop`, `length`…) when it gave one. */
  finishReason?: string;
  /** HTTP attempts this call made (0 when cached). */
  attempts?: number;
  /** The kinds of the attempts that failed before the one that answered (empty when cached). */
  failedAttempts?: LlmCallErrorKind[];
}

/** Who is asking, so calls are attributed (LlmCall.jobId/taskId) and can be cancelled. */
export interface CallContext {
  jobId?: number;
  taskId?: number;
  signal?: AbortSignal;
  /**
   * Batch-collect mode (a generation job in batch mode): a request with no stored answer is not
   * sent; it is pushed here and the call throws LlmCallWanted, so the caller can send it in a batch.
   */
  batch?: { wanted: LlmCallWanted[] };
  /**
   * When given, a paid answer is handed back as soon as it arrives, and its LlmCall row and the
   * write that stores it (true once stored) are added here instead of awaited: the caller's next
   * call need not wait for the database. The caller must see every row stored before it counts its
   * calls as stored (the generation handler: AnswersBeingStored in lib/llm/cache.ts). Without it,
   * complete() returns only after the answer is stored.
   */
  storing?: { add(row: StoredCallRow, stored: Promise<boolean>): void };
}

/** An LlmCall row being written (lib/db/llm-sql.ts LlmCallRecord; opaque here, this file imports nothing). */
export type StoredCallRow = object;

export interface ChatModel {
  readonly provider: string;
  readonly model: string;
  /** The server the requests go to, for HTTP models (part of the cache key). */
  readonly baseUrl?: string;
  complete(request: ChatRequest, context?: CallContext): Promise<ChatResponse>;
}

export type LlmCallErrorKind = LlmCallError["kind"];

/** A call that failed for good (after retries), with a reason fit for a task's error column. */
export class LlmCallError extends Error {
  constructor(
    message: string,
    readonly kind: "rate_limited" | "server_error" | "timeout" | "bad_request" | "unparsable" | "cancelled" | "network",
    readonly attempts: number,
    /** The kind of every failed HTTP attempt, this last one included (for the job's LLM stats). */
    readonly failedAttempts: LlmCallErrorKind[] = attempts > 0 ? [kind] : [],
  ) {
    super(message);
    this.name = "LlmCallError";
  }
}

/**
 * The "call wanted" signal of batch-collect mode: the request has no stored answer. Carries what
 * a batch line needs: the cache key (the batch's `custom_id`), the key's JSON (stored with the
 * answer) and the chat-completions body to send.
 */
export class LlmCallWanted extends Error {
  /** The role asking (set by the job runner's metered model). */
  role?: string;
  constructor(
    readonly provider: string,
    readonly model: string,
    readonly hash: string,
    readonly requestJson: string,
    readonly body: Record<string, unknown>,
  ) {
    super(`${provider}/${model}: no stored answer yet (batch mode: the call waits for the next batch)`);
    this.name = "LlmCallWanted";
  }
}
