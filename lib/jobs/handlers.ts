import type { Db } from "../db/client.ts";
import type { ClaimedTask } from "./commands.ts";
import { PermanentTaskError, type TaskContext, type TaskRun } from "./worker.ts";

/**
 * The registry of task handlers by kind: the one job engine (claims, leases, retries, cancel,
 * progress: commands.ts and worker.ts) runs every kind of background work, and a task's `kind`
 * picks the code that does it. Generation (runner.ts) is registered by createWorker; evaluation
 * runs, large exports and dataset deletions register theirs the same way.
 *
 * A handler does the work and returns a TaskRun whose `write` stores the results in the task's
 * completing transaction; it throws to fail the attempt (PermanentTaskError: no retry), and
 * should watch `context.signal` (cancel, lease lost, worker stopping).
 */
export type TaskHandler = (db: Db, task: ClaimedTask, context: TaskContext) => Promise<TaskRun>;

export type TaskHandlers = Readonly<Record<string, TaskHandler>>;

/** Runs a claimed task with the handler of its kind; a kind nobody handles fails the task at once. */
export function dispatchByKind(handlers: TaskHandlers): TaskHandler {
  return (db, task, context) => {
    const handler = Object.hasOwn(handlers, task.kind) ? handlers[task.kind] : undefined;
    if (!handler) throw new PermanentTaskError(`no handler for tasks of kind "${task.kind}"`);
    return handler(db, task, context);
  };
}
