import { Prisma } from "./generated/client.ts";
import { jsonParam, sqlDialect, type SqlDialect } from "./dialect.ts";
import { pairTextMatchSql } from "./search-sql.ts";

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
  hardNegative: boolean | null;
  hasUnknown: boolean;
  lengthRatio: number | null;
  newConstraintIds: string;
  /** The node's decontamination flag, copied (lib/decontam keeps it afterwards). */
  contaminated: boolean;
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
  return Prisma.sql`INSERT INTO "Pair" ("datasetId", "nodeId", "chosenId", "rejectedId", "method", "status", "version", "depth", "reviewCount", "hardNegative", "constraintIds", "metadata", "jobId", "runKey", "createdAt", "updatedAt", "verdicts", "chosenOutcome", "rejectedOutcome", "rejectedFailsNew", "hasUnknown", "lengthRatio", "newConstraintIds", "contaminated") VALUES ${Prisma.join(
    rows.map(
      (r) =>
        Prisma.sql`(${r.datasetId}, ${r.nodeId}, ${r.chosenId}, ${r.rejectedId}, ${r.method}, 'pending', 1, ${r.depth}, 0, ${r.hardNegative}, ${r.constraintIds}, ${jsonParam(r.metadata, dialect)}, ${r.jobId}, ${r.runKey}, ${now}, ${now}, ${jsonParam(r.verdicts, dialect)}, ${r.chosenOutcome}, ${r.rejectedOutcome}, ${r.rejectedFailsNew}, ${r.hasUnknown}, ${r.lengthRatio}, ${r.newConstraintIds}, ${r.contaminated})`,
    ),
  )} ON CONFLICT ("jobId", "runKey") DO NOTHING RETURNING "id", "jobId", "runKey"`;
}

/** Ids of existing pairs by (jobId, runKey). */
export function pairsByRunKeySql(keys: readonly { jobId: number; runKey: string }[]): Prisma.Sql {
  // The CAST: PostgreSQL types a VALUES list's parameters as text (integer = text has no operator).
  return Prisma.sql`SELECT "id", "jobId", "runKey" FROM "Pair" WHERE ("jobId", "runKey") IN (VALUES ${Prisma.join(keys.map((k) => Prisma.sql`(CAST(${k.jobId} AS INTEGER), ${k.runKey})`))})`;
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

/** What a pair filter can hold (structurally lib/review's PairFilter; lib/db does not import lib/review). */
export type PairSelection = {
  ids?: readonly number[];
  status?: readonly string[];
  method?: readonly string[];
  depth?: readonly number[];
  cid?: readonly string[];
  maxDepth?: number;
  minReviews?: number;
  chosen?: "pass" | "fail";
  rejected?: "fail" | "fail-new";
  "hard-negative"?: true;
  unknown?: true;
  "no-override"?: true;
  "has-comments"?: true;
  contamination?: "contaminated" | "not-contaminated";
  "max-length-ratio"?: number;
  reviewer?: number;
  job?: number;
  jobs?: readonly number[];
  generator?: readonly string[];
  provider?: readonly string[];
  model?: readonly string[];
  q?: string;
};

/**
 * What wrote a response (llm / rule-based / reference / human), as SQL over the Response row `r`:
 * the same rule as lib/review/view.ts responseOrigin (a test checks they agree).
 */
export function responseGeneratorSql(r: string): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${r}."${name}"`);
  return Prisma.sql`(CASE WHEN ${col("role")} = 'human' OR ${col("provider")} = 'human' THEN 'human'
    WHEN ${col("provider")} = 'rule-based' OR ${col("role")} = 'repair' THEN 'rule-based'
    WHEN ${col("provider")} = 'seed' THEN 'reference' ELSE 'llm' END)`;
}

/** The column a pairs-table sort orders by. */
export const PAIR_SORT_COLUMN: Record<"id" | "depth" | "status" | "method", Prisma.Sql> = {
  id: Prisma.sql`p."id"`,
  depth: Prisma.sql`p."depth"`,
  status: Prisma.sql`p."status"`,
  method: Prisma.sql`p."method"`,
};

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * WHERE conditions (on `"Pair" p`) of THE pair filter of lib/review/pair-query.ts, the dataset
 * condition first. The verdict keys read the stored record's summary columns.
 */
export function pairFilterSql(datasetId: number, filter: PairSelection): Prisma.Sql[] {
  const where: Prisma.Sql[] = [Prisma.sql`p."datasetId" = ${datasetId}`];
  if (filter.ids?.length) where.push(Prisma.sql`p."id" IN (${Prisma.join(filter.ids)})`);
  if (filter.status?.length) where.push(Prisma.sql`p."status" IN (${Prisma.join(filter.status)})`);
  if (filter.method?.length) where.push(Prisma.sql`p."method" IN (${Prisma.join(filter.method)})`);
  if (filter.depth?.length) where.push(Prisma.sql`p."depth" IN (${Prisma.join(filter.depth)})`);
  for (const id of filter.cid ?? []) {
    where.push(Prisma.sql`(' ' || p."constraintIds" || ' ') LIKE ${`% ${likeEscape(id)} %`} ESCAPE '\\'`);
  }
  if (filter.maxDepth !== undefined) where.push(Prisma.sql`p."depth" <= ${filter.maxDepth}`);
  if (filter.minReviews) where.push(Prisma.sql`p."reviewCount" >= ${filter.minReviews}`);
  // The verdict keys read the stored record's summary columns (one definition: pair-query.ts).
  if (filter.chosen === "pass") where.push(Prisma.sql`p."chosenOutcome" = 'pass'`);
  if (filter.chosen === "fail") where.push(Prisma.sql`p."chosenOutcome" = 'fail'`);
  if (filter.rejected === "fail") where.push(Prisma.sql`p."rejectedOutcome" = 'fail'`);
  if (filter.rejected === "fail-new") where.push(Prisma.sql`p."rejectedFailsNew" = ${true}`);
  if (filter["hard-negative"]) where.push(Prisma.sql`p."hardNegative" = ${true}`);
  if (filter.unknown) where.push(Prisma.sql`p."hasUnknown" = ${true}`);
  if (filter["no-override"]) where.push(Prisma.sql`p."override" = ${false}`);
  if (filter["has-comments"]) where.push(Prisma.sql`p."commentCount" > 0`);
  if (filter.contamination) where.push(Prisma.sql`p."contaminated" = ${filter.contamination === "contaminated"}`);
  const ratio = filter["max-length-ratio"];
  if (ratio !== undefined)
    where.push(
      Prisma.sql`p."lengthRatio" IS NOT NULL AND p."lengthRatio" >= ${1 / ratio} AND p."lengthRatio" <= ${ratio}`,
    );
  if (filter.reviewer)
    where.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Review" rv WHERE rv."userId" = ${filter.reviewer} AND rv."pairId" = p."id")`,
    );
  if (filter.job) where.push(Prisma.sql`p."jobId" = ${filter.job}`);
  if (filter.jobs?.length) where.push(Prisma.sql`p."jobId" IN (${Prisma.join(filter.jobs)})`);
  // Generator, provider and model are those of the pair's current chosen response.
  if (filter.generator?.length)
    where.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Response" g WHERE g."id" = p."chosenId" AND ${responseGeneratorSql("g")} IN (${Prisma.join(filter.generator)}))`,
    );
  if (filter.provider?.length)
    where.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Response" g WHERE g."id" = p."chosenId" AND g."provider" IN (${Prisma.join(filter.provider)}))`,
    );
  if (filter.model?.length)
    where.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Response" g WHERE g."id" = p."chosenId" AND g."model" IN (${Prisma.join(filter.model)}))`,
    );
  if (filter.q) {
    const byId = /^#?(\d{1,9})$/.exec(filter.q);
    if (byId) where.push(Prisma.sql`p."id" = ${Number(byId[1])}`);
    // Words in the prompt or a response, through the full-text indexes (search-sql.ts).
    else where.push(pairTextMatchSql(filter.q));
  }
  return where;
}

