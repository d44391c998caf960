import type { Db } from "./client.ts";
import { jsonParam } from "./dialect.ts";
import { Prisma } from "./generated/client.ts";

/**
 * Large synthetic datasets for tests and benchmarks (the 1M-pair deletion): `count` pending pairs
 * on one node and its two responses, and a vote on every `reviewEvery`-th pair, each in one
 * INSERT … SELECT over a counting CTE (SQLite and PostgreSQL alike). Not a write path of the app.
 */
export async function insertSyntheticPairs(
  db: Db,
  options: {
    datasetId: number;
    nodeId: number;
    chosenId: number;
    rejectedId: number;
    count: number;
    reviewerId?: number;
    reviewEvery?: number;
  },
): Promise<void> {
  const { datasetId, nodeId, chosenId, rejectedId, count } = options;
  await db.$executeRaw(Prisma.sql`
    INSERT INTO "Pair" ("datasetId", "nodeId", "chosenId", "rejectedId", "method", "status", "metadata", "createdAt", "updatedAt")
    WITH RECURSIVE "n"("i") AS (SELECT 1 UNION ALL SELECT "i" + 1 FROM "n" WHERE "i" < ${count})
    SELECT ${datasetId}, ${nodeId}, ${chosenId}, ${rejectedId}, 'ecd', 'pending', ${jsonParam({})}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
    FROM "n"`);
  if (options.reviewerId !== undefined && options.reviewEvery)
    await db.$executeRaw(Prisma.sql`
      INSERT INTO "Review" ("pairId", "userId", "decision", "kind", "pairVersion", "shownAt", "decidedAt", "durationMs")
      SELECT "id", ${options.reviewerId}, 'accept', 'vote', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1000
      FROM "Pair" WHERE "datasetId" = ${datasetId} AND "id" % ${options.reviewEvery} = 0`);
}
