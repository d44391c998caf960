import type { Db } from "../db/client.ts";
import { type Completion, completeTasks } from "./commands.ts";

/**
 * Group commit of finished tasks (one worker's): a task that finishes while the previous commit
 * runs waits for it, and then every task waiting is completed in one transaction
 * (completeTasks). No timer: a lone task is committed in the next turn of the event loop, so
 * nothing waits longer than it would have waited for the database anyway; under load the
 * transactions (BEGIN, COMMIT, the job counters, on SQLite the WAL pages they share) are paid
 * once per group instead of once per task.
 *
 * Each task keeps its own guarantees: its ownership check and its writes are in the transaction
 * that completes it, and it is completed at most once. If the group's transaction fails (one
 * task's write failed, or the database refused), nothing of it was stored, and each task of the
 * group is then completed in a transaction of its own, so one task's failure is its own.
 */
export class GroupCommit {
  readonly #db: Db;
  readonly #maxGroup: number;
  #waiting: { item: Completion; resolve: (done: boolean) => void; reject: (error: unknown) => void }[] = [];
  #running = false;

  constructor(db: Db, options: { maxGroup?: number } = {}) {
    this.#db = db;
    this.#maxGroup = options.maxGroup ?? 64;
  }

  /** Completes `item` (true) or finds it no longer this worker's (false), in a group's transaction. */
  complete(item: Completion): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#waiting.length) {
      const group = this.#waiting.splice(0, this.#maxGroup);
      try {
        const done = await completeTasks(
          this.#db,
          group.map((g) => g.item),
        );
        group.forEach((g, i) => g.resolve(done[i]));
      } catch (error) {
        if (group.length === 1) group[0].reject(error);
        else for (const g of group) await completeTasks(this.#db, [g.item]).then(([done]) => g.resolve(done), g.reject);
      }
    }
    this.#running = false;
  }
}
