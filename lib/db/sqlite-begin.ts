import { DriverAdapterError, type SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type BetterSqlite3 from "better-sqlite3";
import { withPrepare, wrapSqliteConnection } from "./sqlite-connection.ts";

/**
 * Interactive transactions on SQLite begin with BEGIN IMMEDIATE instead of the adapter's plain
 * (deferred) BEGIN, and wait for the write lock without blocking the event loop.
 *
 * Why IMMEDIATE: several processes write one SQLite file (the web server, its worker child,
 * `ecd worker`, a CLI import). Under WAL, a deferred transaction reads from the snapshot of its first
 * read; when another process commits before this transaction's first write, that write fails at
 * once with SQLITE_BUSY_SNAPSHOT, which Prisma reports as a timeout (P1008 / SocketTimeout). The busy
 * timeout cannot help, since waiting would not make the snapshot current. Most of the app's write
 * transactions read first (a version check, a count, a lookup), so they take the write lock at
 * BEGIN, and then nothing can commit under them. lib/db/sqlite-locking.test.ts shows both failures.
 *
 * Why not the adapter's own BEGIN: better-sqlite3 waits for a lock synchronously (the busy
 * timeout), which would stall every request of the process while another process writes; and when
 * the adapter's BEGIN fails it never releases its internal mutex, so every later transaction of the
 * process would hang. So `startTransaction` first runs BEGIN IMMEDIATE itself with no busy timeout,
 * retrying after short asynchronous sleeps until the connection's busy timeout has passed (then it
 * fails with Prisma's usual timeout error, the adapter untouched); the adapter's BEGIN that follows
 * is a no-op. Only one transaction per process is open at a time (serialize-sqlite.ts wraps this),
 * so nothing else runs on the connection in between.
 *
 * The cost: a transaction that only reads also takes the write lock. The app's interactive
 * transactions all write; a read that needs one consistent snapshot uses a single statement.
 * PostgreSQL needs none of this (row locks; READ COMMITTED).
 *
 * It relies on the adapter running `client.prepare("BEGIN").run()` in `startTransaction`
 * (@prisma/adapter-better-sqlite3 7.10); the locking test fails if that changes.
 */
export function beginImmediate(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return wrapSqliteConnection(factory, (connection, adapter) => {
    const busyTimeoutMs = Number(connection.pragma("busy_timeout", { simple: true }));
    let begun = false;
    const noop = { run: () => ({ changes: 0, lastInsertRowid: 0 }) };
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      await beginWithoutBlocking(connection, busyTimeoutMs);
      begun = true;
      try {
        return await startTransaction(isolationLevel);
      } catch (error) {
        begun = false;
        if (connection.inTransaction) connection.exec("ROLLBACK");
        throw error;
      }
    };
    return withPrepare(connection, (sql) => {
      if (sql !== "BEGIN") return connection.prepare(sql);
      if (!begun) throw new Error("beginImmediate: a transaction began without startTransaction");
      begun = false;
      return noop;
    });
  });
}

/** BEGIN IMMEDIATE, waiting for another process's write lock with timers instead of the busy handler. */
async function beginWithoutBlocking(connection: BetterSqlite3.Database, busyTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
    connection.pragma("busy_timeout = 0");
    try {
      connection.exec("BEGIN IMMEDIATE");
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== "string" || !code.startsWith("SQLITE_BUSY")) throw error;
      if (Date.now() >= deadline)
        throw new DriverAdapterError({ kind: "SocketTimeout", originalCode: code, originalMessage: String(error) });
    } finally {
      connection.pragma(`busy_timeout = ${busyTimeoutMs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
