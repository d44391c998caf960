import { Prisma } from "./generated/client.ts";
import { jsonParam, sqlDialect, type SqlDialect } from "./queue-sql.ts";

/**
 * The SQL lib/review cannot express through the Prisma query API, with everything
 * database-specific kept here (DESIGN.md: no dialect SQL outside lib/db). Plain SQL that SQLite
 * (≥ 3.35: RETURNING, row values, ON CONFLICT … DO UPDATE) and PostgreSQL both accept, except
 * where a branch on the dialect says otherwise.
 */

/** Adds `delta` to the PairCount row of (dataset, status), creating it when missing. One statement. */
export function pairCountAddSql(datasetId: number, status: string, delta: number): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "PairCount" ("datasetId", "status", "count") VALUES (${datasetId}, ${status}, ${delta})
    ON CONFLICT ("datasetId", "status") DO UPDATE SET "count" = "PairCount"."count" + excluded."count"`;
}

export type PairInsertRow = {
  datasetId: number;
  nodeId: number;
  chosenId: number;
  rejectedId: number;
  method: string;
  depth: number;
  constraintIds: string;
  metadata: unknown;
  jobId: number | null;
  runKey: string | null;
  /** The verdict record and its summaries (lib/review/verdict-record.ts). */
  verdicts: object;
  chosenOutcome: string;
  rejectedOutcome: string;
  rejectedFailsNew: boolean;
  hardNegative: boolean;
  hasUnknown: boolean;
  lengthRatio: number | null;
  newConstraintIds: string;
};

/**
 * One multi-row INSERT of pending pairs. A row whose (jobId, runKey) already exists is skipped
 * (the caller looks it up), so a re-run never duplicates a pair. Returns the inserted rows.
 */
export function insertPairsSql(
  rows: readonly PairInsertRow[],
  now: Date,
  dialect: SqlDialect = sqlDialect(),
): Prisma.Sql {
  return Prisma.sql`INSERT INTO "Pair" ("datasetId", "nodeId", "chosenId", "rejectedId", "method", "status", "version", "depth", "reviewCount", "hardNegative", "constraintIds", "metadata", "jobId", "runKey", "createdAt", "updatedAt", "verdicts", "chosenOutcome", "rejectedOutcome", "rejectedFailsNew", "hasUnknown", "lengthRatio", "newConstraintIds") VALUES ${Prisma.join(
    rows.map(
      (r) =>
        Prisma.sql`(${r.datasetId}, ${r.nodeId}, ${r.chosenId}, ${r.rejectedId}, ${r.method}, 'pending', 1, ${r.depth}, 0, ${r.hardNegative}, ${r.constraintIds}, ${jsonParam(r.metadata, dialect)}, ${r.jobId}, ${r.runKey}, ${now}, ${now}, ${jsonParam(r.verdicts, dialect)}, ${r.chosenOutcome}, ${r.rejectedOutcome}, ${r.rejectedFailsNew}, ${r.hasUnknown}, ${r.lengthRatio}, ${r.newConstraintIds})`,
    ),
  )} ON CONFLICT ("jobId", "runKey") DO NOTHING RETURNING "id", "jobId", "runKey"`;
}

/** Ids of existing pairs by (jobId, runKey). */
export function pairsByRunKeySql(keys: readonly { jobId: number; runKey: string }[]): Prisma.Sql {
  return Prisma.sql`SELECT "id", "jobId", "runKey" FROM "Pair" WHERE ("jobId", "runKey") IN (VALUES ${Prisma.join(keys.map((k) => Prisma.sql`(${k.jobId}, ${k.runKey})`))})`;
}

export type ClaimedPairRow = { id: number; version: number };

/**
 * Claims the next pending pair of a dataset for one reviewer, in ONE statement:
 * UPDATE … WHERE id = (SELECT the first claimable pair) AND <claimable again> RETURNING.
 *
 * Claimable: pending, not reviewed by this reviewer in the pair's current round (any review, so a
 * skipped pair does not come back to the one who skipped it; a reopened pair does), not in `excludeIds` (pairs already on the reviewer's
 * screen), and not leased to someone else (no lease, an expired lease, or the reviewer's own).
 * The outer WHERE repeats the lease test so that on PostgreSQL a row claimed by a concurrent
 * transaction between the sub-select and the update is not taken (the update then returns no
 * row and the caller tries again); PostgreSQL also skips rows locked by concurrent claimers.
 * On SQLite the statement runs under the database write lock, so it is atomic as it stands.
 */
export function claimPairSql(options: {
  datasetId: number;
  userId: number;
  now: Date;
  leaseUntil: Date;
  excludeIds?: readonly number[];
  dialect?: SqlDialect;
}): Prisma.Sql {
  const { datasetId, userId, now, leaseUntil } = options;
  const dialect = options.dialect ?? sqlDialect();
  const lock = dialect === "postgres" ? Prisma.sql`FOR UPDATE OF p SKIP LOCKED` : Prisma.empty;
  const exclude = options.excludeIds?.length
    ? Prisma.sql`AND p."id" NOT IN (${Prisma.join(options.excludeIds)})`
    : Prisma.empty;
  return Prisma.sql`
    UPDATE "Pair"
       SET "claimedById" = ${userId}, "claimedUntil" = ${leaseUntil}
     WHERE "id" = (
       SELECT p."id" FROM "Pair" p
        WHERE p."datasetId" = ${datasetId}
          AND p."status" = 'pending'
          AND (p."claimedUntil" IS NULL OR p."claimedUntil" < ${now} OR p."claimedById" = ${userId})
          ${exclude}
          AND NOT EXISTS (SELECT 1 FROM "Review" r WHERE r."userId" = ${userId} AND r."pairId" = p."id" AND r."round" = p."round")
        ORDER BY p."id"
        LIMIT 1
        ${lock})
       AND "status" = 'pending'
       AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now} OR "claimedById" = ${userId})
    RETURNING "id", "version"`;
}

/**
 * Claims one given pair for a reviewer when it is pending and not leased to someone else.
 */
export function claimOnePairSql(options: { pairId: number; userId: number; now: Date; leaseUntil: Date }): Prisma.Sql {
  const { pairId, userId, now, leaseUntil } = options;
  return Prisma.sql`
    UPDATE "Pair"
       SET "claimedById" = ${userId}, "claimedUntil" = ${leaseUntil}
     WHERE "id" = ${pairId}
       AND "status" = 'pending'
       AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now} OR "claimedById" = ${userId})
    RETURNING "id", "version"`;
}

/** Case-insensitive "contains" for text search (LIKE on SQLite is already case-insensitive for ASCII). */
export function containsInsensitiveSql(
  column: Prisma.Sql,
  pattern: string,
  dialect: SqlDialect = sqlDialect(),
): Prisma.Sql {
  if (dialect === "postgres") return Prisma.sql`${column} ILIKE ${pattern} ESCAPE '\\'`;
  return Prisma.sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}

export { sqlDialect, type SqlDialect };
