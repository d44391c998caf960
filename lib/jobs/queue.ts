import { EventEmitter } from "node:events";
import { recordAudit } from "../audit.ts";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { bumpJobSql, claimTaskSql, type ClaimedTaskRow, completeTaskSql, insertTasksSql } from "../db/queue-sql.ts";
import { DomainError } from "../errors.ts";
import { seedText } from "../evolution/types.ts";
import {
  type JobModels,
  type JobParams,
  PIPELINE_ROLES,
  type Pipeline,
  startJobSchema,
  type StartJobInput,
} from "./schemas.ts";

/**
 * The durable job queue: the one write path for Job and Task rows.
 *
 * Life of a task: queued → (claim) running → succeeded | queued again (a failed attempt with
 * attempts left; `leaseExpiresAt` then holds the earliest retry time) | failed | cancelled.
 * A running task whose lease expired (its worker died) is claimed again: that is "resume".
 * Job counters change only by increments inside the transaction that changes the task, and a job
 * is finished by the transaction that finishes its last task.
 */

type Tx = Prisma.TransactionClient;

/**
 * Transactions wait for each other (and, on SQLite, every other query waits for them): allow a
 * long wait to start under load, and keep each one short.
 */
const TX = { maxWait: 30_000, timeout: 60_000 };
const START_CHUNK = 2_000;

export type Usage = { promptTokens: number; completionTokens: number; costUsd: number };
export const NO_USAGE: Usage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };

/** In-process wake-up: a job started in this process wakes this process's worker at once. */
export const queueEvents = new EventEmitter();
queueEvents.setMaxListeners(100);
function notifyWork() {
  queueEvents.emit("work");
}

export type StartedJob = { id: number; tasksTotal: number };

/** Model roles the pipeline needs, each mapped to a provider; `checkModels` validates them. */
export function requiredModels(pipeline: Pipeline, models: JobModels): JobModels {
  const out: JobModels = {};
  for (const role of PIPELINE_ROLES[pipeline]) {
    const choice = models[role];
    if (!choice) throw new DomainError(`No model chosen for the ${role} role`, "invalid", `models.${role}`);
    out[role] = choice;
  }
  return out;
}

/**
 * Creates a Job and one Task per seed (the first `limit` seeds), in one transaction. Seeds that
 * have no depth-0 node yet get one (node 0 is shared by every job on the seed).
 */
export async function startJob(
  db: Db,
  input: StartJobInput,
  options: { checkModels?: (models: JobModels) => void } = {},
): Promise<StartedJob> {
  const data = startJobSchema.parse(input);
  const models = requiredModels(data.pipeline, data.models);
  options.checkModels?.(models);
  const dataset = await db.dataset.findUnique({ where: { id: data.datasetId }, select: { id: true } });
  if (!dataset) throw new DomainError(`Dataset ${data.datasetId} does not exist`, "not_found", "datasetId");
  const seeds = await db.seed.findMany({
    where: { datasetId: data.datasetId },
    select: { id: true },
    orderBy: { id: "asc" },
    take: data.limit,
  });
  if (seeds.length === 0)
    throw new DomainError("This dataset has no seeds yet: import some first", "invalid", "datasetId");
  const now = new Date();
  const job = await db.$transaction(
    async (tx) => {
      const job = await tx.job.create({
        data: {
          datasetId: data.datasetId,
          pipeline: data.pipeline,
          params: data.params,
          models,
          createdById: data.createdById,
          tasksTotal: seeds.length,
        },
        select: { id: true, tasksTotal: true },
      });
      // In chunks, so a dataset of a million seeds stays within SQL parameter limits.
      for (let i = 0; i < seeds.length; i += START_CHUNK) {
        const ids = seeds.slice(i, i + START_CHUNK).map((s) => s.id);
        const missing = await tx.seed.findMany({
          where: { id: { in: ids }, nodes: { none: { depth: 0, jobId: null } } },
          select: { id: true, instruction: true, input: true },
        });
        if (missing.length) {
          await tx.node.createMany({
            data: missing.map((s) => ({
              datasetId: data.datasetId,
              seedId: s.id,
              depth: 0,
              instruction: seedText(s),
              constraints: [],
            })),
          });
        }
        for (let k = 0; k < ids.length; k += 500)
          await tx.$executeRaw(insertTasksSql(job.id, ids.slice(k, k + 500), data.params.maxAttempts, now));
      }
      await recordAudit(tx, {
        userId: data.createdById,
        action: "job.start",
        entityType: "job",
        entityId: job.id,
        data: { datasetId: data.datasetId, pipeline: data.pipeline, tasks: seeds.length, models },
      });
      return job;
    },
    { maxWait: TX.maxWait, timeout: Math.max(TX.timeout, seeds.length * 2) },
  );
  notifyWork();
  return job;
}

