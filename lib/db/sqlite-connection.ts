import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import type BetterSqlite3 from "better-sqlite3";

/**
 * Wraps a better-sqlite3 adapter factory so each adapter it connects uses `wrap(connection, adapter)`
 * in place of its connection (`wrap` may also wrap the adapter's own methods). It relies on @prisma/adapter-better-sqlite3 (7.10) keeping the
 * connection in `client` and calling only prepare/exec/close and statement methods on it; the
 * wrappers (statement-cache.ts, sqlite-begin.ts) have tests that fail if that changes.
 */
export function wrapSqliteConnection(
  factory: SqlDriverAdapterFactory,
  wrap: (connection: BetterSqlite3.Database, adapter: SqlDriverAdapter) => BetterSqlite3.Database,
): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect(): Promise<SqlDriverAdapter> {
      const adapter = await factory.connect();
      const holder = adapter as unknown as { client?: BetterSqlite3.Database };
      if (!holder.client || typeof holder.client.prepare !== "function") {
        throw new Error("the SQLite adapter no longer keeps its connection in `client`");
      }
      holder.client = wrap(holder.client, adapter);
      return adapter;
    },
  };
}

/** A connection whose `prepare` is `prepare`; everything else is the real connection's. */
export function withPrepare(
  connection: BetterSqlite3.Database,
  prepare: (sql: string) => unknown,
): BetterSqlite3.Database {
  return new Proxy(connection, {
    get(target, property) {
      if (property === "prepare") return prepare;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * `tx`, with `after` run once when it ends (after its commit or rollback, whether that succeeded
 * or threw): sqlite-begin.ts turns the busy timeout off again, serialize-sqlite.ts gives the
 * connection back.
 */
export function onTransactionEnd(tx: Transaction, after: () => void): Transaction {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    after();
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
