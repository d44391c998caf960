import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db, Tx } from "../db/client.ts";
import { listenForWork } from "../db/job-sql.ts";
import {
  type ClaimedTask,
  claimTasks,
  failExhaustedTasks,
  failTaskAttempt,
  heartbeatTasks,
  queueEvents,
  releaseTask,
  type Usage,
} from "./commands.ts";
import { removeAbandonedExportFolders } from "./export-folders.ts";
import { GroupCommit } from "./group-commit.ts";
import { dispatchByKind, type TaskHandlers } from "./handlers.ts";
import { sweepAbandonedImports } from "../io/import-lease.ts";
import { giveBackIdleProviderSlots } from "../llm/provider-slots.ts";

/**
 * The worker loop: up to `slots` tasks at once in this process (each job's own `concurrency`
 * param caps its tasks over all workers, in the claim statement), polling with backoff when there
 * is nothing to claim, one heartbeat timer extending every lease it holds, and a graceful stop.
 * It runs in the server process (lib/server/startup.ts) and as `ecd worker`.
 */

/** What executing one task needs besides the task: cancellation, and a usage meter to add to. */
export interface TaskContext {
  owner: string;
  /** Aborted when the task must stop now (cancelled, lease lost, stop deadline passed): calls in flight are cut. */
  signal: AbortSignal;
  /**
   * Aborted when the worker is stopping gracefully: start no new call (throw `draining.reason`),
   * but let the calls in flight finish so their answers are stored and never paid for again.
   */
  draining: AbortSignal;
  /** Tokens and cost of the calls actually paid for (not answered from the LlmCall cache). */
  usage: Usage;
}

/** A finished pipeline run: its results are written by `write`, in the task's completing transaction. */
export interface TaskRun {
  progress?: Record<string, unknown>;
  write(tx: Tx): Promise<void>;
}

/** Thrown (or used as abort reason) for failures retrying cannot fix. */
export class PermanentTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentTaskError";
  }
}

/**
 * Thrown by a handler that parked its task (batch mode, lib/jobs/commands.ts parkTask): the task
 * is already queued again, waiting to be woken; there is nothing to record.
 */
export class TaskParked extends Error {
  constructor() {
    super("parked until its answers arrive in a batch");
    this.name = "TaskParked";
  }
}

export class TaskAbort extends Error {
  constructor(readonly why: "cancelled" | "lost" | "stopping") {
    super(
      why === "cancelled"
        ? "the job was cancelled"
        : why === "lost"
          ? "lease lost to another worker"
          : "the worker is stopping",
    );
    this.name = "TaskAbort";
  }
}

export type TaskEvent = {
  task: ClaimedTask;
  outcome: "succeeded" | "retry" | "failed" | "cancelled" | "lost" | "released";
  error?: string;
  ms: number;
};

export interface WorkerOptions {
  /** Lease owner name; unique per worker. */
  id?: string;
  /** Tasks this process runs at once (default ECD_WORKER_SLOTS or 32). */
  slots?: number;
  /** Lease length (default ECD_LEASE_MS or 30 s); a worker that stops heartbeating loses its tasks after it. */
  leaseMs?: number;
  /** Heartbeat period (default a quarter of the lease). */
  heartbeatMs?: number;
  /** First and longest idle poll interval (default 250 ms and 3 s). */
  pollMs?: number;
  maxPollMs?: number;
  /** Delay before a failed attempt is retried, doubled per attempt (default ECD_RETRY_DELAY_MS or 2 s; at most 60 s). */
  retryDelayMs?: number;
  /** Permanent-error test: errors it accepts fail the task without retrying. */
  isPermanent?: (error: unknown) => boolean;
  /** The handler of each task kind this worker runs (handlers.ts); a task of another kind fails. */
  handlers: TaskHandlers;
  log?: (message: string) => void;
  onTaskEnd?: (event: TaskEvent) => void;
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  return value;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

type Running = { task: ClaimedTask; controller: AbortController; drain: AbortController; promise: Promise<void> };

export class JobWorker {
  readonly id: string;
  readonly slots: number;
  readonly leaseMs: number;
  readonly #db: Db;
  readonly #options: WorkerOptions;
  readonly #heartbeatMs: number;
  readonly #pollMs: number;
  readonly #maxPollMs: number;
  readonly #retryDelayMs: number;
  readonly #running = new Map<number, Running>();
  readonly #handle: ReturnType<typeof dispatchByKind>;
  /** Finished tasks are completed in groups (one transaction for those that finished meanwhile). */
  readonly #completions: GroupCommit;
  #loop: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;
  #heartbeatTimer: NodeJS.Timeout | null = null;
  #lastSweep = 0;
  readonly #marked = new Map<number, number>();
  readonly #onWork = () => this.#wakeUp();
  /** PostgreSQL: the LISTEN connection that wakes this worker when another process queues work. */
  #listening: Promise<(() => Promise<void>) | null> | null = null;

