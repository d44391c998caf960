/**
 * Batch mode (job param `mode: "batch"`): the `llm-batch` task of a generation job coordinates
 * its seeds' LLM calls through the providers' Batch API. The pipelines make one call at a time,
 * so each round it replays every waiting seed's pipeline in batch-collect mode (answers come from
 * the call cache; the first call with no stored answer is "wanted"), wakes the seeds whose
 * pipeline completed (their generation task then runs it from the cache and writes the results),
 * and sends the wanted calls of all seeds in one batch per provider and model. It polls the batch,
 * stores every answer in the call cache and counts its cost at the batch price, and repeats until
 * every seed is done. A request that fails inside a batch is wanted again, so it goes in the next
 * batch; after MAX_BATCH_TRIES failures the seed's task fails with the reason.
 *
 * Durable: each batch is recorded (lib/llm/batch.ts) before it is submitted, a restarted
 * coordinator first finishes the job's open batches (adopting one the provider has under the same
 * job and key), and the answers are stored once. Cancelling the job cancels its open batches.
 */
import type { Db } from "../db/client.ts";
import {
  abandonBatch,
  BatchApi,
  type BatchResult,
  batchFailures,
  createBatchApi,
  isTerminal,
  type LlmBatchRow,
  markBatchCancelled,
  openBatches,
  recordBatch,
  recordProviderState,
  storeBatchResults,
} from "../llm/batch.ts";
import { type ChatResponse, LlmCallWanted } from "../llm/types.ts";
import { addBatchUsage, failWaitingTasks, GENERATION, openTasks, type Usage, wakeTasks } from "./commands.ts";
import type { TaskHandler } from "./handlers.ts";
import { type LlmStats, recordAnswer } from "./llm-stats.ts";
import { createSeedPipeline, isPermanentTaskError, type RunnerOptions } from "./runner.ts";
import { TaskAbort, type TaskContext } from "./worker.ts";

/** Batches a request may fail in before its seed's task fails. */
export const MAX_BATCH_TRIES = 3;
/** Seeds replayed at once. */
const REPLAY_CONCURRENCY = 8;

export type BatchRunnerOptions = RunnerOptions & {
  /** How often an open batch is polled (default ECD_BATCH_POLL_MS or 30 s). */
  batchPollMs?: number;
};

/** A wanted call: what the batch line and the stored answer need, and which task wants it. */
type Wanted = {
  hash: string;
  requestJson: string;
  provider: string;
  model: string;
  role: string;
  body: Record<string, unknown>;
  taskIds: number[];
};

