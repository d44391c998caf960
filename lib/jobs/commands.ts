import { EventEmitter } from "node:events";
import { recordAudit } from "../audit.ts";
import type { Db, Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import {
  bumpJobCounters,
  type ClaimedTask,
  claimTaskRows,
  completeOwnedTask,
  insertTasks,
  type JobCounters,
  type NewTask,
  notifyWorkers,
} from "../db/job-sql.ts";
import { DomainError } from "../errors.ts";
import { seedText } from "../evolution/types.ts";
import { type LlmStats, mergeLlmStats } from "./llm-stats.ts";
import { type JobModels, PIPELINE_ROLES, type Pipeline, startJobSchema, type StartJobInput } from "./schemas.ts";
import { VISIBLE_SEED } from "../db/visibility.ts";

/**
 * The job engine's commands: the one write path for Job and Task rows, the same for every kind
 * of job (read-models.ts reads them; handlers.ts says which code runs a task of each kind).
 *
 * Life of a task: queued → (claim) running → succeeded | queued again (a failed attempt with
 * attempts left; `leaseExpiresAt` then holds the earliest retry time) | failed | cancelled.
 * A running task whose lease expired (its worker died) is claimed again: that is "resume".
 * Job counters change only by increments inside the transaction that changes the task, and a job
 * is finished by the transaction that finishes its last task.
 */

export type { ClaimedTask, NewTask };

/**
 * Transactions wait for each other (and, on SQLite, every other query waits for them): allow a
 * long wait to start under load, and keep each one short.
 */
const TX = { maxWait: 30_000, timeout: 60_000 };
const START_CHUNK = 2_000;

export type Usage = {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** The attempt's LLM calls by provider and role, added to Task.llmStats. */
  llm?: LlmStats;
};
export const NO_USAGE: Usage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };

/**
 * Wake-up after work was queued: the in-process event wakes this process's worker at once; on
 * PostgreSQL a NOTIFY wakes the workers of every other process (JobWorker listens).
 */
export const queueEvents = new EventEmitter();
queueEvents.setMaxListeners(100);
function notifyWork(db: Db) {
  queueEvents.emit("work");
  // A lost notification only delays: workers also poll.
  void notifyWorkers(db).catch(() => {});
}

export type StartedJob = { id: number; tasksTotal: number };

/** The kind of job and task that runs the generation pipelines (lib/jobs/runner.ts). */
export const GENERATION = "generation";

/**
 * The kind of a batch-mode generation job's coordinator task (lib/jobs/batch-runner.ts): it
 * gathers the seeds' wanted calls into Batch API batches and wakes each seed's task once its
 * pipeline has every answer it needs.
 */
export const LLM_BATCH = "llm-batch";

/**
 * A parked task: queued, but not claimable until woken (its retry time is set far ahead). A
 * batch-mode job's seed tasks wait like this for their answers.
 */
const PARKED_UNTIL = new Date("2999-01-01T00:00:00Z");
const COORDINATOR_ATTEMPTS = 10;

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

/** What every job records, whatever its kind. */
export type NewJob = {
  kind: string;
  /** The dataset it works on, if any. */
  datasetId?: number | null;
  /** Generation only: ecd | c2s. */
  pipeline?: Pipeline | null;
  /** The kind's parameters; `concurrency` caps its running tasks over all workers (default 4). */
  params: Record<string, unknown>;
  models?: JobModels;
  maxAttempts: number;
  createdById?: number | null;
  /** What the audit event "job.start" records besides the task count. */
  audit?: Record<string, unknown>;
};

/** Creates a job and its tasks inside `tx` (any kind); the caller then calls notifyWork. */
async function createJob(tx: Tx, job: NewJob, tasks: NewTask[], now: Date): Promise<StartedJob> {
  const created = await tx.job.create({
    data: {
      kind: job.kind,
      datasetId: job.datasetId ?? null,
      pipeline: job.pipeline ?? null,
      params: job.params as Prisma.InputJsonValue,
      models: job.models ?? {},
      createdById: job.createdById ?? null,
      tasksTotal: tasks.length,
    },
    select: { id: true, tasksTotal: true },
  });
  await insertTasks(tx, created.id, tasks, { maxAttempts: job.maxAttempts, now });
  await recordAudit(tx, {
    userId: job.createdById ?? null,
    action: "job.start",
    entityType: "job",
    entityId: created.id,
    data: { kind: job.kind, datasetId: job.datasetId ?? null, tasks: tasks.length, ...job.audit },
  });
  return created;
}