export type ClaimedTask = ClaimedTaskRow;

/** Claims the oldest claimable task with a lease, in one atomic statement (see lib/db/queue-sql.ts). */
export async function claimTask(
  db: Db,
  options: {
    owner: string;
    leaseMs: number;
    now?: Date;
    /** Skip marking the job running (the caller did so recently). */ jobKnownRunning?: (jobId: number) => boolean;
  },
): Promise<ClaimedTask | null> {
  const now = options.now ?? new Date();
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const rows = await db.$queryRaw<Record<keyof ClaimedTaskRow, number | bigint>[]>(
    claimTaskSql({ owner: options.owner, now, leaseUntil }),
  );
  const row = rows[0];
  if (!row) return null;
  const task = {
    id: Number(row.id),
    jobId: Number(row.jobId),
    seedId: Number(row.seedId),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.maxAttempts),
  };
  if (!options.jobKnownRunning?.(task.jobId)) {
    await db.job.updateMany({
      where: { id: task.jobId, status: "queued" },
      data: { status: "running", startedAt: now },
    });
  }
  return task;
}

export type HeartbeatResult = { lost: number[]; cancelled: number[] };

/**
 * Extends the leases of a worker's running tasks in one statement. Returns the tasks this worker
 * no longer owns ("lost": their lease expired and another worker took them) and those whose job
 * was cancelled; the worker aborts both.
 */
export async function heartbeatTasks(
  db: Db,
  options: { owner: string; taskIds: number[]; leaseMs: number; now?: Date },
): Promise<HeartbeatResult> {
  if (options.taskIds.length === 0) return { lost: [], cancelled: [] };
  const now = options.now ?? new Date();
  const where = { id: { in: options.taskIds }, leaseOwner: options.owner, status: "running" };
  const updated = await db.task.updateMany({
    where,
    data: { heartbeatAt: now, leaseExpiresAt: new Date(now.getTime() + options.leaseMs) },
  });
  let owned = options.taskIds;
  if (updated.count < options.taskIds.length) {
    owned = (await db.task.findMany({ where, select: { id: true } })).map((t) => t.id);
  }
  const ownedSet = new Set(owned);
  const cancelled = owned.length
    ? (
        await db.task.findMany({ where: { id: { in: owned }, job: { status: "cancelled" } }, select: { id: true } })
      ).map((t) => t.id)
    : [];
  return { lost: options.taskIds.filter((id) => !ownedSet.has(id)), cancelled };
}

/**
 * Gives a claimed task back without counting the attempt (a worker stopping gracefully): it is
 * queued again for any worker.
 */
export async function releaseTask(
  db: Db,
  options: { taskId: number; jobId: number; owner: string; usage: Usage },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const released = await tx.task.updateMany({
      where: { id: options.taskId, leaseOwner: options.owner, status: "running" },
      data: {
        status: "queued",
        leaseOwner: null,
        leaseExpiresAt: null,
        attempts: { decrement: 1 },
        ...usageIncrements(options.usage),
      },
    });
    if (released.count === 0) return false;
    await tx.job.update({ where: { id: options.jobId }, data: usageIncrements(options.usage) });
    return true;
  }, TX);
}

function usageIncrements(usage: Usage) {
  return {
    promptTokens: { increment: usage.promptTokens },
    completionTokens: { increment: usage.completionTokens },
    costUsd: { increment: usage.costUsd },
  };
}

type JobCounters = { tasksDone: number; tasksFailed: number; tasksTotal: number };

/**
 * Marks the job finished when none of its tasks is queued or running (never overrides a cancel).
 * With the job's counters just incremented, the count is only made once they add up to the total
 * (an open job has no cancelled task: cancelling closes it, retrying requeues them all).
 */
async function finishJobIfDone(tx: Tx, jobId: number, now: Date, counters?: JobCounters): Promise<void> {
  if (counters && counters.tasksDone + counters.tasksFailed < counters.tasksTotal) return;
  const open = await tx.task.count({ where: { jobId, status: { in: ["queued", "running"] } } });
  if (open > 0) return;
  const job = await tx.job.findUnique({ where: { id: jobId }, select: { tasksDone: true, tasksFailed: true } });
  if (!job) return;
  const allFailed = job.tasksFailed > 0 && job.tasksDone === 0;
  await tx.job.updateMany({
    where: { id: jobId, status: { in: ["queued", "running"] } },
    data: {
      status: allFailed ? "failed" : "succeeded",
      finishedAt: now,
      error: job.tasksFailed > 0 ? `${job.tasksFailed} of ${job.tasksFailed + job.tasksDone} tasks failed` : null,
    },
  });
}

