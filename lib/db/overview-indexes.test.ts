/**
 * The dataset overview's breakdowns (lib/review/stats.ts) read a few columns of every pair of a
 * dataset. On SQLite a pair row is large (`verdicts`, `metadata`) and those columns sit after it,
 * so reading the rows made the overview the slowest page under load (issue 15, bench/web.ts):
 * migration overview_covering_indexes gives each query a covering index. This checks the plans
 * (SQLite's; PostgreSQL's planner picks by table statistics, so there only the queries run).
 */
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { Prisma } from "./generated/client.ts";
import { lengthRatioGroupsSql, pairGroupsSql } from "./review-sql.ts";

const { db } = createTestDb();
const sqlite = process.env.TEST_DB !== "postgres";

async function plan(sql: Prisma.Sql): Promise<string> {
  const rows = await db.$queryRaw<{ detail: string }[]>(Prisma.sql`EXPLAIN QUERY PLAN ${sql}`);
  return rows.map((row) => row.detail).join("\n");
}

describe("the overview's breakdown queries", () => {
  it("run on both databases", async () => {
    await expect(db.$queryRaw(pairGroupsSql(1))).resolves.toEqual([]);
    await expect(db.$queryRaw(lengthRatioGroupsSql(1, [0.5, 2]))).resolves.toEqual([]);
  });

  it.runIf(sqlite)("read covering indexes only, never the pair rows", async () => {
    expect(await plan(pairGroupsSql(1))).toMatch(
      /USING COVERING INDEX Pair_datasetId_depth_method_constraintIds_status_idx/,
    );
    expect(await plan(lengthRatioGroupsSql(1, [0.5, 2]))).toMatch(
      /USING COVERING INDEX Pair_datasetId_lengthRatio_method_depth_newConstraintIds_idx/,
    );
    const flags = Prisma.sql`SELECT "edited", "override", COUNT(*) FROM "Pair" WHERE "datasetId" = ${1} GROUP BY "edited", "override"`;
    expect(await plan(flags)).toMatch(/USING COVERING INDEX Pair_datasetId_edited_override_idx/);
    const byNew = Prisma.sql`SELECT "newConstraintIds", "status", COUNT(*) FROM "Pair" WHERE "datasetId" = ${1} GROUP BY "newConstraintIds", "status"`;
    expect(await plan(byNew)).toMatch(/USING COVERING INDEX Pair_datasetId_newConstraintIds_status_idx/);
  });
});