/** ORDER BY `column` then id (`column` null: id only), both in one direction. */
export function pairOrderSql(column: Prisma.Sql | null, descending: boolean): Prisma.Sql {
  const dir = descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  return column ? Prisma.sql`${column} ${dir}, p."id" ${dir}` : Prisma.sql`p."id" ${dir}`;
}

/** Keyset: rows past `value` in the walking direction. */
export function keysetPastSql(column: Prisma.Sql, value: unknown, descending: boolean): Prisma.Sql {
  return descending ? Prisma.sql`${column} < ${value}` : Prisma.sql`${column} > ${value}`;
}

export function keysetEqualsSql(column: Prisma.Sql, value: unknown): Prisma.Sql {
  return Prisma.sql`${column} = ${value}`;
}

export function pairOnNodesSql(nodeIds: readonly number[]): Prisma.Sql {
  return Prisma.sql`p."nodeId" IN (${Prisma.join(nodeIds)})`;
}

/** One page of the pairs table: the row columns, in `order`, at most `limit` rows. */
export function pairPageSql(conditions: readonly Prisma.Sql[], order: Prisma.Sql, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT p."id", p."status", p."method", p."depth", p."version", p."reviewCount", p."constraintIds", p."hardNegative",
           p."jobId", p."chosenId", p."rejectedId", p."updatedAt", p."metadata",
           p."verdicts", p."edited", p."override", p."lengthRatio", p."commentCount", p."contaminated"
      FROM "Pair" p
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY ${order}
     LIMIT ${limit}`;
}

export function countPairsSql(conditions: readonly Prisma.Sql[]): Prisma.Sql {
  return Prisma.sql`SELECT COUNT(*) AS "n" FROM "Pair" p WHERE ${Prisma.join(conditions, " AND ")}`;
}

/** Id, version and status of matching pairs in id order, at most `limit`. */
export function pairBatchSql(conditions: readonly Prisma.Sql[], limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT p."id", p."version", p."status" FROM "Pair" p WHERE ${Prisma.join(conditions, " AND ")} ORDER BY p."id" ASC LIMIT ${limit}`;
}

