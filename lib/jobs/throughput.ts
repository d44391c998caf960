/**
 * A job's throughput over time (the job page's live chart): LLM calls per second and pairs per
 * second, in equal time buckets from the job's start to its end (or now, while it runs). Counted
 * from what is stored: each task's calls (Task.llmStats, every attempt) and pairs (its progress)
 * at the moment the task finished, so the chart needs no extra writes on the hot path.
 */
import type { Db } from "../db/client.ts";
import type { LlmStats } from "./llm-stats.ts";

export interface ThroughputPoint {
  /** Seconds since the job started, at the end of the bucket. */
  t: number;
  callsPerSecond: number;
  pairsPerSecond: number;
}

export interface FinishedWork {
  finishedAt: Date;
  calls: number;
  pairs: number;
}

/** `work` in `buckets` equal buckets from `start` to `end` (pure). */
export function throughputSeries(
  start: Date,
  end: Date,
  work: readonly FinishedWork[],
  buckets = 24,
): ThroughputPoint[] {
  const span = Math.max(1, (end.getTime() - start.getTime()) / 1000);
  const width = Math.max(1, Math.ceil(span / buckets));
  const n = Math.max(1, Math.ceil(span / width));
  const calls = new Array<number>(n).fill(0);
  const pairs = new Array<number>(n).fill(0);
  for (const w of work) {
    const at = (w.finishedAt.getTime() - start.getTime()) / 1000;
    const i = Math.min(n - 1, Math.max(0, Math.floor(at / width)));
    calls[i]! += w.calls;
    pairs[i]! += w.pairs;
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  return calls.map((c, i) => ({
    t: (i + 1) * width,
    callsPerSecond: round(c / width),
    pairsPerSecond: round(pairs[i]! / width),
  }));
}

/** The throughput series of job `jobId`, or [] before it started. */
export async function jobThroughput(db: Db, jobId: number, now = new Date()): Promise<ThroughputPoint[]> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { startedAt: true, finishedAt: true } });
  if (!job?.startedAt) return [];
  const tasks = await db.task.findMany({
    where: { jobId, finishedAt: { not: null } },
    select: { finishedAt: true, progress: true, llmStats: true },
  });
  const work = tasks.map((t) => ({
    finishedAt: t.finishedAt!,
    calls: Object.values((t.llmStats ?? {}) as unknown as LlmStats).reduce((sum, row) => sum + row.calls, 0),
    pairs: Number((t.progress as { pairs?: unknown } | null)?.pairs ?? 0) || 0,
  }));
  return throughputSeries(job.startedAt, job.finishedAt ?? now, work);
}
