/**
 * lib/jobs — the one job engine for every background run: commands (commands.ts: start, claim,
 * lease, retry, cancel, progress) and read models (read-models.ts) over Job and Task rows, the
 * task handlers by kind (handlers.ts), the worker loop (worker.ts), the generation handler that
 * connects lib/evolution to the database (runner.ts), and the demo (demo.ts).
 */
import { DECONTAM_RECHECK, recheckHandler } from "../decontam/sets.ts";
import type { Db } from "../db/client.ts";
import { createEvaluationHandler, EVALUATION } from "../eval/handler.ts";
import { GENERATION, LLM_BATCH } from "./commands.ts";
import { type BatchRunnerOptions, createBatchCoordinator } from "./batch-runner.ts";
import { ESTIMATE } from "./estimate.ts";
import { EXPORT_JOB } from "../io/export/background.ts";
import { exportHandler } from "./export.ts";
import { REJUDGE } from "../review/rejudge.ts";
import { DATASET_DELETE, datasetDeleteHandler } from "../datasets/delete.ts";
import { resettleHandler } from "../datasets/resettle-job.ts";
import { RESETTLE } from "../review/resettle.ts";
import type { TaskHandlers } from "./handlers.ts";
import { createRejudgeHandler } from "./rejudge.ts";
import { REVIEW_STATS } from "../review/stats.ts";
import { createReviewStatsHandler } from "./review-stats.ts";
import { createGenerationHandler, isPermanentTaskError, type RunnerOptions } from "./runner.ts";
import { JobWorker, type WorkerOptions } from "./worker.ts";
import { startWorkerChild, type StartWorkerChildOptions, type WorkerChild } from "./worker-child.ts";

export * from "./commands.ts";
export * from "./read-models.ts";
export { explainJob, type DropReasonCount, type JobExplanation } from "./explain.ts";
export type { LlmCounters, LlmRoleStats } from "./llm-stats.ts";
export * from "./schemas.ts";
export { jobThroughput, throughputSeries, type ThroughputPoint } from "./throughput.ts";
export {
  ESTIMATE,
  estimateFromTasks,
  getEstimate,
  startEstimate,
  type JobEstimate,
  type Projected,
} from "./estimate.ts";
export { dispatchByKind, type TaskHandler, type TaskHandlers } from "./handlers.ts";
export { createRejudgeHandler } from "./rejudge.ts";
export { createBatchCoordinator, MAX_BATCH_TRIES, type BatchRunnerOptions } from "./batch-runner.ts";
export { createGenerationHandler, isPermanentTaskError, writeResult, runKeyOf, type RunnerOptions } from "./runner.ts";
export { JobWorker, PermanentTaskError, type TaskEvent, type WorkerOptions } from "./worker.ts";

/**
 * A worker running every registered kind: generation with the real pipelines and the re-check of
 * edited pairs' free-form verdicts (providers from the environment unless `runner` says
 * otherwise), plus any `handlers` given (they win on a clash).
 */
export function createWorker(
  db: Db,
  options: Partial<WorkerOptions> & { runner?: RunnerOptions & BatchRunnerOptions } = {},
): JobWorker {
  const { runner, handlers, ...rest } = options;
  const all: TaskHandlers = {
    [GENERATION]: createGenerationHandler(runner),
    [ESTIMATE]: createGenerationHandler(runner, { dryRun: true }),
    [LLM_BATCH]: createBatchCoordinator(runner),
    [REJUDGE]: createRejudgeHandler(runner),
    [EVALUATION]: createEvaluationHandler(runner),
    [RESETTLE]: resettleHandler,
    [DATASET_DELETE]: datasetDeleteHandler,
    [REVIEW_STATS]: createReviewStatsHandler(),
    [DECONTAM_RECHECK]: recheckHandler,
    [EXPORT_JOB]: exportHandler,
    ...handlers,
  };
  return new JobWorker(db, { isPermanent: isPermanentTaskError, ...rest, handlers: all });
}

const globalForWorker = globalThis as unknown as { ecdWorkerChild?: WorkerChild };

/**
 * The server's worker (started once from lib/server/startup.ts): an `ecd worker` child process
 * (lib/jobs/worker-child.ts), so jobs never run on the web server's event loop. ECD_WORKER=off
 * disables it, for deployments where only separate `ecd worker` processes run tasks.
 */
export function startServerWorker(options: StartWorkerChildOptions = {}): WorkerChild | null {
  if (process.env.ECD_WORKER === "off") return null;
  if (globalForWorker.ecdWorkerChild) return globalForWorker.ecdWorkerChild;
  const child = startWorkerChild(options);
  globalForWorker.ecdWorkerChild = child;
  drainOnShutdown(child);
  return child;
}

/**
 * SIGTERM/SIGINT to the server (`npm start`): the worker child stops claiming, the calls in flight
 * finish and are stored, its tasks are released (as `ecd worker` does). Next.js's own handler
 * exits the process once its HTTP server has closed; that exit waits for the child.
 */
function drainOnShutdown(child: WorkerChild): void {
  let stopped: Promise<void> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopped) return;
    console.log(`[ecd] ${signal}: stopping the generation worker (calls in flight finish and are stored)`);
    stopped = child
      .stop()
      .then(() => console.log("[ecd] generation worker stopped; its tasks are released"))
      .catch((error) => console.error("[ecd] the generation worker did not stop cleanly:", error));
    // Without another handler (NEXT_MANUAL_SIG_HANDLE, or not under Next.js) nobody else exits.
    if (process.listenerCount(signal) === 0) void stopped.finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    const exit = process.exit.bind(process);
    process.exit = ((code?: number) => {
      void stopped!.finally(() => exit(code));
    }) as typeof process.exit;
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}

/**
 * Server start (lib/server/startup.ts): the demo on a fresh installation (see demo.ts), then the
 * in-process worker. A demo that cannot be made is logged, never fatal.
 */
export async function startGeneration(db: Db, options: { adminEmail?: string | null } = {}): Promise<void> {
  const { ensureDemo } = await import("./demo.ts");
  try {
    const admin = options.adminEmail
      ? await db.user.findUnique({ where: { email: options.adminEmail }, select: { id: true } })
      : null;
    const demo = await ensureDemo(db, { actorId: admin?.id ?? null });
    if (demo)
      console.log(
        `[ecd] created the "Demo" dataset (${demo.seeds} seeds) and started jobs ${demo.jobIds.join(" and ")} with the rule-based provider`,
      );
  } catch (error) {
    console.error("[ecd] could not create the demo dataset:", error);
  }
  const child = startServerWorker();
  if (child)
    console.log(
      `[ecd] generation worker running in a child process (pid ${child.pid}; ECD_WORKER=off to use separate \`ecd worker\` processes only)`,
    );
}