/**
 * Starts a job of any kind with the given tasks (each handled by the handler of its kind), in
 * one transaction. Generation jobs start through startJob, which also prepares their seeds.
 */
export async function enqueueJob(db: Db, job: NewJob, tasks: NewTask[]): Promise<StartedJob> {
  if (tasks.length === 0) throw new DomainError("A job needs at least one task", "invalid", "tasks");
  const started = await db.$transaction((tx) => createJob(tx, job, tasks, new Date()), {
    maxWait: TX.maxWait,
    timeout: Math.max(TX.timeout, tasks.length * 2),
  });
  notifyWork(db);
  return started;
}

/**
 * Starts a generation job: one task per seed (the first `limit` seeds), in one transaction.
 * Seeds that have no depth-0 node yet get one (node 0 is shared by every job on the seed).
 */
export async function startJob(
  db: Db,
  input: StartJobInput,
  options: { checkModels?: (models: JobModels) => void } = {},
): Promise<StartedJob> {
  const data = startJobSchema.parse(input);
  const models = requiredModels(data.pipeline, data.models);
  options.checkModels?.(models);
  const dataset = await db.dataset.findFirst({ where: { id: data.datasetId, deletedAt: null }, select: { id: true } });
  if (!dataset) throw new DomainError(`Dataset ${data.datasetId} does not exist`, "not_found", "datasetId");
  const seeds = await db.seed.findMany({
    where: { datasetId: data.datasetId, ...VISIBLE_SEED },
    select: { id: true },
    orderBy: { id: "asc" },
    take: data.limit,
  });
  if (seeds.length === 0)
    throw new DomainError("This dataset has no seeds yet: import some first", "invalid", "datasetId");
  const batchMode = data.params.mode === "batch";
  if (batchMode && data.params.concurrency < 2)
    throw new DomainError(
      "Batch mode needs a concurrency of at least 2 (one task coordinates the batches)",
      "invalid",
      "concurrency",
    );
  const now = new Date();
  // Seeds' missing depth-0 nodes first, a chunk per short transaction (within SQL parameter
  // limits): one transaction over a large dataset held SQLite's write lock long enough for another
  // process's writer to give up (P1008). A node 0 left by a start that then fails is kept: every
  // later job on the seed uses it.
  for (let i = 0; i < seeds.length; i += START_CHUNK) {
    const ids = seeds.slice(i, i + START_CHUNK).map((s) => s.id);
    await db.$transaction(async (tx) => {
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
    }, TX);
  }
  const job = await db.$transaction(
    async (tx) => {
      const created = await createJob(
        tx,
        {
          kind: GENERATION,
          datasetId: data.datasetId,
          pipeline: data.pipeline,
          params: data.params,
          models,
          maxAttempts: data.params.maxAttempts,
          createdById: data.createdById,
          audit: { pipeline: data.pipeline, models, ...(batchMode ? { mode: "batch" } : {}) },
        },
        [
          ...seeds.map((s) => ({ kind: GENERATION, seedId: s.id })),
          // Batch mode: the seeds wait (parked) until the coordinator has their answers.
          ...(batchMode ? [{ kind: LLM_BATCH, payload: {} }] : []),
        ],
        now,
      );
      if (batchMode) {
        await tx.task.updateMany({
          where: { jobId: created.id, kind: GENERATION },
          data: { leaseExpiresAt: PARKED_UNTIL },
        });
        // A coordinator's attempt loses nothing when its worker dies (its batches are recorded): allow more.
        await tx.task.updateMany({
          where: { jobId: created.id, kind: LLM_BATCH },
          data: { maxAttempts: Math.max(COORDINATOR_ATTEMPTS, data.params.maxAttempts) },
        });
      }
      return created;
    },
    { maxWait: TX.maxWait, timeout: Math.max(TX.timeout, seeds.length * 2) },
  );
  notifyWork(db);
  return job;
}

type ClaimOptions = {
  owner: string;
  leaseMs: number;
  now?: Date;
  /** Skip marking the job running (the caller did so recently). */ jobKnownRunning?: (jobId: number) => boolean;
};

