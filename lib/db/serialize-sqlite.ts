import {
  isDriverAdapterError,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { onTransactionEnd } from "./sqlite-connection.ts";

/**
 * One better-sqlite3 connection serves the whole process, and the adapter only keeps
 * transactions from overlapping each other: a query issued elsewhere while an interactive
 * transaction awaits would run INSIDE that transaction, and vanish if it rolls back. This wrapper
 * makes every query outside a transaction wait until the open transaction ends, so concurrent
 * requests see SQLite's usual one-writer-at-a-time behaviour and never join someone else's
 * transaction. (A query on the root client from inside a transaction callback now waits for that
 * transaction; Prisma's transaction timeout ends such a mistake with an error instead of a hang.)
 *
 * It is also where the process waits for OTHER processes' write locks (the web server, its worker
 * child, `ecd worker` and a CLI import share one file). The connection runs with no busy timeout
 * (sqlite-begin.ts), so a statement or BEGIN IMMEDIATE that meets another process's lock fails at
 * once with SQLITE_BUSY instead of waiting inside better-sqlite3, which would stall the event loop.
 * Here the attempt gives the connection back, sleeps on a timer (1 ms, doubling to 20 ms) and tries
 * again, until `busyTimeoutMs` has passed; then the last SQLITE_BUSY error (Prisma's timeout error)
 * goes to the caller. Giving the connection back between attempts lets this process's reads run
 * while one of its transactions waits for the lock (under WAL a read needs no lock). Retrying is
 * safe: a single statement outside a transaction that fails with SQLITE_BUSY changed nothing, and a
 * failed BEGIN IMMEDIATE began nothing.
 */
export function serializeTransactions(
  factory: SqlDriverAdapterFactory,
  busyTimeoutMs: number,
): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      return serializedAdapter(await factory.connect(), busyTimeoutMs);
    },
  };
}

class AsyncLock {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves when the lock is ours; call the returned function to release it. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}

/** Another process holds the lock this attempt needed (the adapter maps SQLITE_BUSY* to SocketTimeout). */
function isBusy(error: unknown): boolean {
  if (!isDriverAdapterError(error)) return false;
  const cause = error.cause as { kind: string; originalCode?: string };
  return cause.kind === "SocketTimeout" && (cause.originalCode?.startsWith("SQLITE_BUSY") ?? false);
}

function serializedAdapter(inner: SqlDriverAdapter, busyTimeoutMs: number): SqlDriverAdapter {
  const lock = new AsyncLock();

  /**
   * Runs `attempt` holding the connection, again after a pause while another process holds the
   * lock it needs. `keep` says whether a successful attempt keeps the connection (an open
   * transaction releases it when it ends).
   */
  async function withLock<T>(attempt: (release: () => void) => Promise<T>, keep = false): Promise<T> {
    const deadline = Date.now() + busyTimeoutMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
      const release = await lock.acquire();
      try {
        const result = await attempt(release);
        if (!keep) release();
        return result;
      } catch (error) {
        release();
        if (!isBusy(error) || Date.now() >= deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => withLock(() => inner.queryRaw(query)),
    executeRaw: (query) => withLock(() => inner.executeRaw(query)),
    // A script is not retried (its first statements may have committed); sqlite-begin.ts runs it
    // with the busy timeout, as a migration step that may wait.
    executeScript: async (script) => {
      const release = await lock.acquire();
      try {
        return await inner.executeScript(script);
      } finally {
        release();
      }
    },
    getConnectionInfo: inner.getConnectionInfo?.bind(inner),
    dispose: () => inner.dispose(),
    startTransaction: (isolationLevel) =>
      withLock(async (release) => onTransactionEnd(await inner.startTransaction(isolationLevel), release), true),
  };
}
