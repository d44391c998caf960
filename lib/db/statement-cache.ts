import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type BetterSqlite3 from "better-sqlite3";
import { withPrepare, wrapSqliteConnection } from "./sqlite-connection.ts";

/**
 * Prepared-statement reuse for the better-sqlite3 adapter. The adapter compiles every statement
 * afresh (`client.prepare(sql).bind(args)`, then run/all), and compiling is a large share of a
 * small query's cost: the job engine runs the same few dozen statements thousands of times.
 * This wrapper hands the adapter a connection whose `prepare` returns a statement compiled once
 * per distinct SQL text (least recently used ones evicted) and bound per call, so nothing the
 * adapter sees changes but the cost.
 *
 * It relies on the adapter keeping its connection in `client` and using only
 * prepare/bind/reader/run/columns/raw().all on statements (checked against
 * @prisma/adapter-better-sqlite3 7.10; lib/db/client.test.ts fails if that changes).
 *
 * Kept because it measurably pays: `BENCH_SEEDS=800 npm run bench:jobs` with and without it
 * (BENCH_STATEMENT_CACHE=off), two runs each on a shared 2-core machine (2026-12-06): engine CPU
 * per LLM call 5.27 and 4.99 ms with it, 5.52 and 5.50 ms without, about 7% less. The throughput
 * ratio was dominated by the machine's other load in those runs (0.34–0.47 either way).
 */

const MAX_STATEMENTS = 500;

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** What the adapter uses of a statement: bind once, then run or read (it also runs unbound ones, e.g. BEGIN). */
class CachedStatement {
  constructor(
    private readonly statement: Statement,
    private readonly args: unknown[] = [],
  ) {}

  bind(args: unknown[]): CachedStatement {
    return new CachedStatement(this.statement, args);
  }

  get reader(): boolean {
    return this.statement.reader;
  }

  run() {
    return this.statement.run(this.args);
  }

  columns() {
    return this.statement.columns();
  }

  raw() {
    const statement = this.statement.raw(true);
    return { all: () => statement.all(this.args) };
  }
}

/** A connection facade: `prepare` from the cache, everything else from the real connection. */
export function cachingConnection(
  connection: BetterSqlite3.Database,
  capacity = MAX_STATEMENTS,
): BetterSqlite3.Database {
  const statements = new Map<string, Statement>();
  const prepare = (sql: string): CachedStatement => {
    let statement = statements.get(sql);
    if (statement) {
      // Most recently used last, so the first key is the one to evict.
      statements.delete(sql);
    } else {
      statement = connection.prepare(sql);
      if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return new CachedStatement(statement);
  };
  return withPrepare(connection, prepare);
}

/** Wraps a better-sqlite3 adapter factory so its connections reuse prepared statements. */
export function reusePreparedStatements(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return wrapSqliteConnection(factory, (connection) => cachingConnection(connection));
}