/**
 * Finishes a task: `write` stores its results, in the same transaction that marks the task
 * succeeded and counts it on the job. The first statement is the ownership check (a write, so
 * SQLite takes its write lock before anything is read); if this worker no longer owns the task
 * (its lease expired and another worker took it), nothing is written and false is returned.
 */
export async function completeTask(
  db: Db,
  options: {
    taskId: number;
    jobId: number;
    owner: string;
    usage: Usage;
    progress?: Record<string, unknown>;
    now?: Date;
  },
  write: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const owned = await tx.$executeRaw(
      completeTaskSql({
        taskId: options.taskId,
        owner: options.owner,
        now,
        usage: options.usage,
        progress: options.progress,
      }),
    );
    if (owned === 0) return false;
    await write(tx);
    const [row] = await tx.$queryRaw<Record<keyof JobCounters, number | bigint>[]>(
      bumpJobSql({ jobId: options.jobId, done: 1, usage: options.usage }),
    );
    const counters = {
      tasksDone: Number(row.tasksDone),
      tasksFailed: Number(row.tasksFailed),
      tasksTotal: Number(row.tasksTotal),
    };
    await finishJobIfDone(tx, options.jobId, now, counters);
    return true;
  }, TX);
}

export type AttemptOutcome = "retry" | "failed" | "cancelled" | "lost";

/**
 * Records a failed attempt. With attempts left (and a retryable error) the task is queued again,
 * claimable after `retryDelayMs`; otherwise it is failed with the error and counted on the job.
 * `cancelled`: the attempt stopped because its job was cancelled.
 */
export async function failTaskAttempt(
  db: Db,
  options: {
    taskId: number;
    jobId: number;
    owner: string;
    error: string;
    usage: Usage;
    permanent?: boolean;
    cancelled?: boolean;
    retryDelayMs?: number;
    progress?: Record<string, unknown>;
    now?: Date;
  },
): Promise<AttemptOutcome> {
  const now = options.now ?? new Date();
  const error = options.error.slice(0, 4000);
  return db.$transaction(async (tx) => {
    const owned = await tx.task.updateMany({
      where: { id: options.taskId, leaseOwner: options.owner, status: "running" },
      data: { heartbeatAt: now, ...usageIncrements(options.usage) },
    });
    if (owned.count === 0) return "lost" as const;
    const task = await tx.task.findUniqueOrThrow({
      where: { id: options.taskId },
      select: { attempts: true, maxAttempts: true },
    });
    const progress = options.progress ? { progress: options.progress as Prisma.InputJsonValue } : {};
    // Cancelled, but the job was reopened (retry-failed) since: run the task again.
    const reopened =
      options.cancelled &&
      (await tx.job.findUnique({ where: { id: options.jobId }, select: { status: true } }))?.status !== "cancelled";
    let outcome: AttemptOutcome;
    if (reopened) {
      await tx.task.update({
        where: { id: options.taskId },
        data: { status: "queued", leaseOwner: null, leaseExpiresAt: null, attempts: { decrement: 1 }, ...progress },
      });
      outcome = "retry";
    } else if (options.cancelled) {
      await tx.task.update({
        where: { id: options.taskId },
        data: { status: "cancelled", error, finishedAt: now, leaseOwner: null, leaseExpiresAt: null, ...progress },
      });
      outcome = "cancelled";
    } else if (!options.permanent && task.attempts < task.maxAttempts) {
      const retryAt = new Date(now.getTime() + (options.retryDelayMs ?? 0));
      await tx.task.update({
        where: { id: options.taskId },
        data: { status: "queued", error, leaseOwner: null, leaseExpiresAt: retryAt, ...progress },
      });
      outcome = "retry";
    } else {
      await tx.task.update({
        where: { id: options.taskId },
        data: { status: "failed", error, finishedAt: now, leaseOwner: null, leaseExpiresAt: null, ...progress },
      });
      outcome = "failed";
    }
    const counters = await tx.job.update({
      where: { id: options.jobId },
      data: { ...usageIncrements(options.usage), ...(outcome === "failed" ? { tasksFailed: { increment: 1 } } : {}) },
      select: { tasksDone: true, tasksFailed: true, tasksTotal: true },
    });
    if (outcome === "failed") await finishJobIfDone(tx, options.jobId, now, counters);
    else if (outcome === "cancelled") await finishJobIfDone(tx, options.jobId, now);
    return outcome;
  }, TX);
}

/**
 * Tasks whose worker died on their last allowed attempt (lease expired, no attempts left) are
 * failed here, since no claim will pick them up again. Returns how many were failed.
 */
