import type { Db, DbOrTx, Tx } from "./client.ts";
import { type SqlDialect, sqlDialect } from "./dialect.ts";
import { Prisma } from "./generated/client.ts";

/**
 * Raw SQL of a seed import (lib/io/import.ts): the batch inserts of seeds tagged with their
 * import and their depth-0 nodes, the lookup of conflicting rows, the batched removal of a failed
 * or abandoned import's rows, and the counts of rows still invisible (see visibility.ts).
 * Portable SQLite/PostgreSQL SQL.
 *
 * The inserts are built as text with placeholders (`?` on SQLite, `$n` on PostgreSQL) and run
 * with `$queryRawUnsafe`: a full batch is always the same text, so SQLite's statement cache
 * (statement-cache.ts) compiles it once, and no per-value template objects are built. Only
 * integers checked here are written into the text; every other value is a parameter.
 */

export type ImportedSeedRow = {
  externalId: string;
  instruction: string;
  input: string;
  referenceResponse: string | null;
  contentHash: string;
  metadata: unknown;
  /** The depth-0 node's text and constraints. */
  nodeInstruction: string;
  constraints: unknown;
};

/** A whole number safe to write into SQL text. */
function int(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

/** `(…), (…)` for `rows` rows of `columns` (each a placeholder, `json` cast on PostgreSQL, or a literal). */
function valuesText(dialect: SqlDialect, rows: number, columns: readonly ("param" | "json" | { literal: string })[]) {
  let n = 0;
  const param = () => (dialect === "postgres" ? `$${++n}` : "?");
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++)
    tuples.push(
      `(${columns
        .map((c) =>
          c === "param"
            ? param()
            : c === "json"
              ? dialect === "postgres"
                ? `CAST(${param()} AS jsonb)`
                : param()
              : c.literal,
        )
        .join(", ")})`,
    );
  return tuples.join(", ");
}

/**
 * Inserts a batch of an import's seeds (tagged with `importId`) and the depth-0 nodes of those
 * inserted. A seed whose content hash the dataset already holds (visible or not) is skipped: the
 * caller looks those up (`seedsByContentHash`). Returns the new seed ids by content hash.
 */
export async function insertImportedSeeds(
  tx: Tx,
  target: { datasetId: number; importId: number; source: string },
  rows: readonly ImportedSeedRow[],
  now: Date,
  dialect: SqlDialect = sqlDialect(),
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const dataset = { literal: int(target.datasetId) };
  const seedValues = valuesText(dialect, rows.length, [
    dataset,
    "param",
    "param",
    "param",
    "param",
    "param",
    "param",
    "json",
    { literal: int(target.importId) },
    "param",
  ]);
  const seedArgs: unknown[] = [];
  for (const r of rows)
    seedArgs.push(
      r.externalId,
      r.instruction,
      r.input,
      r.referenceResponse,
      r.contentHash,
      target.source,
      JSON.stringify(r.metadata ?? null),
      now,
    );
  const created = await tx.$queryRawUnsafe<{ id: number | bigint; contentHash: string }[]>(
    `INSERT INTO "Seed" ("datasetId", "externalId", "instruction", "input", "referenceResponse", "contentHash", "source", "metadata", "importId", "createdAt") VALUES ${seedValues}
     ON CONFLICT ("datasetId", "contentHash") DO NOTHING RETURNING "id", "contentHash"`,
    ...seedArgs,
  );
  const ids = new Map(created.map((s) => [s.contentHash, Number(s.id)]));
  const inserted = rows.filter((r) => ids.has(r.contentHash));
  if (inserted.length === 0) return ids;
  // The seed id is written as a literal: the text differs per batch, so it is not worth caching
  // either way, and it saves a parameter per row.
  const nodeArgs: unknown[] = [];
  const tuples: string[] = [];
  let n = 0;
  const param = (cast = false) => {
    const p = dialect === "postgres" ? `$${++n}` : "?";
    return cast && dialect === "postgres" ? `CAST(${p} AS jsonb)` : p;
  };
  for (const r of inserted) {
    tuples.push(
      `(${dataset.literal}, ${int(ids.get(r.contentHash)!)}, 0, ${param()}, ${param(true)}, 'kept', ${param()})`,
    );
    nodeArgs.push(r.nodeInstruction, JSON.stringify(r.constraints ?? null), now);
  }
  await tx.$executeRawUnsafe(
    `INSERT INTO "Node" ("datasetId", "seedId", "depth", "instruction", "constraints", "status", "createdAt") VALUES ${tuples.join(", ")}`,
    ...nodeArgs,
  );
  return ids;
}

export type ConflictingSeed = {
  id: number;
  contentHash: string;
  /** The import that wrote it (null: made otherwise), its status and lease. */
  importId: number | null;
  importStatus: string | null;
  leaseUntil: Date | null;
};

/** A dataset's seeds with one of these content hashes, with the import each belongs to. */
export async function seedsByContentHash(
  db: DbOrTx,
  datasetId: number,
  hashes: readonly string[],
): Promise<ConflictingSeed[]> {
  if (hashes.length === 0) return [];
  const rows = await db.$queryRaw<
    {
      id: number | bigint;
      contentHash: string;
      importId: number | bigint | null;
      status: string | null;
      leaseUntil: Date | string | null;
    }[]
  >(Prisma.sql`SELECT s."id", s."contentHash", s."importId", i."status", i."leaseUntil"
    FROM "Seed" s LEFT JOIN "SeedImport" i ON i."id" = s."importId"
    WHERE s."datasetId" = ${datasetId} AND s."contentHash" IN (${Prisma.join([...hashes])})`);
  return rows.map((r) => ({
    id: Number(r.id),
    contentHash: r.contentHash,
    importId: r.importId === null ? null : Number(r.importId),
    importStatus: r.status,
    leaseUntil: r.leaseUntil === null ? null : new Date(r.leaseUntil),
  }));
}

/**
 * Deletes up to `limit` of an import's seeds (their nodes, contamination rows and full-text
 * entries go with them: cascades and triggers). One short statement; returns how many went.
 */
export async function deleteImportedSeedsBatch(db: Db, importId: number, limit: number): Promise<number> {
  return db.$executeRaw(Prisma.sql`DELETE FROM "Seed" WHERE "id" IN (
    SELECT "id" FROM "Seed" WHERE "importId" = ${importId} ORDER BY "id" LIMIT ${limit})`);
}

/**
 * Seeds and nodes of a dataset that are not visible (written by an import not committed yet).
 * Counting all rows and subtracting these keeps a count on the (datasetId) index however large
 * the dataset: the pending rows are found through the small SeedImport table and Seed.importId.
 */
export async function invisibleCounts(db: DbOrTx, datasetId: number): Promise<{ seeds: number; nodes: number }> {
  const [row] = await db.$queryRaw<{ seeds: number | bigint | null; nodes: number | bigint | null }[]>(
    Prisma.sql`SELECT
      (SELECT COUNT(*) FROM "Seed" s JOIN "SeedImport" i ON i."id" = s."importId"
        WHERE i."datasetId" = ${datasetId} AND i."status" <> 'committed') AS "seeds",
      (SELECT COUNT(*) FROM "Node" n JOIN "Seed" s ON s."id" = n."seedId" JOIN "SeedImport" i ON i."id" = s."importId"
        WHERE i."datasetId" = ${datasetId} AND i."status" <> 'committed') AS "nodes"`,
  );
  return { seeds: Number(row?.seeds ?? 0), nodes: Number(row?.nodes ?? 0) };
}
