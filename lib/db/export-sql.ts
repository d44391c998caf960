import Database from "better-sqlite3";
import type { Db } from "./client.ts";
import { sqlDialect } from "./dialect.ts";
import { Prisma } from "./generated/client.ts";

/**
 * The export's reads (lib/io/export/select.ts): one statement per page of pairs, with the
 * node, seed and both responses joined in, instead of a query per relation — and one statement per
 * page for their reviews. Keyset pagination by pair id (never OFFSET): every page costs the same
 * however deep into the table it is. Plain SQL that SQLite and PostgreSQL both accept; the
 * aliases keep clear of those the shared pair filter (review-sql.ts pairFilterSql) uses inside.
 */

/** One row of exportPairPageSql: through $queryRaw (booleans and JSON decoded) or the SQLite reader (0/1, JSON as text). */
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
  /** Null when read without the seed's hash (exportPairPageSql's withSeedHash). */
  contentHash: string | null;
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

/**
 * The next `limit` pairs meeting `conditions` after pair `afterId`, in id order, with what an export line needs.
 * The seed's contentHash (held-out seeds, lib/datasets/heldout.ts) only `withSeedHash`, else NULL without
 * joining Seed: a dataset without a held-out share needs neither (SQLite reads the page ~10% faster).
 */
export function exportPairPageSql(
  conditions: readonly Prisma.Sql[],
  afterId: number,
  limit: number,
  withSeedHash = true,
): Prisma.Sql {
  return Prisma.sql`
    SELECT p."id", p."nodeId", p."method", p."status", p."depth", p."reviewCount", p."hardNegative",
           p."constraintIds", p."newConstraintIds", p."metadata", p."edited", p."swapped", p."override",
           p."lengthRatio", p."jobId", p."verdicts",
           xn."instruction", xn."seedId", xn."constraints", ${withSeedHash ? Prisma.sql`xs."contentHash"` : Prisma.sql`NULL`} AS "contentHash",
           xc."id" AS "chosenId", xc."text" AS "chosenText", xc."role" AS "chosenRole",
           xc."provider" AS "chosenProvider", xc."model" AS "chosenModel", xc."jobId" AS "chosenJobId",
           xr."id" AS "rejectedId", xr."text" AS "rejectedText", xr."role" AS "rejectedRole",
           xr."provider" AS "rejectedProvider", xr."model" AS "rejectedModel", xr."jobId" AS "rejectedJobId"
      FROM "Pair" p
      JOIN "Node" xn ON xn."id" = p."nodeId"
      ${withSeedHash ? Prisma.sql`JOIN "Seed" xs ON xs."id" = xn."seedId"` : Prisma.empty}
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
 * The users who reviewed a pair of the dataset, by id (their pseudonyms' order). Users are few and
 * reviews many: per user, one probe of Review(userId, pairId) within the dataset's pair-id range, each
 * hit checked on Pair(datasetId, id), stopping at the first. `SELECT DISTINCT` over every review of
 * the dataset's pairs read them all (~0.5 s at 1M pairs; this ~0.01 s); Prisma's `distinct` option
 * read them into memory.
 */
export function datasetReviewerIdsSql(datasetId: number): Prisma.Sql {
  return Prisma.sql`
    SELECT u."id" AS "userId" FROM "User" u
     WHERE EXISTS (
       SELECT 1 FROM "Review" rv JOIN "Pair" p ON p."id" = rv."pairId"
        WHERE rv."userId" = u."id"
          AND rv."pairId" >= (SELECT MIN(dp."id") FROM "Pair" dp WHERE dp."datasetId" = ${datasetId})
          AND rv."pairId" <= (SELECT MAX(dp."id") FROM "Pair" dp WHERE dp."datasetId" = ${datasetId})
          AND p."datasetId" = ${datasetId})
     ORDER BY u."id" ASC`;
}

/**
 * Reads an export's pages. On SQLite through a read-only better-sqlite3 connection of its own to
 * the client's database file, skipping Prisma's raw-query path: its query compiler runs for every
 * `$queryRaw` (~2 ms of CPU per page), and it decodes every cell into a typed value and then into
 * an object. Rows are read as arrays (better-sqlite3's object rows, built one property at a time,
 * cost twice as much) and turned into the row objects below. Measured on the bench's 100k pairs,
 * in one process: 1.6–2.3 CPU s through Prisma, 0.6–0.7 as arrays, 1.1–1.2 as better-sqlite3's
 * objects. Each page is one statement, so it reads one committed snapshot (WAL), as before; what
 * this process has not committed stays unseen, like another process's. The rows hold the values
 * `$queryRaw` gives, in the driver's form where Prisma decodes them (booleans as 0/1, JSON columns as
 * text: ExportPairSqlRow allows both). PostgreSQL, and a SQLite database without a file
 * (":memory:"), read through Prisma. Close it when done.
 *
 * `readPages` reads a whole export through it, page after page, each with its pairs' reviews.
 * (Tried and left out, session 7: reading the pages on a worker thread a few pages ahead. Handing a page's rows to the
 * main thread, as one JSON string or by structured clone, cost the main thread half of what reading
 * them there does, and the two threads together took ~5 CPU s more per 1M pairs and ~35 MB more
 * memory; on the shared machine the wall time was no better. See lib/io/README.md.)
 */
export type ExportReader = {
  pairPage(
    conditions: readonly Prisma.Sql[],
    afterId: number,
    limit: number,
    withSeedHash?: boolean,
  ): Promise<ExportPairSqlRow[]>;
  reviews(fromPairId: number, toPairId: number): Promise<ExportReviewSqlRow[]>;
  close(): void;
};

export type ExportPage = { pairs: ExportPairSqlRow[]; reviews: ExportReviewSqlRow[] };

export async function openExportReader(db: Db): Promise<ExportReader> {
  const file = sqlDialect() === "sqlite" ? await sqliteFile(db) : "";
  if (!file) {
    return {
      pairPage: (conditions, afterId, limit, withSeedHash) =>
        db.$queryRaw<ExportPairSqlRow[]>(exportPairPageSql(conditions, afterId, limit, withSeedHash)),
      reviews: (from, to) => db.$queryRaw<ExportReviewSqlRow[]>(exportReviewsSql(from, to)),
      close: () => {},
    };
  }
  const connection = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  // A statement's text is the same for every page (the page's bounds are parameters): compiled once.
  const statements = new Map<string, Database.Statement<unknown[], unknown[]>>();
  const read = <T extends object>(query: Prisma.Sql, toRow: (columns: unknown[]) => T): T[] => {
    let statement = statements.get(query.sql);
    if (!statement) {
      statement = connection.prepare<unknown[], unknown[]>(query.sql).raw(true);
      // The row builders below list the columns by position: they must match the statement's.
      const names = statement.columns().map((column) => column.name);
      const keys = Object.keys(toRow(names));
      if (keys.join() !== names.join()) throw new Error(`export row columns ${keys.join()} are not ${names.join()}`);
      statements.set(query.sql, statement);
    }
    const rows = statement.all(...query.values.map(sqliteValue));
    const out: T[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = toRow(rows[i]!);
    return out;
  };
  return {
    pairPage: async (conditions, afterId, limit, withSeedHash) =>
      read(exportPairPageSql(conditions, afterId, limit, withSeedHash), pairRow),
    reviews: async (from, to) => read(exportReviewsSql(from, to), reviewRow),
    close: () => connection.close(),
  };
}

/**
 * The pairs meeting `conditions` through `reader`, `limit` per page in id order (keyset), each
 * page with the reviews of its pair-id range when `reviews` is set (else none), and the seeds'
 * contentHash unless `seedHash` is false. Ends after a short page.
 */
export async function* readPages(
  reader: ExportReader,
  conditions: readonly Prisma.Sql[],
  limit: number,
  options: { reviews?: boolean; seedHash?: boolean } = {},
): AsyncGenerator<ExportPage> {
  const withReviews = options.reviews ?? false;
  const withSeedHash = options.seedHash ?? true;
  let last = 0;
  for (;;) {
    const pairs = await reader.pairPage(conditions, last, limit, withSeedHash);
    if (pairs.length === 0) return;
    const first = Number(pairs[0]!.id);
    last = Number(pairs[pairs.length - 1]!.id);
    yield { pairs, reviews: withReviews ? await reader.reviews(first, last) : [] };
    if (pairs.length < limit) return;
  }
}

/** An exportPairPageSql row from its columns, in the statement's order (checked when it is prepared). */
const pairRow = (c: unknown[]) =>
  ({
    id: c[0],
    nodeId: c[1],
    method: c[2],
    status: c[3],
    depth: c[4],
    reviewCount: c[5],
    hardNegative: c[6],
    constraintIds: c[7],
    newConstraintIds: c[8],
    metadata: c[9],
    edited: c[10],
    swapped: c[11],
    override: c[12],
    lengthRatio: c[13],
    jobId: c[14],
    verdicts: c[15],
    instruction: c[16],
    seedId: c[17],
    constraints: c[18],
    contentHash: c[19],
    chosenId: c[20],
    chosenText: c[21],
    chosenRole: c[22],
    chosenProvider: c[23],
    chosenModel: c[24],
    chosenJobId: c[25],
    rejectedId: c[26],
    rejectedText: c[27],
    rejectedRole: c[28],
    rejectedProvider: c[29],
    rejectedModel: c[30],
    rejectedJobId: c[31],
  }) as ExportPairSqlRow;

/** An exportReviewsSql row from its columns. */
const reviewRow = (c: unknown[]) =>
  ({ pairId: c[0], userId: c[1], kind: c[2], decision: c[3], round: c[4] }) as ExportReviewSqlRow;

/** The file of the client's main database ("" for an in-memory one). */
async function sqliteFile(db: Db): Promise<string> {
  const rows = await db.$queryRaw<{ file: string }[]>`SELECT "file" FROM pragma_database_list WHERE "name" = 'main'`;
  return rows[0]?.file ?? "";
}

/** A statement parameter as Prisma's SQLite adapter binds it (booleans as 0/1). */
function sqliteValue(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === null || typeof value === "number" || typeof value === "string" || typeof value === "bigint")
    return value;
  throw new Error(`the export's SQLite reader cannot bind a ${typeof value} parameter`);
}