/** Seeds (after `afterSeedId`, in id order) whose trees hold a pair meeting `conditions`. */
export function seedsWithMatchingPairsSql(
  datasetId: number,
  conditions: readonly Prisma.Sql[],
  afterSeedId: number,
  limit: number,
): Prisma.Sql {
  return Prisma.sql`
    SELECT s."id" FROM "Seed" s
     WHERE s."datasetId" = ${datasetId} AND s."id" > ${afterSeedId}
       AND EXISTS (SELECT 1 FROM "Pair" p JOIN "Node" pn ON pn."id" = p."nodeId"
                    WHERE pn."seedId" = s."id" AND ${Prisma.join(conditions, " AND ")})
     ORDER BY s."id" LIMIT ${limit}`;
}

export function pairIdsSql(conditions: readonly Prisma.Sql[]): Prisma.Sql {
  return Prisma.sql`SELECT p."id" FROM "Pair" p WHERE ${Prisma.join(conditions, " AND ")} ORDER BY p."id"`;
}

// ---------------------------------------------------------------------------------------------
// The dataset overview (lib/review/stats.ts)
// ---------------------------------------------------------------------------------------------

export type ReviewerCountRow = {
  userId: number | bigint;
  email: string;
  decision: string;
  kind: string;
  n: number | bigint;
  ms: number | bigint | null;
};

/** Reviews per reviewer, decision and kind, with their total time on screen. */
export function reviewerCountsSql(datasetId: number): Prisma.Sql {
  return Prisma.sql`
    SELECT r."userId", u."email", r."decision", r."kind", COUNT(*) AS "n", SUM(r."durationMs") AS "ms"
      FROM "Review" r JOIN "Pair" p ON p."id" = r."pairId" JOIN "User" u ON u."id" = r."userId"
     WHERE p."datasetId" = ${datasetId}
     GROUP BY r."userId", u."email", r."decision", r."kind"`;
}

export type PairGroupRow = {
  depth: number | bigint;
  method: string;
  constraintIds: string;
  status: string;
  n: number | bigint;
};

/** Pairs per (depth, method, constraint ids, status): one pass for the acceptance breakdowns. */
export function pairGroupsSql(datasetId: number): Prisma.Sql {
  return Prisma.sql`
    SELECT p."depth", p."method", p."constraintIds", p."status", COUNT(*) AS "n"
      FROM "Pair" p
     WHERE p."datasetId" = ${datasetId}
     GROUP BY p."depth", p."method", p."constraintIds", p."status"`;
}

/**
 * Votes only (not edits, swaps or decisions) of each pair's current round, on pairs with at least
 * two voters, oldest first (each reviewer's latest vote counts): what agreement is computed on.
 */
export function countingVotesSql(datasetId: number): Prisma.Sql {
  return Prisma.sql`
    SELECT r."pairId", r."userId", r."decision"
      FROM "Review" r JOIN "Pair" p ON p."id" = r."pairId"
     WHERE p."datasetId" = ${datasetId} AND p."reviewCount" >= 2 AND r."kind" = 'vote' AND r."round" = p."round"
     ORDER BY r."decidedAt", r."id"`;
}

export type LengthRatioGroupSqlRow = {
  method: string;
  depth: number | bigint;
  newConstraintIds: string;
  /** Pairs of the group with a length ratio. */
  n: number | bigint;
  /** Sum of ln(ratio) (the geometric mean's numerator). */
  logSum: number;
  /** Pairs whose ratio is above 1. */
  longer: number | bigint;
  /** below0 … below{k-1}: pairs whose ratio is under each edge (cumulative). */
  [below: `below${number}`]: number | bigint;
};

/**
 * Length-ratio sums per (method, depth, new constraint ids): count, sum of logarithms, ratios
 * above 1, and ratios under each of `edges`. The overview adds the groups up per breakdown, so
 * the rows it reads grow with the groups, not with the pairs.
 */
export function lengthRatioGroupsSql(datasetId: number, edges: readonly number[]): Prisma.Sql {
  const below = edges.map(
    (edge, i) => Prisma.sql`SUM(CASE WHEN p."lengthRatio" < ${edge} THEN 1 ELSE 0 END) AS ${Prisma.raw(`"below${i}"`)}`,
  );
  return Prisma.sql`
    SELECT p."method", p."depth", p."newConstraintIds", COUNT(*) AS "n", SUM(LN(p."lengthRatio")) AS "logSum",
           SUM(CASE WHEN p."lengthRatio" > 1 THEN 1 ELSE 0 END) AS "longer", ${Prisma.join(below, ", ")}
      FROM "Pair" p
     WHERE p."datasetId" = ${datasetId} AND p."lengthRatio" IS NOT NULL AND p."lengthRatio" > 0
     GROUP BY p."method", p."depth", p."newConstraintIds"`;
}

export { sqlDialect, type SqlDialect };
