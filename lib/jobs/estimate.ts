/**
 * Estimates before a job (issue 16): a background job of kind `estimate` runs the pipeline with
 * the job's exact settings on a small random sample of the seeds — real calls, paid at the
 * provider's prices, stored in the LLM call cache — and writes no nodes or pairs (the generation
 * handler in dry-run mode). Its tasks' counters (Task.llmStats, progress) give the sample's
 * calls, tokens and cost per role, pairs per seed and drop reasons; `getEstimate` extrapolates
 * them to the whole run with a range. The real run with the same settings and seeds then gets the
 * sample's answers from the cache (every random draw is seeded by job seed, seed content and node
 * key, never by a database id).
 */
import { createHash } from "node:crypto";
import type { Db } from "../db/client.ts";
import { DROP_REASONS, isDropCode } from "../evolution/drop-reasons.ts";
import { DomainError } from "../errors.ts";
import { enqueueJob, requiredModels, type StartedJob } from "./commands.ts";
import { type LlmRoleStats, type LlmStats, llmStatsRows, mergeLlmStats } from "./llm-stats.ts";
import {
  DEFAULT_ESTIMATE_SAMPLE,
  type JobModels,
  MAX_ESTIMATE_SAMPLE,
  type StartJobInput,
  startJobSchema,
} from "./schemas.ts";
import { VISIBLE_SEED } from "../db/visibility.ts";

export const ESTIMATE = "estimate";

/** What an estimate job records besides the generation parameters (Job.params.estimate). */
export interface EstimatePlan {
  /** Seeds the real run would cover. */
  seedsTotal: number;
  /** Seeds in the sample. */
  sampleSize: number;
}

/**
 * `sampleSize` seeds out of the first `limit` (by import order), chosen by a hash of the job's
 * random seed and each seed's content: the same settings pick the same sample.
 */
function sampleSeeds<T extends { contentHash: string }>(seeds: T[], size: number, randomSeed: number): T[] {
  const rank = (s: T) => createHash("sha256").update(`estimate|${randomSeed}|${s.contentHash}`).digest("hex");
  return seeds
    .map((s) => ({ s, r: rank(s) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
    .slice(0, size)
    .map((x) => x.s);
}

/** Starts an estimate of the generation job `input` would start. */
export async function startEstimate(
  db: Db,
  input: StartJobInput,
  options: { sampleSize?: number; checkModels?: (models: JobModels) => void } = {},
): Promise<StartedJob & EstimatePlan> {
  const data = startJobSchema.parse(input);
  const size = options.sampleSize ?? DEFAULT_ESTIMATE_SAMPLE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_ESTIMATE_SAMPLE)
    throw new DomainError(
      `Sample size must be a whole number from 1 to ${MAX_ESTIMATE_SAMPLE}`,
      "invalid",
      "sampleSize",
    );
  const models = requiredModels(data.pipeline, data.models);
  options.checkModels?.(models);
  const seeds = await db.seed.findMany({
    where: { datasetId: data.datasetId, ...VISIBLE_SEED },
    select: { id: true, contentHash: true },
    orderBy: { id: "asc" },
    take: data.limit,
  });
  if (seeds.length === 0)
    throw new DomainError("This dataset has no seeds yet: import some first", "invalid", "datasetId");
  const sample = sampleSeeds(seeds, size, data.params.randomSeed);
  const plan: EstimatePlan = { seedsTotal: seeds.length, sampleSize: sample.length };
  const started = await enqueueJob(
    db,
    {
      kind: ESTIMATE,
      datasetId: data.datasetId,
      pipeline: data.pipeline,
      params: { ...data.params, estimate: plan },
      models,
      maxAttempts: data.params.maxAttempts,
      createdById: data.createdById,
      audit: { pipeline: data.pipeline, models, ...plan },
    },
    sample.map((s) => ({ kind: ESTIMATE, seedId: s.id })),
  );
  return { ...started, ...plan };
}

/** A number extrapolated from the sample, with a range (about 95%: mean ± 1.96 standard errors). */
export interface Projected {
  value: number;
  low: number;
  high: number;
}

export interface RoleEstimate {
  provider: string;
  role: string;
  /** In the sample (every call, cached or not; tokens and cost of the answers paid for). */
  sample: Pick<LlmRoleStats, "calls" | "cached" | "promptTokens" | "completionTokens" | "costUsd">;
  /** For the whole run. */
  calls: number;
  tokens: number;
  costUsd: number;
}

export interface JobEstimate {
  jobId: number;
  seedsTotal: number;
  sampleSize: number;
  /** Sample tasks finished (succeeded); the estimate is final when all are. */
  sampleDone: number;
  sampleFailed: number;
  complete: boolean;
  pairsPerSeed: number;
  pairs: Projected;
  costUsd: Projected;
  tokens: Projected;
  calls: number;
  roles: RoleEstimate[];
  /** Drops in the sample, most frequent first. */
  dropReasons: { code: string; description: string; count: number }[];
}

function project(perSeed: number[], total: number): Projected {
  const n = perSeed.length;
  if (n === 0) return { value: 0, low: 0, high: 0 };
  const mean = perSeed.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? perSeed.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  // The sample is drawn without replacement: the finite-population correction narrows the range.
  const fpc = total > 1 ? Math.sqrt(Math.max(0, (total - n) / (total - 1))) : 0;
  const half = 1.96 * Math.sqrt(variance / n) * fpc;
  return { value: mean * total, low: Math.max(0, mean - half) * total, high: (mean + half) * total };
}

type TaskRow = { status: string; progress: unknown; llmStats: unknown };

/** The estimate of job `jobId` (of kind `estimate`), from its sample tasks so far. */
export async function getEstimate(db: Db, jobId: number): Promise<JobEstimate | null> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { kind: true, params: true } });
  if (!job || job.kind !== ESTIMATE) return null;
  const plan = (job.params as { estimate?: EstimatePlan }).estimate;
  if (!plan) return null;
  const tasks: TaskRow[] = await db.task.findMany({
    where: { jobId },
    select: { status: true, progress: true, llmStats: true },
  });
  return estimateFromTasks(jobId, plan, tasks);
}

