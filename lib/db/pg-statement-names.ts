import { createHash } from "node:crypto";
import type { SqlQuery } from "@prisma/driver-adapter-utils";

/**
 * Names for the pg adapter's prepared statements (PrismaPg's `statementNameGenerator`): a
 * statement with a name is parsed once per connection, and each later run sends only its
 * parameters (node-postgres keeps the names it prepared per connection). The job engine runs
 * the same few dozen statements thousands of times, so PostgreSQL's parse and analysis of each is
 * paid once per connection instead of once per run.
 *
 * The name is a hash of the SQL text, so one text always gets one name. Neither node-postgres nor
 * PostgreSQL forgets a prepared statement while the connection lives, so only the first `limit`
 * distinct texts a process meets are named (the job engine's and the pages' statements come early
 * and come back); statements whose text varies without end, such as multi-row inserts of every
 * batch size, then run unnamed, as before.
 *
 * Measured with `BENCH_DB=postgres npm run bench:jobs` (4 worker processes on this 2-core
 * machine), five interleaved pairs, 2026-12-07: job_throughput_ratio_pg_4_workers mean 0.886
 * named (0.844-0.924) against 0.858 unnamed (0.847-0.873), and 0.913-0.928 in three later named
 * runs; the PostgreSQL server's own CPU over a run about halved (7-10 s against 14-15 s). With
 * plan_cache_mode=force_custom_plan on top (every run planned afresh) the server's CPU was 11-13 s
 * and the ratio between the two, so PostgreSQL keeps its default: after five runs of a statement
 * it may settle on one generic plan, as for any client that prepares statements (Prisma's own
 * query engine prepared them by default). `BENCH_DB=postgres BENCH_ONLY=query npm run
 * bench:review` named against unnamed, same hour: every pairs-query p95 at or below the unnamed
 * one (1M text search 24.8 against 37.2 ms; 1M chosen-fails 77 against 104 ms).
 */
export function preparedStatementNames(limit = 500): (query: SqlQuery) => string | undefined {
  const names = new Map<string, string>();
  return (query) => {
    const known = names.get(query.sql);
    if (known !== undefined || names.size >= limit) return known;
    const name = `ecd_${createHash("sha256").update(query.sql).digest("base64url").slice(0, 32)}`;
    names.set(query.sql, name);
    return name;
  };
}