  constructor(db: Db, options: WorkerOptions) {
    this.#db = db;
    this.#options = options;
    this.#handle = dispatchByKind(options.handlers);
    this.#completions = new GroupCommit(db);
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.slots = options.slots ?? envInt("ECD_WORKER_SLOTS", 32);
    this.leaseMs = options.leaseMs ?? envInt("ECD_LEASE_MS", 30_000);
    this.#heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(this.leaseMs / 4));
    this.#pollMs = options.pollMs ?? 250;
    this.#maxPollMs = options.maxPollMs ?? 3_000;
    this.#retryDelayMs = options.retryDelayMs ?? envInt("ECD_RETRY_DELAY_MS", 2_000);
  }

  get active(): number {
    return this.#running.size;
  }

  get started(): boolean {
    return this.#loop !== null;
  }

  start(): this {
    if (this.#loop) return this;
    this.#stopping = false;
    queueEvents.on("work", this.#onWork);
    this.#listening = listenForWork(this.#onWork, {
      onError: (error) => this.#log(`[worker ${this.id}] wake-up connection: ${describeError(error)}`),
    }).catch((error) => {
      this.#log(`[worker ${this.id}] cannot LISTEN for work (polling instead): ${describeError(error)}`);
      return null;
    });
    this.#heartbeatTimer = setInterval(() => void this.#heartbeat(), this.#heartbeatMs);
    this.#heartbeatTimer.unref?.();
    this.#loop = this.#run();
    return this;
  }

