import Database from "better-sqlite3";
import type { Db } from "./client.ts";
import type { Prisma } from "./generated/client.ts";

/**
 * A read-only connection of its own to a client's SQLite file, for a hot point read that must not
 * queue behind the client's transactions (the LLM cache lookup, llm-sql.ts findLlmCallNow).
 * Prisma's one connection serves the whole process, and serialize-sqlite.ts makes every query
 * outside a transaction wait until the open one ends: under a busy worker, a group commit is open
 * much of the time, and a lookup waited for it (bench:jobs measured the LLM cache lookup at 2.5 ms
 * p50, 20 ms p90, on a loaded machine). Under WAL a second connection reads the last committed
 * state at once, whatever the first one is doing.
 *
 * It sees committed rows only: never use it for a read that must see the caller's own open
 * transaction. Opened on first use, one per client, closed by the client's $disconnect (a reader
 * left open would keep the WAL file from being folded back in when the last writer closes).
 */
const files = new WeakMap<Db, string>();
/** A client's open reader and its statements, each compiled once per SQL text. */
type Reader = { connection: Database.Database; statements: Map<string, Database.Statement> };
const readers = new WeakMap<Db, Reader>();

/** createDb: `db` is a SQLite client of this file (an in-memory database has no reader). */
export function registerSqliteFile(db: Db, file: string): void {
  if (file === ":memory:" || file === "") return;
  files.set(db, file);
  const disconnect = db.$disconnect.bind(db);
  db.$disconnect = async () => {
    closeSqliteReader(db);
    await disconnect();
  };
}

/** The client's read-only connection, or null (PostgreSQL, in memory, or the file would not open). */
function sqliteReader(db: Db): Reader | null {
  const known = readers.get(db);
  if (known) return known;
  const file = files.get(db);
  if (!file) return null;
  let connection: Database.Database;
  try {
    // A short busy wait: under WAL a reader meets a lock only while a connection recovers the
    // WAL index, and this wait blocks the event loop (callers fall back to the client instead).
    connection = new Database(file, { readonly: true, fileMustExist: true, timeout: 50 });
  } catch {
    return null; // not there yet (nothing written): the caller uses the client; tried again next time
  }
  const reader = { connection, statements: new Map<string, Database.Statement>() };
  readers.set(db, reader);
  return reader;
}

function closeSqliteReader(db: Db): void {
  const reader = readers.get(db);
  readers.delete(db);
  reader?.connection.close();
}

/**
 * Runs `query` on the client's read-only connection, at once (see above), with its statement
 * compiled once per text. Null when there is no reader (PostgreSQL, in memory) or SQLite refused
 * (e.g. SQLITE_BUSY): the caller then runs the query on the client, whose path waits and retries.
 * Only for parameters of a plain type (text, numbers, null) and columns the caller reads as SQLite
 * returns them (integers as numbers, JSON as text), as Prisma's SQLite adapter also returns them.
 */
export function readCommitted<T>(db: Db, query: Prisma.Sql): T[] | null {
  const reader = sqliteReader(db);
  if (!reader) return null;
  const values = query.values.map(plainValue); // a misuse throws, never falls back quietly
  try {
    let statement = reader.statements.get(query.sql);
    if (!statement) reader.statements.set(query.sql, (statement = reader.connection.prepare(query.sql)));
    return statement.all(...values) as T[];
  } catch {
    return null; // SQLite refused (SQLITE_BUSY while the WAL index is recovered…): the client decides
  }
}

function plainValue(value: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "bigint")
    return value;
  throw new Error(`readCommitted cannot bind a ${typeof value} parameter`);
}
