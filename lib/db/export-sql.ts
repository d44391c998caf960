import { Prisma } from "./generated/client.ts";

/**
 * The export's reads (lib/io/export/select.ts): one statement per page of pairs, with the
 * node, seed and both responses joined in, instead of a query per relation — and one statement per
 * page for their reviews. Keyset pagination by pair id (never OFFSET): every page costs the same
 * however deep into the table it is. Plain SQL that SQLite and PostgreSQL both accept; the
 * aliases keep clear of those the shared pair filter (review-sql.ts pairFilterSql) uses inside.
 */

/** One row of exportPairPageSql, as the drivers return it (SQLite: 0/1 booleans, JSON as text). */
export type ExportPairSqlRow = {
  id: number | bigint;
  nodeId: number | bigint;
  method: string;
  status: string;
  depth: number | bigint;
  reviewCount: number | bigint;
  hardNegative: boolean | number | null;
  constraintIds: string;
  newConstraintIds: string;
  metadata: unknown;
  edited: boolean | number;
  swapped: boolean | number;
  override: boolean | number;
  lengthRatio: number | null;
  jobId: number | bigint | null;
  verdicts: unknown;
  instruction: string;
  seedId: number | bigint;
  constraints: unknown;
  contentHash: string;
  chosenId: number | bigint;
  chosenText: string;
  chosenRole: string;
  chosenProvider: string;
  chosenModel: string;
  chosenJobId: number | bigint | null;
  rejectedId: number | bigint;
  rejectedText: string;
  rejectedRole: string;
  rejectedProvider: string;
  rejectedModel: string;
  rejectedJobId: number | bigint | null;
};

/** The next `limit` pairs meeting `conditions` after pair `afterId`, in id order, with what an export line needs. */
export function exportPairPageSql(conditions: readonly Prisma.Sql[], afterId: number, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT p."id", p."nodeId", p."method", p."status", p."depth", p."reviewCount", p."hardNegative",
           p."constraintIds", p."newConstraintIds", p."metadata", p."edited", p."swapped", p."override",
           p."lengthRatio", p."jobId", p."verdicts",
           xn."instruction", xn."seedId", xn."constraints", xs."contentHash",
           xc."id" AS "chosenId", xc."text" AS "chosenText", xc."role" AS "chosenRole",
           xc."provider" AS "chosenProvider", xc."model" AS "chosenModel", xc."jobId" AS "chosenJobId",
           xr."id" AS "rejectedId", xr."text" AS "rejectedText", xr."role" AS "rejectedRole",
           xr."provider" AS "rejectedProvider", xr."model" AS "rejectedModel", xr."jobId" AS "rejectedJobId"
      FROM "Pair" p
      JOIN "Node" xn ON xn."id" = p."nodeId"
      JOIN "Seed" xs ON xs."id" = xn."seedId"
      JOIN "Response" xc ON xc."id" = p."chosenId"
      JOIN "Response" xr ON xr."id" = p."rejectedId"
     WHERE ${Prisma.join(conditions, " AND ")} AND p."id" > ${afterId}
     ORDER BY p."id" ASC
     LIMIT ${limit}`;
}

export type ExportReviewSqlRow = {
  pairId: number | bigint;
  userId: number | bigint;
  kind: string;
  decision: string;
  round: number | bigint;
};

/**
 * The reviews of the pairs with ids in [fromPairId, toPairId] (a page's range; the caller keeps
 * those of the page's pairs), by pair then review id: one index range scan on Review(pairId, id).
 */
export function exportReviewsSql(fromPairId: number, toPairId: number): Prisma.Sql {
  return Prisma.sql`
    SELECT rv."pairId", rv."userId", rv."kind", rv."decision", rv."round"
      FROM "Review" rv
     WHERE rv."pairId" >= ${fromPairId} AND rv."pairId" <= ${toPairId}
     ORDER BY rv."pairId" ASC, rv."id" ASC`;
}

/**
 * The users who reviewed a pair of the dataset, by id (their pseudonyms' order). DISTINCT in SQL:
 * Prisma's `distinct` option reads every review row into memory first.
 */
export function datasetReviewerIdsSql(datasetId: number): Prisma.Sql {
  return Prisma.sql`
    SELECT DISTINCT rv."userId" FROM "Review" rv JOIN "Pair" p ON p."id" = rv."pairId"
     WHERE p."datasetId" = ${datasetId}
     ORDER BY rv."userId" ASC`;
}