/** Claims the oldest claimable task with a lease, in one atomic statement (see lib/db/job-sql.ts). */
export async function claimTask(db: Db, options: ClaimOptions): Promise<ClaimedTask | null> {
  return (await claimTasks(db, { ...options, limit: 1 }))[0] ?? null;
}

/**
 * Claims up to `limit` tasks (a worker's free slots), oldest jobs first, in one transaction
 * (claimTaskRows), and marks their jobs running.
 */
export async function claimTasks(db: Db, options: ClaimOptions & { limit: number }): Promise<ClaimedTask[]> {
  const now = options.now ?? new Date();
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const tasks = await claimTaskRows(db, { owner: options.owner, now, leaseUntil, limit: options.limit });
  for (const jobId of new Set(tasks.map((t) => t.jobId))) {
    if (options.jobKnownRunning?.(jobId)) continue;
    await db.job.updateMany({
      where: { id: jobId, status: "queued" },
      data: { status: "running", startedAt: now },
    });
  }
  return tasks;
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
    await addLlmStats(tx, options.taskId, options.usage);
    await tx.job.update({ where: { id: options.jobId }, data: usageIncrements(options.usage) });
    return true;
  }, TX);
}

/**
 * Parks a claimed task (batch mode: its pipeline waits for answers from a batch): queued again,
 * the attempt not counted, claimable only once woken (wakeTasks).
 */
export async function parkTask(db: Db, options: { taskId: number; owner: string }): Promise<boolean> {
  const parked = await db.task.updateMany({
    where: { id: options.taskId, leaseOwner: options.owner, status: "running" },
    data: { status: "queued", leaseOwner: null, leaseExpiresAt: PARKED_UNTIL, attempts: { decrement: 1 } },
  });
  return parked.count > 0;
}

/** Makes a job's waiting (queued) tasks claimable now, and wakes the workers. */
export async function wakeTasks(db: Db, jobId: number, taskIds: number[]): Promise<number> {
  if (taskIds.length === 0) return 0;
  const woken = await db.task.updateMany({
    where: { jobId, id: { in: taskIds }, status: "queued" },
    data: { leaseExpiresAt: new Date() },
  });
  notifyWork(db);
  return woken.count;
}

/** A job's tasks of `kind` that are queued (waiting or parked) or running, by status. */
export async function openTasks(
  db: Db,
  jobId: number,
  kind: string,
): Promise<{ queued: { id: number; seedId: number | null }[]; running: number }> {
  const [queued, running] = await Promise.all([
    db.task.findMany({
      where: { jobId, kind, status: "queued" },
      select: { id: true, seedId: true },
      orderBy: { id: "asc" },
    }),
    db.task.count({ where: { jobId, kind, status: "running" } }),
  ]);
  return { queued, running };
}

/** Fails queued (waiting) tasks for good with `error`, counted on the job (batch mode: a request that kept failing). */
export async function failWaitingTasks(db: Db, jobId: number, taskIds: number[], error: string): Promise<number> {
  if (taskIds.length === 0) return 0;
  const now = new Date();
  return db.$transaction(async (tx) => {
    const failed = await tx.task.updateMany({
      where: { jobId, id: { in: taskIds }, status: "queued" },
      data: { status: "failed", error: error.slice(0, 4000), finishedAt: now, leaseOwner: null, leaseExpiresAt: null },
    });
    if (failed.count === 0) return 0;
    const counters = await tx.job.update({
      where: { id: jobId },
      data: { tasksFailed: { increment: failed.count } },
      select: { tasksDone: true, tasksFailed: true, tasksTotal: true },
    });
    await finishJobIfDone(tx, jobId, now, counters);
    return failed.count;
  }, TX);
}

/**
 * Counts the usage of answers that arrived in a batch on the job and on the coordinating task
 * (inside the transaction that marks the batch stored, so it is counted exactly once).
 */
export async function addBatchUsage(tx: Tx, options: { jobId: number; taskId: number; usage: Usage }): Promise<void> {
  await tx.task.update({ where: { id: options.taskId }, data: usageIncrements(options.usage) });
  await addLlmStats(tx, options.taskId, options.usage);
  await tx.job.update({ where: { id: options.jobId }, data: usageIncrements(options.usage) });
}

