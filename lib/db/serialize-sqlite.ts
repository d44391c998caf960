import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

/**
 * One better-sqlite3 connection serves the whole process, and the adapter only keeps
 * transactions from overlapping each other: a query issued elsewhere while an interactive
 * transaction awaits would run INSIDE that transaction, and vanish if it rolls back. This wrapper
 * makes every query outside a transaction wait until the open transaction ends, so concurrent
 * requests see SQLite's usual one-writer-at-a-time behaviour and never join someone else's
 * transaction. (A query on the root client from inside a transaction callback now waits for that
 * transaction; Prisma's transaction timeout ends such a mistake with an error instead of a hang.)
 */
export function serializeTransactions(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      return serializedAdapter(await factory.connect());
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

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

function serializedAdapter(inner: SqlDriverAdapter): SqlDriverAdapter {
  const lock = new AsyncLock();
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => lock.run(() => inner.queryRaw(query)),
    executeRaw: (query) => lock.run(() => inner.executeRaw(query)),
    executeScript: (script) => lock.run(() => inner.executeScript(script)),
    getConnectionInfo: inner.getConnectionInfo?.bind(inner),
    dispose: () => inner.dispose(),
    async startTransaction(isolationLevel) {
      const release = await lock.acquire();
      try {
        return releasingOnEnd(await inner.startTransaction(isolationLevel), release);
      } catch (error) {
        release();
        throw error;
      }
    },
  };
}

function releasingOnEnd(tx: Transaction, release: () => void): Transaction {
  let released = false;
  const end = () => {
    if (!released) {
      released = true;
      release();
    }
  };
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property === "commit" || property === "rollback") {
        return async () => {
          try {
            await target[property]();
          } finally {
            end();
          }
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
