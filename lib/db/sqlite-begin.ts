import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { withPrepare, wrapSqliteConnection } from "./sqlite-connection.ts";

/**
 * Interactive transactions on SQLite begin with BEGIN IMMEDIATE instead of the adapter's plain
 * (deferred) BEGIN.
 *
 * Why: several processes write one SQLite file (the web server, its worker child, `ecd worker`,
 * a CLI import). Under WAL, a deferred transaction reads from the snapshot of its first read; when
 * another process commits before this transaction's first write, that write fails at once with
 * SQLITE_BUSY_SNAPSHOT, which Prisma reports as a timeout (P1008 / SocketTimeout). The busy timeout
 * cannot help, since waiting would not make the snapshot current. Most of the app's write
 * transactions read first (a version check, a count, a lookup), so they must hold the write lock from
 * their first statement: BEGIN IMMEDIATE waits, within the busy timeout, until no other process
 * writes, and then nothing can commit under it. lib/db/sqlite-locking.test.ts shows both failures.
 *
 * The cost: a transaction that only reads also takes the write lock. The app's interactive
 * transactions all write; a read that needs one consistent snapshot uses a single statement.
 * Within one process, transactions already run one at a time (serialize-sqlite.ts), so this
 * changes nothing there. PostgreSQL needs none of this (row locks; READ COMMITTED).
 *
 * The adapter runs `client.prepare("BEGIN").run()` (@prisma/adapter-better-sqlite3 7.10); the
 * connection facade (withPrepare) rewrites exactly that statement. If the adapter stops doing so, the
 * locking test fails.
 */
export function beginImmediate(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return wrapSqliteConnection(factory, (connection) =>
    withPrepare(connection, (sql) => connection.prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql)),
  );
}