/** The arithmetic of getEstimate (pure). */
export function estimateFromTasks(jobId: number, plan: EstimatePlan, tasks: TaskRow[]): JobEstimate {
  const done = tasks.filter((t) => t.status === "succeeded");
  const statsOf = (t: TaskRow) => (t.llmStats ?? {}) as LlmStats;
  const perSeed = (f: (row: LlmRoleStats) => number) =>
    done.map((t) => Object.values(statsOf(t)).reduce((sum, row) => sum + f(row), 0));
  const pairs = done.map((t) => Number((t.progress as { pairs?: number }).pairs ?? 0));
  let stats: LlmStats = {};
  for (const t of done) stats = mergeLlmStats(stats, statsOf(t));
  const drops = new Map<string, number>();
  for (const t of done)
    for (const [code, count] of Object.entries((t.progress as { dropCodes?: Record<string, number> }).dropCodes ?? {}))
      drops.set(code, (drops.get(code) ?? 0) + count);
  const scale = done.length ? plan.seedsTotal / done.length : 0;
  const roles = llmStatsRows(stats).map((row) => ({
    provider: row.provider,
    role: row.role,
    sample: {
      calls: row.calls,
      cached: row.cached,
      promptTokens: row.promptTokens,
      completionTokens: row.completionTokens,
      costUsd: row.costUsd,
    },
    calls: Math.round(row.calls * scale),
    tokens: Math.round((row.promptTokens + row.completionTokens) * scale),
    costUsd: row.costUsd * scale,
  }));
  return {
    jobId,
    seedsTotal: plan.seedsTotal,
    sampleSize: plan.sampleSize,
    sampleDone: done.length,
    sampleFailed: tasks.filter((t) => t.status === "failed").length,
    complete: tasks.every((t) => t.status !== "queued" && t.status !== "running"),
    pairsPerSeed: done.length ? pairs.reduce((a, b) => a + b, 0) / done.length : 0,
    pairs: project(pairs, plan.seedsTotal),
    costUsd: project(
      perSeed((r) => r.costUsd),
      plan.seedsTotal,
    ),
    tokens: project(
      perSeed((r) => r.promptTokens + r.completionTokens),
      plan.seedsTotal,
    ),
    calls: roles.reduce((sum, r) => sum + r.calls, 0),
    roles,
    dropReasons: [...drops]
      .map(([code, count]) => ({
        code,
        description: isDropCode(code) ? DROP_REASONS[code] : "unknown reason",
        count,
      }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
  };
}
