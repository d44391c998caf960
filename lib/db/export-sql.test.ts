import { beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createPairFixtures } from "../io/test-fixtures.ts";
import { exportFiltersSchema, toPairFilter } from "../io/export/select.ts";
import { filterConditions } from "../review/query.ts";
import {
  datasetReviewerIdsSql,
  exportPairPageSql,
  exportReviewsSql,
  openExportReader,
  readPages,
} from "./export-sql.ts";
import { Prisma } from "./generated/client.ts";

const { db } = createTestDb();
let datasetId = 0;

beforeAll(async () => {
  const userId = (
    await db.user.create({ data: { email: "reader@example.com", passwordHash: "x", role: "researcher" } })
  ).id;
  datasetId = (await db.dataset.create({ data: { name: "Reader tests", settings: {} } })).id;
  await createPairFixtures(db, datasetId, userId);
});

const JSON_COLUMNS = new Set(["metadata", "verdicts", "constraints"]);

/** A row's values in one form: Prisma decodes booleans and JSON columns, the SQLite reader leaves 0/1 and text. */
function canonical(row: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => {
      if (typeof value === "boolean" || typeof value === "bigint") return [key, Number(value)];
      if (JSON_COLUMNS.has(key) && typeof value === "string") return [key, JSON.parse(value)];
      return [key, value];
    }),
  );
}

describe("the export's page reader (lib/db/export-sql.ts)", () => {
  it("reads the same pages and reviews as $queryRaw, keyset page by page, and each pair once", async () => {
    for (const status of ["all", "accepted"] as const) {
      const conditions = filterConditions(datasetId, toPairFilter(exportFiltersSchema.parse({ status })));
      const reader = await openExportReader(db);
      const ids: number[] = [];
      try {
        let last = 0;
        for (;;) {
          const viaReader = await reader.pairPage(conditions, last, 2);
          const viaPrisma = await db.$queryRaw<object[]>(exportPairPageSql(conditions, last, 2));
          expect(viaReader.map(canonical)).toEqual(viaPrisma.map(canonical));
          // Without the seed's hash (no held-out share): the same rows, contentHash null, Seed not joined.
          const withoutHash = await reader.pairPage(conditions, last, 2, false);
          expect(withoutHash.map(canonical)).toEqual(viaReader.map((row) => canonical({ ...row, contentHash: null })));
          expect(exportPairPageSql(conditions, last, 2, false).sql).not.toContain('"Seed"');
          if (viaReader.length === 0) break;
          ids.push(...viaReader.map((row) => Number(row.id)));
          last = ids[ids.length - 1]!;
          const reviews = await reader.reviews(Number(viaReader[0]!.id), last);
          expect(reviews.map(canonical)).toEqual(
            (await db.$queryRaw<object[]>(exportReviewsSql(Number(viaReader[0]!.id), last))).map(canonical),
          );
        }
      } finally {
        reader.close();
      }
      const expected = await db.pair.findMany({
        where: { datasetId, ...(status === "all" ? { status: { not: "adjudication" } } : { status }) },
        orderBy: { id: "asc" },
        select: { id: true },
      });
      expect(expected.length).toBeGreaterThan(2);
      expect(ids).toEqual(expected.map((p) => p.id));
    }
  });

  it("readPages: every page of pairPage in order, each with the reviews of its pair-id range, and none without `reviews`", async () => {
    const conditions = filterConditions(datasetId, toPairFilter(exportFiltersSchema.parse({ status: "all" })));
    const reader = await openExportReader(db);
    try {
      const expected: { pairs: object[]; reviews: object[] }[] = [];
      for (let last = 0; ;) {
        const pairs = await reader.pairPage(conditions, last, 2);
        if (pairs.length === 0) break;
        const first = Number(pairs[0]!.id);
        last = Number(pairs[pairs.length - 1]!.id);
        expected.push({ pairs, reviews: await reader.reviews(first, last) });
      }
      expect(expected.length).toBeGreaterThan(1);
      expect(expected.some((page) => page.reviews.length > 0)).toBe(true);
      const withReviews = [];
      for await (const page of readPages(reader, conditions, 2, { reviews: true })) withReviews.push(page);
      expect(withReviews).toEqual(expected);
      const without = [];
      for await (const page of readPages(reader, conditions, 2)) without.push(page);
      expect(without).toEqual(expected.map((page) => ({ pairs: page.pairs, reviews: [] })));
    } finally {
      reader.close();
    }
  });

  it("datasetReviewerIdsSql: the users who reviewed a pair of the dataset, by id, and no one else", async () => {
    // Another dataset, reviewed by a user who reviewed nothing in the first one.
    const other = (await db.dataset.create({ data: { name: "Reader tests, other", settings: {} } })).id;
    const outsider = (
      await db.user.create({ data: { email: "outsider@example.com", passwordHash: "x", role: "researcher" } })
    ).id;
    await createPairFixtures(db, other, outsider);
    // What the export read before: every review of the dataset's pairs, then DISTINCT.
    const distinct = (id: number) =>
      db.$queryRaw<{ userId: number | bigint }[]>(Prisma.sql`
        SELECT DISTINCT rv."userId" FROM "Review" rv JOIN "Pair" p ON p."id" = rv."pairId"
         WHERE p."datasetId" = ${id} ORDER BY rv."userId" ASC`);
    const ids = async (query: Promise<{ userId: number | bigint }[]>) => (await query).map((r) => Number(r.userId));
    for (const id of [datasetId, other]) {
      const expected = await ids(distinct(id));
      expect(expected.length).toBeGreaterThan(1);
      expect(await ids(db.$queryRaw(datasetReviewerIdsSql(id)))).toEqual(expected);
    }
    expect(await ids(db.$queryRaw(datasetReviewerIdsSql(datasetId)))).not.toContain(outsider);
    const empty = (await db.dataset.create({ data: { name: "Reader tests, empty", settings: {} } })).id;
    expect(await ids(db.$queryRaw(datasetReviewerIdsSql(empty)))).toEqual([]);
  });

  it("reads rows committed after it was opened", async () => {
    const conditions = filterConditions(datasetId, toPairFilter(exportFiltersSchema.parse({ status: "all" })));
    const reader = await openExportReader(db);
    try {
      const before = await reader.pairPage(conditions, 0, 1000);
      const pair = await db.pair.findFirstOrThrow({ where: { datasetId, status: "accepted" }, select: { id: true } });
      await db.pair.update({ where: { id: pair.id }, data: { status: "rejected" } });
      const after = await reader.pairPage(conditions, 0, 1000);
      expect(after.find((row) => Number(row.id) === pair.id)?.status).toBe("rejected");
      expect(after.length).toBe(before.length);
    } finally {
      reader.close();
    }
  });
});