export async function failExhaustedTasks(db: Db, now = new Date()): Promise<number> {
  const stale = await db.task.findMany({
    where: { status: "running", leaseExpiresAt: { lt: now } },
    select: { id: true, jobId: true, attempts: true, maxAttempts: true },
    take: 100,
  });
  let failed = 0;
  for (const task of stale.filter((t) => t.attempts >= t.maxAttempts)) {
    const done = await db.$transaction(async (tx) => {
      const updated = await tx.task.updateMany({
        where: { id: task.id, status: "running", leaseExpiresAt: { lt: now } },
        data: {
          status: "failed",
          error: `the worker running this task stopped (lease expired) on attempt ${task.attempts} of ${task.maxAttempts}`,
          finishedAt: now,
          leaseOwner: null,
          leaseExpiresAt: null,
        },
      });
      if (updated.count === 0) return false;
      const counters = await tx.job.update({
        where: { id: task.jobId },
        data: { tasksFailed: { increment: 1 } },
        select: { tasksDone: true, tasksFailed: true, tasksTotal: true },
      });
      await finishJobIfDone(tx, task.jobId, now, counters);
      return true;
    }, TX);
    if (done) failed++;
  }
  return failed;
}

/** Saves a running task's progress (best effort; ignored if the task is no longer ours). */
export async function saveTaskProgress(
  db: Db,
  options: { taskId: number; owner: string; progress: Record<string, unknown> },
): Promise<void> {
  await db.task.updateMany({
    where: { id: options.taskId, leaseOwner: options.owner, status: "running" },
    data: { progress: options.progress as Prisma.InputJsonValue },
  });
}

/**
 * Cancels a job: the job is marked cancelled and its queued tasks with it, at once; running tasks
 * notice at their next heartbeat (their AbortSignal fires) and stop.
 */
export async function cancelJob(
  db: Db,
  jobId: number,
  actorId: number | null,
  now = new Date(),
): Promise<{ cancelledTasks: number }> {
  return db.$transaction(async (tx) => {
    const updated = await tx.job.updateMany({
      where: { id: jobId, status: { in: ["queued", "running"] } },
      data: { status: "cancelled", cancelRequestedAt: now, finishedAt: now },
    });
    if (updated.count === 0) {
      const job = await tx.job.findUnique({ where: { id: jobId }, select: { status: true } });
      if (!job) throw new DomainError(`Job ${jobId} does not exist`, "not_found");
      throw new DomainError(`Job ${jobId} is already ${job.status}`, "conflict");
    }
    const tasks = await tx.task.updateMany({
      where: { jobId, status: "queued" },
      data: { status: "cancelled", finishedAt: now, leaseExpiresAt: null, error: "cancelled before it ran" },
    });
    await recordAudit(tx, {
      userId: actorId,
      action: "job.cancel",
      entityType: "job",
      entityId: jobId,
      data: { queuedTasksCancelled: tasks.count },
    });
    return { cancelledTasks: tasks.count };
  }, TX);
}

/**
 * Queues a job's failed (and cancelled) tasks again with fresh attempts, and reopens the job.
 * Their stored LLM answers are reused, so what already succeeded is not paid for again.
 */
export async function retryFailedTasks(db: Db, jobId: number, actorId: number | null): Promise<{ requeued: number }> {
  const result = await db.$transaction(async (tx) => {
    const job = await tx.job.findUnique({ where: { id: jobId }, select: { status: true } });
    if (!job) throw new DomainError(`Job ${jobId} does not exist`, "not_found");
    const fresh = {
      status: "queued",
      attempts: 0,
      error: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      finishedAt: null,
    };
    const failed = await tx.task.updateMany({ where: { jobId, status: "failed" }, data: fresh });
    const cancelled = await tx.task.updateMany({ where: { jobId, status: "cancelled" }, data: fresh });
    const requeued = failed.count + cancelled.count;
    if (requeued === 0) throw new DomainError(`Job ${jobId} has no failed or cancelled tasks to retry`, "conflict");
    await tx.job.update({
      where: { id: jobId },
      data: {
        status: job.status === "running" ? "running" : "queued",
        tasksFailed: { decrement: failed.count },
        error: null,
        finishedAt: null,
        cancelRequestedAt: null,
      },
    });
    await recordAudit(tx, {
      userId: actorId,
      action: "job.retry_failed",
      entityType: "job",
      entityId: jobId,
      data: { failed: failed.count, cancelled: cancelled.count },
    });
    return { requeued };
  }, TX);
  notifyWork();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export type JobSummary = {
  id: number;
  datasetId: number;
  datasetName: string;
  pipeline: Pipeline;
  status: string;
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
    datasetId: job.datasetId,
    datasetName: job.dataset.name,
    pipeline: job.pipeline as Pipeline,
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
  seedId: number;
  seedInstruction: string;
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
      seedInstruction: seed.instruction,
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
