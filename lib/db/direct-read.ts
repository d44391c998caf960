import type BetterSqlite3 from "better-sqlite3";
import type { Db } from "./client.ts";
import type { Prisma } from "./generated/client.ts";

/**
 * Large reads (an export's pages of 1,000 pairs) straight from the SQLite connection, skipping
 * Prisma's raw-query path: it decodes every cell of every row into a typed value and back into an
 * object, which in a 1M-pair export cost more CPU than SQLite itself, and most of its garbage.
 * better-sqlite3 builds the row objects natively. Same statement, same connection, same lock: a
 * read waits for the process's open transaction like any query outside one (serialize-sqlite.ts),
 * so it never sees another request's uncommitted rows. PostgreSQL, and a client whose connection
 * is not known (yet), read through Prisma; the rows are alike (integers as numbers, booleans as
 * 0/1 on SQLite, JSON columns as text), which the callers already accept.
 */
export type DirectReader = {
  /** The raw connection, known once Prisma has connected (statement-cache.ts). */
  connection?: BetterSqlite3.Database;
  /** Runs `read` when no transaction is open on the connection (serialize-sqlite.ts). */
  outsideTransactions?: <T>(read: () => T) => Promise<T>;
};

const readers = new WeakMap<object, DirectReader>();

/** createDb registers a SQLite client's reader. */
export function registerDirectReader(db: Db, reader: DirectReader): void {
  readers.set(db, reader);
}

/** Values better-sqlite3 binds as Prisma's adapter would (booleans as 0/1); else null (Prisma reads). */
function driverValues(values: readonly unknown[]): unknown[] | null {
  const out: unknown[] = [];
  for (const v of values) {
    if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "bigint") out.push(v);
    else if (typeof v === "boolean") out.push(v ? 1 : 0);
    else return null;
  }
  return out;
}

/** The rows of a read-only statement: from the SQLite connection directly when possible, else through Prisma. */
export async function queryRows<T>(db: Db, query: Prisma.Sql): Promise<T[]> {
  const reader = readers.get(db);
  const connection = reader?.connection;
  const values = driverValues(query.values);
  if (!connection || !reader.outsideTransactions || !values) return db.$queryRaw<T[]>(query);
  return reader.outsideTransactions(() => {
    const statement = connection.prepare(query.sql);
    // The adapter turns on safe integers for the connection; ids and counts here are well inside 2^53.
    return statement.safeIntegers(false).all(...values) as T[];
  });
}
