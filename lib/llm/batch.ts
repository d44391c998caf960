/**
 * OpenAI's Batch API for generation jobs in batch mode, and the LlmBatch table (written only
 * here). A batch is recorded (status `preparing`, its key and requests) BEFORE it is submitted and
 * updated after; before submitting, the provider's batches are listed and one whose metadata
 * names the same job and key is adopted instead, so a process that died between submitting and
 * recording never makes a batch twice. Answers are stored in the LlmCall cache (cache.ts), where
 * the pipelines find them when they run again.
 */
import OpenAI, { toFile } from "openai";
import type { Batch } from "openai/resources/batches";
import type { Db, Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { DomainError } from "../errors.ts";
import { type BatchAnswer, storeBatchAnswer } from "./cache.ts";
import { costOf, readCompletion } from "./openai-compatible.ts";
import { findProvider, type LoadProvidersOptions, type ProviderConfig } from "./providers.ts";

export const BATCH_ENDPOINT = "/v1/chat/completions";
/** The batch metadata keys naming the job and the batch (how a restarted worker recognises its batches). */
export const BATCH_METADATA = { job: "ecd_job_id", key: "ecd_batch_key" } as const;
/** OpenAI's batch discount: half the price. */
export const DEFAULT_BATCH_PRICE_FACTOR = 0.5;
/** The provider's batch states after which nothing changes. */
const TERMINAL = new Set(["completed", "failed", "expired", "cancelled"]);

/** One request line of a batch: `customId` is the call's cache key (LlmCall.requestHash). */
export interface BatchLine {
  customId: string;
  body: Record<string, unknown>;
}

/** Who asked for a request of a batch (stored in LlmBatch.requests). */
export interface BatchRequestRef {
  customId: string;
  taskId: number | null;
  role: string;
}

/** What came back for one request: an answer (at the batch price) or why it failed. */
export type BatchResult =
  | { ok: true; text: string; finishReason?: string; promptTokens: number; completionTokens: number; costUsd: number }
  | { ok: false; reason: string };

/** One provider's Batch API, over the openai SDK. */
export class BatchApi {
  readonly provider: string;
  readonly #config: ProviderConfig;
  readonly #client: OpenAI;

  constructor(config: ProviderConfig, env: Record<string, string | undefined> = process.env) {
    this.provider = config.name;
    this.#config = config;
    const key = config.apiKeyEnv ? env[config.apiKeyEnv]?.trim() : "no-key";
    if (!key)
      throw new DomainError(
        `${config.name}: the API key environment variable ${config.apiKeyEnv} is not set`,
        "invalid",
        "apiKeyEnv",
      );
    this.#client = new OpenAI({
      apiKey: key,
      baseURL: config.baseUrl,
      organization: null,
      project: null,
      adminAPIKey: null,
      timeout: config.timeoutMs ?? 120_000,
      maxRetries: 2,
    });
  }

  /**
   * The batch the provider holds for this job and key, or null: its list, newest first, page by
   * page, down to the batches created before `since` (when the batch was recorded, less an hour
   * for clock skew).
   */
  async find(jobId: number, key: string, since: Date, signal?: AbortSignal): Promise<Batch | null> {
    const oldest = since.getTime() / 1000 - 3600;
    for await (const batch of this.#client.batches.list({ limit: 100 }, { signal })) {
      if (batch.created_at < oldest) return null;
      const metadata = batch.metadata ?? {};
      if (metadata[BATCH_METADATA.job] === String(jobId) && metadata[BATCH_METADATA.key] === key) return batch;
    }
    return null;
  }

  /** Uploads the lines as a JSONL file and creates the batch (never retried by the SDK: see find). */
  async submit(jobId: number, key: string, lines: BatchLine[], signal?: AbortSignal): Promise<Batch> {
    const jsonl = lines
      .map((line) => JSON.stringify({ custom_id: line.customId, method: "POST", url: BATCH_ENDPOINT, body: line.body }))
      .join("\n");
    const file = await this.#client.files.create(
      { file: await toFile(Buffer.from(`${jsonl}\n`), `${key}.jsonl`), purpose: "batch" },
      { signal },
    );
    return this.#client.batches.create(
      {
        input_file_id: file.id,
        endpoint: BATCH_ENDPOINT,
        completion_window: "24h",
        metadata: { [BATCH_METADATA.job]: String(jobId), [BATCH_METADATA.key]: key },
      },
      { signal, maxRetries: 0 },
    );
  }

  retrieve(id: string, signal?: AbortSignal): Promise<Batch> {
    return this.#client.batches.retrieve(id, { signal });
  }

  cancel(id: string): Promise<Batch> {
    return this.#client.batches.cancel(id);
  }

  /** Every request's result from a finished batch's output and error files (by custom_id). */
  async results(batch: Batch, model: string, signal?: AbortSignal): Promise<Map<string, BatchResult>> {
    const results = new Map<string, BatchResult>();
    const prices = this.#config.models.find((m) => m.name === model);
    const factor = this.#config.batchPriceFactor ?? DEFAULT_BATCH_PRICE_FACTOR;
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (!fileId) continue;
      const text = await (await this.#client.files.content(fileId, { signal })).text();
      for (const raw of text.split("\n")) {
        if (!raw.trim()) continue;
        const line = JSON.parse(raw) as {
          custom_id?: string;
          response?: { status_code?: number; body?: unknown } | null;
          error?: { code?: string; message?: string } | null;
        };
        if (typeof line.custom_id !== "string") continue;
        results.set(
          line.custom_id,
          readResultLine(line, (p, c) =>
            costOf({ promptPerM: prices?.promptPricePerM, completionPerM: prices?.completionPricePerM }, p, c, factor),
          ),
        );
      }
    }
    return results;
  }
}