export function createBatchCoordinator(options: BatchRunnerOptions = {}): TaskHandler {
  const pipeline = createSeedPipeline(options);
  const pollMs = options.batchPollMs ?? (Number(process.env.ECD_BATCH_POLL_MS) || 30_000);
  const apis = new Map<string, BatchApi>();
  const api = (provider: string) => {
    let found = apis.get(provider);
    if (!found) apis.set(provider, (found = createBatchApi(provider, options)));
    return found;
  };

  /** Replays every waiting seed: which completed (wake them) and which calls are wanted. */
  async function replay(db: Db, jobId: number, ctx: TaskContext) {
    const { queued, running } = await openTasks(db, jobId, GENERATION);
    const complete: number[] = [];
    const wanted = new Map<string, Wanted>();
    let next = 0;
    const worker = async () => {
      while (next < queued.length) {
        const task = queued[next++]!;
        ctx.signal.throwIfAborted();
        const collected: LlmCallWanted[] = [];
        const meter = {
          context: { jobId, taskId: task.id, signal: ctx.signal, batch: { wanted: collected } },
          // A replay's calls are answered from the cache: nothing to count.
          usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 } as Usage,
        };
        try {
          await pipeline.run(db, jobId, task.seedId!, meter);
        } catch (error) {
          if (!(error instanceof LlmCallWanted) && collected.length === 0) {
            // Another failure: the task itself will meet it and fail (or retry) the usual way.
            complete.push(task.id);
            continue;
          }
        }
        if (collected.length === 0) complete.push(task.id);
        for (const call of collected) {
          const known = wanted.get(call.hash);
          if (known) known.taskIds.push(task.id);
          else
            wanted.set(call.hash, {
              hash: call.hash,
              requestJson: call.requestJson,
              provider: call.provider,
              model: call.model,
              role: call.role ?? "unknown",
              body: call.body,
              taskIds: [task.id],
            });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(REPLAY_CONCURRENCY, queued.length) }, worker));
    return { complete, wanted, waiting: queued.length, running };
  }

  /** Submits (or adopts) a recorded batch, polls it to its end and stores its answers. */
  async function drive(db: Db, row: LlmBatchRow, wanted: Map<string, Wanted>, taskId: number, ctx: TaskContext) {
    const provider = api(row.provider);
    let batch;
    if (row.providerBatchId) {
      batch = await provider.retrieve(row.providerBatchId, ctx.signal);
    } else {
      // Recorded but maybe never submitted: the provider's list says whether it was.
      batch = await provider.find(row.jobId, row.key, row.createdAt, ctx.signal);
      if (!batch) {
        const lines = row.requests.flatMap((r) => {
          const call = wanted.get(r.customId);
          return call ? [{ customId: r.customId, body: call.body }] : [];
        });
        if (lines.length === 0) return abandonBatch(db, row.id);
        batch = await provider.submit(row.jobId, row.key, lines, ctx.signal);
      }
    }
    await recordProviderState(db, row.id, batch);
    let seen = `${batch.status}/${batch.request_counts?.completed}/${batch.request_counts?.failed}`;
    while (!isTerminal(batch.status)) {
      await pause(pollMs, ctx);
      batch = await provider.retrieve(batch.id, ctx.signal);
      const now = `${batch.status}/${batch.request_counts?.completed}/${batch.request_counts?.failed}`;
      if (now !== seen) await recordProviderState(db, row.id, batch);
      seen = now;
    }
    let results: Map<string, BatchResult>;
    if (batch.status === "failed") {
      const reason = `the batch failed: ${batch.errors?.data?.map((e) => e.message).join("; ") || "no reason given"}`;
      results = new Map(row.requests.map((r) => [r.customId, { ok: false, reason }]));
    } else {
      // completed, or expired / cancelled with what was done by then (the rest counts as failed).
      results = await provider.results(batch, row.model, ctx.signal);
    }
    const roles = new Map(row.requests.map((r) => [r.customId, r.role]));
    await storeBatchResults(db, row, results, wanted, async (tx, usage) => {
      const llm: LlmStats = {};
      for (const [customId, result] of results) {
        if (!result.ok || !wanted.has(customId)) continue;
        recordAnswer(llm, row.provider, roles.get(customId) ?? "unknown", batchResponse(row, result));
      }
      await addBatchUsage(tx, { jobId: row.jobId, taskId, usage: { ...usage, llm } });
    });
  }

  return async (db, task, ctx) => {
    const jobId = task.jobId;
    let rounds = 0;
    let batches = 0;
    try {
      for (;;) {
        if (ctx.draining.aborted) throw ctx.draining.reason;
        ctx.signal.throwIfAborted();
        const open = await openBatches(db, jobId);
        const { complete, wanted, waiting, running } = await replay(db, jobId, ctx);
        if (open.length) {
          // A batch from before a restart (or still running): finish it first.
          await Promise.all(open.map((row) => drive(db, row, wanted, task.id, ctx)));
          continue;
        }
        await wakeTasks(db, jobId, complete);
        // Requests that failed in too many batches fail their seeds' tasks, with the reason.
        const failures = await batchFailures(db, jobId);
        const groups = new Map<string, Wanted[]>();
        for (const call of wanted.values()) {
          const failed = failures.get(call.hash) ?? [];
          if (failed.length >= MAX_BATCH_TRIES) {
            await failWaitingTasks(
              db,
              jobId,
              call.taskIds,
              `${call.provider}/${call.model} (${call.role}): the request failed in ${failed.length} batches: ${failed.at(-1)}`,
            );
            continue;
          }
          const group = `${call.provider}\u0000${call.model}`;
          groups.set(group, [...(groups.get(group) ?? []), call]);
        }
        if (groups.size) {
          rounds++;
          // One batch per provider and model (a batch file holds requests to one model).
          const rows = [];
          for (const calls of groups.values()) {
            rows.push(
              await recordBatch(db, {
                jobId,
                provider: calls[0]!.provider,
                model: calls[0]!.model,
                requests: calls.map((c) => ({ customId: c.hash, taskId: c.taskIds[0] ?? null, role: c.role })),
              }),
            );
          }
          batches += rows.length;
          await Promise.all(rows.map((row) => drive(db, row, wanted, task.id, ctx)));
          continue;
        }
        if (waiting === 0 && running === 0) break;
        // Woken seeds are running (or retrying): wait for them, then look again.
        await pause(Math.min(pollMs, 500), ctx);
      }
    } catch (error) {
      const reason = ctx.signal.aborted ? ctx.signal.reason : undefined;
      if (reason instanceof TaskAbort && reason.why === "cancelled") await cancelOpenBatches(db, jobId, api);
      else if (
        !reason &&
        !(error instanceof TaskAbort) &&
        (isPermanentTaskError(error) || task.attempts >= task.maxAttempts)
      ) {
        // The coordinator's last attempt failed: nobody will wake the waiting seeds, so they fail too.
        const { queued } = await openTasks(db, jobId, GENERATION);
        await failWaitingTasks(
          db,
          jobId,
          queued.map((t) => t.id),
          `the batch coordinator failed: ${(error as Error).message}`,
        );
      }
      throw error;
    }
    return { progress: { rounds, batches }, write: async () => {} };
  };
}

/** The job was cancelled: its open batches are cancelled at the provider (best effort). */
async function cancelOpenBatches(db: Db, jobId: number, api: (provider: string) => BatchApi): Promise<void> {
  for (const row of await openBatches(db, jobId)) {
    try {
      const id = row.providerBatchId ?? (await api(row.provider).find(jobId, row.key, row.createdAt))?.id;
      if (id) await api(row.provider).cancel(id);
      await markBatchCancelled(db, row.id);
    } catch (error) {
      console.warn(`[batch] could not cancel batch ${row.key} of job ${jobId}: ${(error as Error).message}`);
    }
  }
}

/** A batch answer as the LLM stats count it (paid, at the batch price). */
function batchResponse(row: LlmBatchRow, result: Extract<BatchResult, { ok: true }>): ChatResponse {
  return {
    text: result.text,
    usage: { promptTokens: result.promptTokens, completionTokens: result.completionTokens, costUsd: result.costUsd },
    provider: row.provider,
    model: row.model,
    latencyMs: 0,
    cached: false,
  };
}

/** Waits `ms`, or less when the task is aborted or the worker starts draining (then throws). */
function pause(ms: number, ctx: TaskContext): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", stop);
      ctx.draining.removeEventListener("abort", stop);
      reject(ctx.signal.aborted ? ctx.signal.reason : ctx.draining.reason);
    };
    const timer = setTimeout(() => {
      ctx.signal.removeEventListener("abort", stop);
      ctx.draining.removeEventListener("abort", stop);
      resolve();
    }, ms);
    if (ctx.signal.aborted || ctx.draining.aborted) return stop();
    ctx.signal.addEventListener("abort", stop, { once: true });
    ctx.draining.addEventListener("abort", stop, { once: true });
  });
}