  /**
   * Stops claiming, waits up to `graceMs` for running tasks to finish, then aborts the rest and
   * gives them back to the queue (their attempt is not counted).
   */
  /**
   * Stops claiming; waits up to `graceMs` for running tasks to finish; then drains the rest (no
   * new LLM call, calls in flight finish and are stored, tasks released) for up to `drainMs`
   * (default 150 s, above a call's timeout); only then are calls still in flight cut.
   */
  async stop(options: { graceMs?: number; drainMs?: number } = {}): Promise<void> {
    if (!this.#loop) return;
    this.#stopping = true;
    this.#wakeUp();
    await this.#loop;
    const pending = [...this.#running.values()].map((r) => r.promise);
    if (pending.length) {
      const timeout = new Promise<"timeout">((resolve) =>
        setTimeout(() => resolve("timeout"), options.graceMs ?? 10_000).unref?.(),
      );
      const result = await Promise.race([Promise.all(pending).then(() => "done" as const), timeout]);
      if (result === "timeout") {
        // Drain: no new calls; the calls in flight finish and are stored, then each task is released.
        for (const r of this.#running.values()) r.drain.abort(new TaskAbort("stopping"));
        const drained = new Promise<"timeout">((resolve) =>
          setTimeout(() => resolve("timeout"), options.drainMs ?? 150_000).unref?.(),
        );
        const still = [...this.#running.values()].map((r) => r.promise);
        if ((await Promise.race([Promise.all(still).then(() => "done" as const), drained])) === "timeout") {
          for (const r of this.#running.values()) r.controller.abort(new TaskAbort("stopping"));
          await Promise.all([...this.#running.values()].map((r) => r.promise));
        }
      }
    }
    if (this.#heartbeatTimer) clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
    await giveBackIdleProviderSlots(this.#db);
    queueEvents.off("work", this.#onWork);
    const unlisten = await this.#listening;
    this.#listening = null;
    await unlisten?.();
    this.#loop = null;
  }

  /** True when this worker marked the job running in the last few seconds (saves a write per claim). */
  #markedRunning(jobId: number): boolean {
    const now = Date.now();
    const last = this.#marked.get(jobId);
    if (last !== undefined && now - last < 5_000) return true;
    if (this.#marked.size > 1000) this.#marked.clear();
    this.#marked.set(jobId, now);
    return false;
  }

  #log(message: string) {
    this.#options.log?.(message);
  }

  #wakeUp() {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async #run(): Promise<void> {
    let delay = this.#pollMs;
    while (!this.#stopping) {
      if (this.#running.size >= this.slots) {
        await this.#sleep(this.#maxPollMs);
        continue;
      }
      let tasks: ClaimedTask[] = [];
      try {
        // Every free slot at once (one transaction): after a group commit several are free.
        tasks = await claimTasks(this.#db, {
          owner: this.id,
          leaseMs: this.leaseMs,
          limit: this.slots - this.#running.size,
          jobKnownRunning: (jobId) => this.#markedRunning(jobId),
        });
      } catch (error) {
        this.#log(`[worker ${this.id}] claim failed: ${describeError(error)}`);
      }
      if (tasks.length) {
        for (const task of tasks) this.#launch(task);
        delay = this.#pollMs;
        continue;
      }
      await this.#sweep();
      if (this.#stopping) break;
      await this.#sleep(delay);
      delay = Math.min(delay * 2, this.#maxPollMs);
    }
  }

  /**
   * Fails tasks whose worker died on their last attempt, and removes abandoned imports' rows and
   * failed background exports' folders (at most once per lease period).
   */
  async #sweep() {
    const now = Date.now();
    if (now - this.#lastSweep < Math.min(this.leaseMs, 30_000)) return;
    this.#lastSweep = now;
    try {
      const failed = await failExhaustedTasks(this.#db);
      if (failed) this.#log(`[worker ${this.id}] failed ${failed} task(s) whose worker stopped on their last attempt`);
      // Imports whose process died (lease ran out) or failed: their invisible rows are removed here too.
      const removed = await sweepAbandonedImports(this.#db);
      if (removed) this.#log(`[worker ${this.id}] removed ${removed} seed(s) of abandoned imports`);
      const folders = await removeAbandonedExportFolders(this.#db);
      if (folders) this.#log(`[worker ${this.id}] removed ${folders} folder(s) of failed background exports`);
    } catch (error) {
      this.#log(`[worker ${this.id}] sweep failed: ${describeError(error)}`);
    }
  }

  async #heartbeat() {
    if (this.#running.size === 0) return;
    try {
      const result = await heartbeatTasks(this.#db, {
        owner: this.id,
        taskIds: [...this.#running.keys()],
        leaseMs: this.leaseMs,
      });
      for (const id of result.lost) this.#running.get(id)?.controller.abort(new TaskAbort("lost"));
      for (const id of result.cancelled) this.#running.get(id)?.controller.abort(new TaskAbort("cancelled"));
    } catch (error) {
      this.#log(`[worker ${this.id}] heartbeat failed: ${describeError(error)}`);
    }
  }

  #launch(task: ClaimedTask) {
    const controller = new AbortController();
    const drain = new AbortController();
    const entry: Running = { task, controller, drain, promise: Promise.resolve() };
    this.#running.set(task.id, entry);
    entry.promise = this.#execute(task, controller, drain.signal).finally(() => {
      this.#running.delete(task.id);
      this.#wakeUp();
    });
  }

  async #execute(task: ClaimedTask, controller: AbortController, draining: AbortSignal): Promise<void> {
    const started = Date.now();
    const usage: Usage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
    const context: TaskContext = { owner: this.id, signal: controller.signal, draining, usage };
    const base = { taskId: task.id, jobId: task.jobId, owner: this.id };
    const end = (outcome: TaskEvent["outcome"], error?: string) =>
      this.#options.onTaskEnd?.({ task, outcome, error, ms: Date.now() - started });
    let run: TaskRun | undefined;
    let failure: unknown;
    try {
      run = await this.#handle(this.#db, task, context);
    } catch (error) {
      failure = error;
    }
    if (failure instanceof TaskParked) return end("released");
    try {
      if (run) {
        const completed = await this.#completions.complete({
          ...base,
          usage,
          progress: run.progress,
          write: run.write,
        });
        end(completed ? "succeeded" : "lost");
        return;
      }
      const reason = controller.signal.aborted
        ? controller.signal.reason
        : draining.aborted && failure instanceof TaskAbort && failure.why === "stopping"
          ? failure
          : undefined;
      if (reason instanceof TaskAbort && reason.why === "lost") return end("lost");
      if (reason instanceof TaskAbort && reason.why === "stopping") {
        await releaseTask(this.#db, { ...base, usage });
        return end("released");
      }
      const cancelled = reason instanceof TaskAbort && reason.why === "cancelled";
      const message = cancelled ? "cancelled while running" : describeError(failure);
      const permanent = failure instanceof PermanentTaskError || (this.#options.isPermanent?.(failure) ?? false);
      const retryDelayMs = Math.min(60_000, this.#retryDelayMs * 2 ** Math.max(0, task.attempts - 1));
      const outcome = await failTaskAttempt(this.#db, {
        ...base,
        usage,
        error: message,
        permanent,
        cancelled,
        retryDelayMs,
      });
      if (outcome !== "cancelled" && outcome !== "lost")
        this.#log(`[worker ${this.id}] task ${task.id} (job ${task.jobId}) attempt ${task.attempts}: ${message}`);
      end(outcome, message);
    } catch (error) {
      // The bookkeeping itself failed (database gone?): the lease will expire and the task resumes elsewhere.
      this.#log(`[worker ${this.id}] could not record task ${task.id}: ${describeError(error)}`);
      end("lost", describeError(error));
    }
  }
}