/** Adds an attempt's LLM stats to its task's (the caller owns the task: nobody else writes the row). */
async function addLlmStats(tx: Tx, taskId: number, usage: Usage): Promise<void> {
  if (!usage.llm || Object.keys(usage.llm).length === 0) return;
  const task = await tx.task.findUniqueOrThrow({ where: { id: taskId }, select: { llmStats: true } });
  const merged = mergeLlmStats(task.llmStats as LlmStats | null, usage.llm);
  await tx.task.update({ where: { id: taskId }, data: { llmStats: merged as unknown as Prisma.InputJsonValue } });
}

function usageIncrements(usage: Usage) {
  return {
    promptTokens: { increment: usage.promptTokens },
    completionTokens: { increment: usage.completionTokens },
    costUsd: { increment: usage.costUsd },
  };
}

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

/** A finished task to complete: `write` stores its results in the completing transaction. */
export type Completion = {
  taskId: number;
  jobId: number;
  owner: string;
  usage: Usage;
  progress?: Record<string, unknown>;
  write: (tx: Tx) => Promise<void>;
};

/**
 * Finishes a task: `write` stores its results, in the same transaction that marks the task
 * succeeded and counts it on the job. The first statement is the ownership check (a write, so
 * SQLite takes its write lock before anything is read); if this worker no longer owns the task
 * (its lease expired and another worker took it), nothing is written and false is returned.
 */
export async function completeTask(
  db: Db,
  options: Omit<Completion, "write"> & { now?: Date },
  write: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  const [completed] = await completeTasks(db, [{ ...options, write }], options.now);
  return completed;
}

/**
 * Finishes several tasks in ONE transaction (group commit: the worker completes the tasks that
 * finished while its previous commit ran together), each as completeTask does: its own ownership
 * check, then its `write`; a task this worker no longer owns writes nothing (false). The job
 * counters take one increment per job. All or nothing: if any statement fails, no task of the
 * group is completed (the caller completes them one by one instead: lib/jobs/group-commit.ts).
 */
export async function completeTasks(db: Db, items: readonly Completion[], now = new Date()): Promise<boolean[]> {
  if (items.length === 0) return [];
  return db.$transaction(async (tx) => {
    const completed: boolean[] = items.map(() => false);
    // Per job: tasks done and their usage. In job order: the same lock order in every worker (PostgreSQL).
    const byJob = new Map<number, { done: number; usage: Usage }>();
    const order = items.map((_, i) => i).sort((a, b) => items[a].jobId - items[b].jobId);
    for (const i of order) {
      const item = items[i];
      const complete = { taskId: item.taskId, owner: item.owner, now, usage: item.usage, progress: item.progress };
      const stats = item.usage.llm && Object.keys(item.usage.llm).length ? item.usage.llm : undefined;
      // Usually the task's first stats: stored by the completing statement itself. Else merged.
      let owned = true;
      if (!stats || !(await completeOwnedTask(tx, { ...complete, firstLlmStats: stats }))) {
        owned = await completeOwnedTask(tx, complete);
        if (owned) await addLlmStats(tx, item.taskId, item.usage);
      }
      completed[i] = owned;
      if (!owned) continue;
      await item.write(tx);
      const job = byJob.get(item.jobId);
      if (!job) byJob.set(item.jobId, { done: 1, usage: { ...item.usage } });
      else {
        job.done++;
        job.usage.promptTokens += item.usage.promptTokens;
        job.usage.completionTokens += item.usage.completionTokens;
        job.usage.costUsd += item.usage.costUsd;
      }
    }
    for (const [jobId, job] of [...byJob].sort((a, b) => a[0] - b[0])) {
      const counters = await bumpJobCounters(tx, { jobId, done: job.done, usage: job.usage });
      await finishJobIfDone(tx, jobId, now, counters);
    }
    return completed;
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
    await addLlmStats(tx, options.taskId, options.usage);
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
    // Batch mode: the requeued seeds need their coordinator again.
    const coordinator =
      requeued > 0
        ? await tx.task.updateMany({ where: { jobId, kind: LLM_BATCH, status: "succeeded" }, data: fresh })
        : { count: 0 };
    if (requeued === 0) throw new DomainError(`Job ${jobId} has no failed or cancelled tasks to retry`, "conflict");
    await tx.job.update({
      where: { id: jobId },
      data: {
        status: job.status === "running" ? "running" : "queued",
        tasksFailed: { decrement: failed.count },
        tasksDone: { decrement: coordinator.count },
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
  notifyWork(db);
  return result;
}
