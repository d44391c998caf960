import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlQuery } from "@prisma/driver-adapter-utils";
import { parseDatabaseUrl } from "./datasource-url.mjs";
import { preparedStatementNames } from "./pg-statement-names.ts";
import { type Prisma, PrismaClient } from "./generated/client.ts";
import { PrismaClient as PostgresPrismaClient } from "./generated-postgres/client.ts";
import { serializeTransactions } from "./serialize-sqlite.ts";
import { beginImmediate } from "./sqlite-begin.ts";
import { registerSqliteFile } from "./sqlite-reader.ts";
import { reusePreparedStatements } from "./statement-cache.ts";

/**
 * The client, whichever database: both generated clients come from one schema
 * (scripts/postgres-schema.mjs), so the SQLite client's type describes both.
 */
export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;
/** A function that works alone or inside a caller's transaction takes either. */
export type DbOrTx = Db | Tx;

/**
 * Builds a Prisma client for DATABASE_URL (default: the SQLite file under ./data; a
 * postgresql:// URL gets the PostgreSQL client and the pg adapter). The only place in the code
 * base that constructs one; everything else imports `db` or receives a client.
 * `statementCache: false` skips prepared-statement reuse (statement-cache.ts): bench:jobs measures it.
 */
export function createDb(url = process.env.DATABASE_URL, options: { statementCache?: boolean } = {}): Db {
  const parsed = parseDatabaseUrl(url);
  if (parsed.kind === "postgres") {
    // JIT off: PostgreSQL compiles a query when its estimated cost is high, about 90 ms for the pairs
    // table's text search at 1M pairs, a query that then runs in a few ms. The app's queries are short.
    // (An `options` parameter in DATABASE_URL wins over this one.)
    // Named statements: each distinct statement is parsed once per connection (pg-statement-names.ts).
    // The adapter's type says string; it passes the value on as pg's `name`, where undefined means unnamed.
    const names = namedStatements() ? (preparedStatementNames() as (query: SqlQuery) => string) : undefined;
    const adapter = new PrismaPg(
      { connectionString: parsed.url, max: postgresPoolSize(), options: "-c jit=off" },
      { statementNameGenerator: names },
    );
    return new PostgresPrismaClient({ adapter }) as unknown as Db;
  }
  if (parsed.file !== ":memory:") mkdirSync(path.dirname(parsed.file), { recursive: true });
  // SQLite's busy timeout: how long a process waits for another's write lock before it fails
  // (on timers, serialize-sqlite.ts; not inside better-sqlite3, which would stall the event loop).
  // The adapter's own `timeout` only applies while the connection opens (the WAL set-up may wait
  // for another process); sqlite-begin.ts then turns waiting off outside transactions.
  const busyTimeoutMs = 10_000;
  const sqlite = new PrismaBetterSqlite3({ url: parsed.file, timeout: busyTimeoutMs });
  const connection = options.statementCache === false ? sqlite : reusePreparedStatements(sqlite);
  const adapter = serializeTransactions(beginImmediate(connection, busyTimeoutMs), busyTimeoutMs);
  // A transaction may wait for another process's write lock as long as a single statement may
  // (Prisma's own default, 2 s, gave up first: "Unable to start a transaction in the given time").
  const db = new PrismaClient({ adapter, transactionOptions: { maxWait: busyTimeoutMs } });
  registerSqliteFile(db, parsed.file);
  return db;
}

/** Connections per process (ECD_DB_POOL_SIZE, default 10): N processes open up to N times this many. */
function postgresPoolSize(): number {
  const size = Number(process.env.ECD_DB_POOL_SIZE ?? 10);
  if (!Number.isInteger(size) || size < 1) throw new Error("ECD_DB_POOL_SIZE must be a positive whole number");
  return size;
}

/**
 * ECD_DB_PREPARED_STATEMENTS (default on): off for a connection pooler that gives each
 * transaction any server connection (PgBouncer's transaction mode before 1.21), where a statement
 * prepared on one connection is unknown on the next.
 */
function namedStatements(): boolean {
  const value = process.env.ECD_DB_PREPARED_STATEMENTS ?? "on";
  if (value !== "on" && value !== "off")
    throw new Error(`ECD_DB_PREPARED_STATEMENTS must be on or off (got "${value}")`);
  return value === "on";
}

const globalForDb = globalThis as unknown as { ecdDb?: Db };

/** The process-wide client (one per process; reused across Next.js dev reloads). */
export function getDb(): Db {
  globalForDb.ecdDb ??= createDb();
  return globalForDb.ecdDb;
}

/** Closes the process-wide client if one was opened (a command that never used the DB opens none). */
export async function disconnectDb(): Promise<void> {
  await globalForDb.ecdDb?.$disconnect().catch(() => {});
}

/**
 * Settings that must hold for every SQLite connection we open. WAL lets readers run while the
 * worker writes; it is stored in the database file, so setting it once per start is enough.
 * `synchronous = NORMAL` (per connection) is SQLite's recommended pairing with WAL: a commit no
 * longer waits for an fsync, which on a slow disk would block the event loop on every LlmCall
 * record. Commits stay durable if the process dies (the SIGKILL tests); a power cut can lose the
 * last moments' commits, never the database's consistency.
 */
export async function configureDatabase(db: Db): Promise<void> {
  // PostgreSQL needs nothing per connection; its pending-migration check is requireMigrated (migrate.ts).
  if (parseDatabaseUrl(process.env.DATABASE_URL).kind !== "sqlite") return;
  // Read before setting: switching the mode needs the database to itself, and a file that is
  // already WAL (every start but the first) needs no switch while other processes use it.
  const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
  if (mode?.journal_mode !== "wal") await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
}