function readResultLine(
  line: {
    response?: { status_code?: number; body?: unknown } | null;
    error?: { code?: string; message?: string } | null;
  },
  cost: (promptTokens: number, completionTokens: number) => number,
): BatchResult {
  if (line.error) return { ok: false, reason: `${line.error.code ?? "error"}: ${line.error.message ?? "failed"}` };
  const status = line.response?.status_code;
  if (status !== 200) {
    const message = (line.response?.body as { error?: { message?: unknown } } | undefined)?.error?.message;
    return { ok: false, reason: `HTTP ${status ?? "?"}${typeof message === "string" ? `: ${message}` : ""}` };
  }
  try {
    const reply = readCompletion(line.response?.body);
    return { ok: true, ...reply, costUsd: cost(reply.promptTokens, reply.completionTokens) };
  } catch (error) {
    return { ok: false, reason: `unparsable: ${(error as Error).message}` };
  }
}

/** The Batch API of a provider configured with `batch: true`. */
export function createBatchApi(
  providerName: string,
  options: LoadProvidersOptions & { providers?: ProviderConfig[] } = {},
) {
  const config = findProvider(providerName, options);
  if (!config.batch)
    throw new DomainError(
      `provider "${providerName}" does not serve the Batch API (its config needs "batch": true)`,
      "invalid",
      "provider",
    );
  return new BatchApi(config, options.env);
}

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

// ---- LlmBatch rows ----

export type LlmBatchRow = {
  id: number;
  jobId: number;
  key: string;
  provider: string;
  model: string;
  providerBatchId: string | null;
  status: string;
  requests: BatchRequestRef[];
  failures: Record<string, string>;
  createdAt: Date;
};

/** A JSON column: text on SQLite, a value on PostgreSQL. */
function jsonColumn<T>(value: unknown, empty: T): T {
  return ((typeof value === "string" ? JSON.parse(value) : value) ?? empty) as T;
}

function toRow(
  row: Omit<LlmBatchRow, "requests" | "failures"> & { requests: unknown; failures: unknown },
): LlmBatchRow {
  return {
    id: row.id,
    jobId: row.jobId,
    key: row.key,
    provider: row.provider,
    model: row.model,
    providerBatchId: row.providerBatchId,
    status: row.status,
    createdAt: row.createdAt,
    requests: jsonColumn<BatchRequestRef[]>(row.requests, []),
    failures: jsonColumn<Record<string, string>>(row.failures, {}),
  };
}

