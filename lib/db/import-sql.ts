import type { Db, DbOrTx, Tx } from "./client.ts";
import { type SqlDialect, sqlDialect } from "./dialect.ts";
import { Prisma } from "./generated/client.ts";

/**
 * Raw SQL of a seed import (lib/io/import.ts): the batch inserts of seeds tagged with their
 * import and their depth-0 nodes, the lookup of conflicting rows, the batched removal of a failed
 * or abandoned import's rows, and the counts of rows still invisible (see visibility.ts).
 *
 * A batch is a few JSON parameters (each about PARAM_CHARS long), unpacked by the database (`json_each` on SQLite,
 * `jsonb_array_elements` on PostgreSQL, a branch per dialect): binding thousands of parameters
 * through the driver cost more than the inserts themselves, and the statement text is the same
 * for every batch of an import, so SQLite's statement cache (statement-cache.ts) compiles it once. Only
 * integers checked here are written into the text.
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

/** `FROM` a JSON array parameter, as rows `j` with element `k` read by `text(k)` / `json(k)`, in array order. */
function jsonRows(dialect: SqlDialect, param: string) {
  return dialect === "postgres"
    ? {
        from: `FROM jsonb_array_elements(CAST(${param} AS jsonb)) WITH ORDINALITY AS j("value", "n") WHERE true ORDER BY j."n"`,
        text: (k: number) => `j."value" ->> ${k}`,
        json: (k: number) => `j."value" -> ${k}`,
        int: (k: number) => `CAST(j."value" ->> ${k} AS integer)`,
      }
    : {
        // `WHERE true`: SQLite needs a WHERE in an INSERT … SELECT that has an ON CONFLICT clause.
        from: `FROM json_each(${param}) j WHERE true ORDER BY j."key"`,
        text: (k: number) => `j."value" ->> ${k}`,
        json: (k: number) => `j."value" -> ${k}`,
        int: (k: number) => `j."value" ->> ${k}`,
      };
}

/**
 * Statement parameters holding at most about this many characters of JSON. A string past V8's
 * regular object size (128 KB) is allocated in its large-object space and freed only by a full
 * collection: one ~1 MB parameter per batch made the importing process's heap, and so its
 * resident memory, climb by hundreds of MB between full collections. Smaller ones die young.
 */
const PARAM_CHARS = 48 * 1024;

/** `rows` as JSON arrays (of `row(r)` each), in order, split so each stays about PARAM_CHARS long. */
function* jsonArrays<T>(rows: readonly T[], row: (r: T) => unknown[]): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const r of rows) {
    const json = JSON.stringify(row(r));
    if (parts.length && length + json.length > PARAM_CHARS) {
      yield `[${parts.join(",")}]`;
      parts = [];
      length = 0;
    }
    parts.push(json);
    length += json.length + 1;
  }
  if (parts.length) yield `[${parts.join(",")}]`;
}

function placeholders(dialect: SqlDialect, n: number): string[] {
  return Array.from({ length: n }, (_, i) => (dialect === "postgres" ? `$${i + 1}` : "?"));
}

/** Inserts one batch of an import's seeds; the statement, by dialect (its text depends on nothing else). */
function insertSeedsText(dialect: SqlDialect, datasetId: number, importId: number): string {
  const [source, now, rows] = placeholders(dialect, 3);
  const j = jsonRows(dialect, rows!);
  const at = dialect === "postgres" ? `CAST(${now} AS timestamp(3))` : now;
  return `INSERT INTO "Seed" ("datasetId", "externalId", "instruction", "input", "referenceResponse", "contentHash", "source", "metadata", "importId", "createdAt")
    SELECT ${int(datasetId)}, ${j.text(0)}, ${j.text(1)}, ${j.text(2)}, ${j.text(3)}, ${j.text(4)}, ${source}, ${j.json(5)}, ${int(importId)}, ${at}
    ${j.from}
    ON CONFLICT ("datasetId", "contentHash") DO NOTHING RETURNING "id", "contentHash"`;
}

/** Inserts the depth-0 nodes of a batch's new seeds. */
function insertRootNodesText(dialect: SqlDialect, datasetId: number): string {
  const [now, rows] = placeholders(dialect, 2);
  const j = jsonRows(dialect, rows!);
  const at = dialect === "postgres" ? `CAST(${now} AS timestamp(3))` : now;
  return `INSERT INTO "Node" ("datasetId", "seedId", "depth", "instruction", "constraints", "status", "createdAt")
    SELECT ${int(datasetId)}, ${j.int(0)}, 0, ${j.text(1)}, ${j.json(2)}, 'kept', ${at}
    ${j.from}`;
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
  const ids = new Map<string, number>();
  const seedsText = insertSeedsText(dialect, target.datasetId, target.importId);
  for (const seeds of jsonArrays(rows, (r) => [
    r.externalId,
    r.instruction,
    r.input,
    r.referenceResponse,
    r.contentHash,
    r.metadata ?? null,
  ])) {
    const created = await tx.$queryRawUnsafe<{ id: number | bigint; contentHash: string }[]>(
      seedsText,
      target.source,
      now,
      seeds,
    );
    for (const s of created) ids.set(s.contentHash, Number(s.id));
  }
  const nodes = rows.filter((r) => ids.has(r.contentHash));
  const nodesText = insertRootNodesText(dialect, target.datasetId);
  for (const param of jsonArrays(nodes, (r) => [ids.get(r.contentHash)!, r.nodeInstruction, r.constraints ?? null]))
    await tx.$executeRawUnsafe(nodesText, now, param);
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
