import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { DomainError } from "../errors.ts";
import type { JobModels, JobParams, Pipeline } from "./schemas.ts";

/**
 * The job engine's read models: jobs with their progress (for the jobs pages and `ecd jobs`),
 * a job's tasks, and the pairs a generation job made. commands.ts is the write side.
 */

export type JobSummary = {
  id: number;
  kind: string;
  /** Null for a job that belongs to no dataset. */
  datasetId: number | null;
  datasetName: string | null;
  /** Generation jobs only. */
  pipeline: Pipeline | null;
  status: string;
  /** The kind's parameters (generation: JobParams). */
  params: JobParams;
  models: JobModels;
  tasksTotal: number;
  tasksDone: number;
  tasksFailed: number;
  tasksCancelled: number;
  tasksRunning: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdBy: string | null;
  /** Seconds since the job started (to its end when finished). */
  elapsedSeconds: number | null;
  /** Estimated seconds to finish, from the rate so far; null when unknown or finished. */
  etaSeconds: number | null;
  pairs: number;
};

const jobSelect = {
  id: true,
  kind: true,
  datasetId: true,
  pipeline: true,
  status: true,
  params: true,
  models: true,
  tasksTotal: true,
  tasksDone: true,
  tasksFailed: true,
  promptTokens: true,
  completionTokens: true,
  costUsd: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  dataset: { select: { name: true } },
  createdBy: { select: { email: true } },
  _count: { select: { pairs: true } },
} as const;

type JobRow = Prisma.JobGetPayload<{ select: typeof jobSelect }>;

function summarize(job: JobRow, byStatus: Map<string, number>, now: Date): JobSummary {
  const end = job.finishedAt ?? now;
  const elapsedSeconds = job.startedAt ? Math.max(0, (end.getTime() - job.startedAt.getTime()) / 1000) : null;
  const finished = job.tasksDone + job.tasksFailed;
  const cancelled = byStatus.get("cancelled") ?? 0;
  const remaining = job.tasksTotal - finished - cancelled;
  const open = job.status === "queued" || job.status === "running";
  const etaSeconds = open && elapsedSeconds && finished > 0 ? (remaining * elapsedSeconds) / finished : null;
  return {
    id: job.id,
    kind: job.kind,
    datasetId: job.datasetId,
    datasetName: job.dataset?.name ?? null,
    pipeline: job.pipeline as Pipeline | null,
    status: job.status,
    params: job.params as JobParams,
    models: job.models as JobModels,
    tasksTotal: job.tasksTotal,
    tasksDone: job.tasksDone,
    tasksFailed: job.tasksFailed,
    tasksCancelled: cancelled,
    tasksRunning: byStatus.get("running") ?? 0,
    promptTokens: job.promptTokens,
    completionTokens: job.completionTokens,
    costUsd: job.costUsd,
    error: job.error,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    createdBy: job.createdBy?.email ?? null,
    elapsedSeconds,
    etaSeconds,
    pairs: job._count.pairs,
  };
}

async function taskCounts(db: Db, jobIds: number[]): Promise<Map<number, Map<string, number>>> {
  const rows = jobIds.length
    ? await db.task.groupBy({
        by: ["jobId", "status"],
        where: { jobId: { in: jobIds }, status: { in: ["running", "cancelled"] } },
        _count: { _all: true },
      })
    : [];
  const out = new Map<number, Map<string, number>>();
  for (const row of rows) {
    const m = out.get(row.jobId) ?? new Map<string, number>();
    m.set(row.status, row._count._all);
    out.set(row.jobId, m);
  }
  return out;
}

export async function listJobs(db: Db, options: { datasetId?: number; take?: number } = {}): Promise<JobSummary[]> {
  const jobs = await db.job.findMany({
    where: options.datasetId ? { datasetId: options.datasetId } : {},
    select: jobSelect,
    orderBy: { id: "desc" },
    take: options.take ?? 100,
  });
  const counts = await taskCounts(
    db,
    jobs.map((j) => j.id),
  );
  const now = new Date();
  return jobs.map((j) => summarize(j, counts.get(j.id) ?? new Map(), now));
}

export async function getJob(db: Db, jobId: number): Promise<JobSummary> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: jobSelect });
  if (!job) throw new DomainError(`Job ${jobId} does not exist`, "not_found");
  const counts = await taskCounts(db, [jobId]);
  return summarize(job, counts.get(jobId) ?? new Map(), new Date());
}

export type TaskSummary = {
  id: number;
  kind: string;
  /** Generation tasks: the seed and its instruction; null for tasks of other kinds. */
  seedId: number | null;
  seedInstruction: string | null;
  status: string;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  progress: Record<string, unknown>;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/** A job's tasks, those with errors first (failed, then retried ones), then by id. */
export async function listTasks(
  db: Db,
  jobId: number,
  options: { onlyWithErrors?: boolean; take?: number } = {},
): Promise<TaskSummary[]> {
  const tasks = await db.task.findMany({
    where: { jobId, ...(options.onlyWithErrors ? { error: { not: null } } : {}) },
    select: {
      id: true,
      kind: true,
      seedId: true,
      status: true,
      attempts: true,
      maxAttempts: true,
      error: true,
      progress: true,
      promptTokens: true,
      completionTokens: true,
      costUsd: true,
      startedAt: true,
      finishedAt: true,
      seed: { select: { instruction: true } },
    },
    orderBy: { id: "asc" },
    take: options.take ?? 500,
  });
  const rank = (s: string) => (s === "failed" ? 0 : s === "running" ? 1 : 2);
  return tasks
    .map(({ seed, progress, ...t }) => ({
      ...t,
      seedInstruction: seed?.instruction ?? null,
      progress: (progress ?? {}) as Record<string, unknown>,
    }))
    .sort((a, b) => rank(a.status) - rank(b.status) || a.id - b.id);
}

/** True when the job is finished (succeeded, failed or cancelled). */
export function isFinished(status: string): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled";
}

export type JobPair = {
  id: number;
  method: string;
  depth: number;
  status: string;
  hardNegative: boolean | null;
  prompt: string;
  chosen: string;
  rejected: string;
  provider: string;
};

/** The newest pairs a job made (for its page: a glance, and a way into review). */
export async function listJobPairs(db: Db, jobId: number, take = 20): Promise<JobPair[]> {
  const pairs = await db.pair.findMany({
    where: { jobId },
    orderBy: { id: "desc" },
    take,
    select: {
      id: true,
      method: true,
      depth: true,
      status: true,
      hardNegative: true,
      node: { select: { instruction: true } },
      chosen: { select: { text: true, provider: true } },
      rejected: { select: { text: true } },
    },
  });
  return pairs.map((p) => ({
    id: p.id,
    method: p.method,
    depth: p.depth,
    status: p.status,
    hardNegative: p.hardNegative,
    prompt: p.node.instruction,
    chosen: p.chosen.text,
    rejected: p.rejected.text,
    provider: p.chosen.provider,
  }));
}
