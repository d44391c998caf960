import type { Tx } from "./client.ts";
import { sqlDialect } from "./dialect.ts";

/** Any fixed number, ours alone (job-sql.ts's claim lock is another). */
const BENCHMARK_SETS_LOCK = 0x6563_6473; // "ecds"

/**
 * Orders, on PostgreSQL, a transaction that stores instructions with their decontamination
 * matches ("check": an import batch, a generation task) against one that adds or removes a checked
 * benchmark set ("change"). A check holds the lock shared from the moment it reads the list of sets
 * to its commit, a change holds it exclusively; so either the change committed first and the check
 * sees the new list (and rematches), or the check committed first and the set's recheck job, which
 * lists the seeds after the change, sees its rows. Without it, a set uploaded while an import runs
 * could miss the batch in between. Checks never wait for each other.
 *
 * SQLite needs nothing: its write transactions already run one at a time (BEGIN IMMEDIATE,
 * sqlite-begin.ts).
 */
export async function lockBenchmarkSets(tx: Tx, mode: "check" | "change"): Promise<void> {
  if (sqlDialect() !== "postgres") return;
  // $executeRaw: the functions return void, a type the adapter cannot read back.
  if (mode === "check") await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${BENCHMARK_SETS_LOCK})`;
  else await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BENCHMARK_SETS_LOCK})`;
}