/** Records a batch before it is submitted; its key is `${jobId}-${n}` (n = the job's nth batch). */
export async function recordBatch(
  db: Db,
  batch: { jobId: number; provider: string; model: string; requests: BatchRequestRef[] },
): Promise<LlmBatchRow> {
  const n = (await db.llmBatch.count({ where: { jobId: batch.jobId } })) + 1;
  const row = await db.llmBatch.create({
    data: {
      jobId: batch.jobId,
      key: `${batch.jobId}-${n}`,
      provider: batch.provider,
      model: batch.model,
      requests: batch.requests as unknown as Prisma.InputJsonValue,
      total: batch.requests.length,
    },
  });
  return toRow(row);
}

/** A job's batches whose answers are not stored yet (and that were not abandoned or cancelled). */
export async function openBatches(db: Db, jobId: number): Promise<LlmBatchRow[]> {
  const rows = await db.llmBatch.findMany({
    where: { jobId, storedAt: null, status: { notIn: ["abandoned", "cancelled"] } },
    orderBy: { id: "asc" },
  });
  return rows.map(toRow);
}

/** Per request (custom_id): the reasons it failed inside this job's batches, oldest first. */
export async function batchFailures(db: Db, jobId: number): Promise<Map<string, string[]>> {
  const rows = await db.llmBatch.findMany({
    where: { jobId, storedAt: { not: null } },
    select: { failures: true },
    orderBy: { id: "asc" },
  });
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const failures = jsonColumn<Record<string, string>>(row.failures, {});
    for (const [customId, reason] of Object.entries(failures))
      out.set(customId, [...(out.get(customId) ?? []), reason]);
  }
  return out;
}

/** The provider's view of a batch, recorded on its row (submitted or adopted, or polled). */
export async function recordProviderState(db: Db, id: number, batch: Batch): Promise<void> {
  await db.llmBatch.update({
    where: { id },
    data: {
      providerBatchId: batch.id,
      inputFileId: batch.input_file_id,
      status: batch.status,
      submittedAt: new Date(batch.created_at * 1000),
      completed: batch.request_counts?.completed ?? 0,
      failed: batch.request_counts?.failed ?? 0,
      error: batch.errors?.data?.map((e) => e.message).join("; ") || null,
    },
  });
}

/** A recorded batch that never reached the provider (no batch with its metadata): its requests go in a new one. */
export async function abandonBatch(db: Db, id: number): Promise<void> {
  await db.llmBatch.update({ where: { id }, data: { status: "abandoned" } });
}

export async function markBatchCancelled(db: Db, id: number): Promise<void> {
  await db.llmBatch.update({ where: { id }, data: { status: "cancelled" } });
}

/**
 * Stores a finished batch's answers in the call cache, then, in one transaction, marks the batch
 * stored (with its failures and usage) and runs `inTx` (the job counts the cost there), once:
 * if another process stored it meanwhile, `inTx` does not run and false is returned.
 */
export async function storeBatchResults(
  db: Db,
  row: LlmBatchRow,
  results: Map<string, BatchResult>,
  wanted: Map<string, Pick<BatchAnswer, "hash" | "requestJson" | "provider" | "model">>,
  inTx: (tx: Tx, usage: { promptTokens: number; completionTokens: number; costUsd: number }) => Promise<void>,
): Promise<boolean> {
  const failures: Record<string, string> = {};
  const usage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
  for (const request of row.requests) {
    const result = results.get(request.customId) ?? { ok: false as const, reason: "no result in the batch's files" };
    const key = wanted.get(request.customId);
    if (!result.ok || !key) {
      failures[request.customId] = result.ok ? "answered, but no task wants it any more (not stored)" : result.reason;
      continue;
    }
    await storeBatchAnswer(db, {
      ...key,
      text: result.text,
      finishReason: result.finishReason,
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      costUsd: result.costUsd,
      jobId: row.jobId,
      taskId: request.taskId,
    });
    usage.promptTokens += result.promptTokens;
    usage.completionTokens += result.completionTokens;
    usage.costUsd += result.costUsd;
  }
  return db.$transaction(async (tx) => {
    const marked = await tx.llmBatch.updateMany({
      where: { id: row.id, storedAt: null },
      data: { storedAt: new Date(), failures, failed: Object.keys(failures).length, ...usage },
    });
    if (marked.count === 0) return false;
    await inTx(tx, usage);
    return true;
  });
}
