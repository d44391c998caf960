import type { Db, Tx } from "./client.ts";
import { jsonParam, type SqlDialect, sqlDialect } from "./dialect.ts";
import { Prisma } from "./generated/client.ts";

/**
 * Raw SQL for the tree aggregate (Seed, Node, Response): the bulk inserts the generation runner
 * makes (multi-row INSERT … RETURNING is an order of magnitude faster than createManyAndReturn),
 * and the one-statement lookup of a task's seed (an import's inserts: import-sql.ts). Portable
 * SQLite/PostgreSQL SQL.
 */

/** Ids of a job's rows in `table` with one of `runKeys` (the rows a re-run would otherwise repeat). */
function rowsByRunKeySql(table: "Node" | "Response" | "Pair", jobId: number, runKeys: string[]): Prisma.Sql {
  return Prisma.sql`SELECT "id", "runKey" FROM ${Prisma.raw(`"${table}"`)} WHERE "jobId" = ${jobId} AND "runKey" IN (${Prisma.join(runKeys)})`;
}

export type NodeRow = {
  datasetId: number;
  seedId: number;
  parentId: number;
  depth: number;
  instruction: string;
  constraints: unknown;
  operation: string | null;
  status: string;
  dropCode: string | null;
  dropReason: string | null;
  rawReply: string | null;
  jobId: number;
  runKey: string;
};

/**
 * One multi-row INSERT … RETURNING for nodes (rows of one tree level: their parents exist). Rows
 * already stored under their (jobId, runKey) are skipped and not returned: the caller looks them up.
 */
function insertNodesSql(rows: NodeRow[], now: Date, dialect: SqlDialect = sqlDialect()): Prisma.Sql {
  return Prisma.sql`INSERT INTO "Node" ("datasetId", "seedId", "parentId", "depth", "instruction", "constraints", "operation", "status", "dropCode", "dropReason", "rawReply", "jobId", "runKey", "createdAt") VALUES ${Prisma.join(
    rows.map(
      (r) =>
        Prisma.sql`(${r.datasetId}, ${r.seedId}, ${r.parentId}, ${r.depth}, ${r.instruction}, ${jsonParam(r.constraints, dialect)}, ${r.operation}, ${r.status}, ${r.dropCode}, ${r.dropReason}, ${r.rawReply}, ${r.jobId}, ${r.runKey}, ${now})`,
    ),
  )} ON CONFLICT ("jobId", "runKey") DO NOTHING RETURNING "id", "runKey"`;
}

export type ResponseRow = {
  nodeId: number;
  text: string;
  role: string;
  provider: string;
  model: string;
  verification: unknown;
  parentId: number | null;
  jobId: number;
  runKey: string;
};

/** One multi-row INSERT … RETURNING for responses (rows whose parent responses exist); skips and omits existing ones as insertNodesSql does. */
function insertResponsesSql(rows: ResponseRow[], now: Date, dialect: SqlDialect = sqlDialect()): Prisma.Sql {
  return Prisma.sql`INSERT INTO "Response" ("nodeId", "text", "role", "provider", "model", "verification", "parentId", "jobId", "runKey", "createdAt") VALUES ${Prisma.join(
    rows.map(
      (r) =>
        Prisma.sql`(${r.nodeId}, ${r.text}, ${r.role}, ${r.provider}, ${r.model}, ${jsonParam(r.verification, dialect)}, ${r.parentId}, ${r.jobId}, ${r.runKey}, ${now})`,
    ),
  )} ON CONFLICT ("jobId", "runKey") DO NOTHING RETURNING "id", "runKey"`;
}

type SeedForTaskRow = {
  id: number | bigint;
  contentHash: string;
  instruction: string;
  input: string;
  referenceResponse: string | null;
  nodeId: number | bigint | null;
  constraints: unknown;
};

/** A task's seed with its depth-0 node (the oldest, if several), in one statement. */
function seedForTaskSql(seedId: number): Prisma.Sql {
  return Prisma.sql`SELECT s."id", s."contentHash", s."instruction", s."input", s."referenceResponse", n."id" AS "nodeId", n."constraints"
    FROM "Seed" s LEFT JOIN "Node" n ON n."seedId" = s."id" AND n."depth" = 0 AND n."jobId" IS NULL
    WHERE s."id" = ${seedId} ORDER BY n."id" LIMIT 1`;
}

/** A task's seed and its depth-0 node (null when it has none yet), or null when the seed is gone. */
export async function seedWithRootNode(db: Db, seedId: number) {
  const [seed] = await db.$queryRaw<SeedForTaskRow[]>(seedForTaskSql(seedId));
  if (!seed) return null;
  return {
    id: Number(seed.id),
    contentHash: seed.contentHash,
    instruction: seed.instruction,
    input: seed.input,
    referenceResponse: seed.referenceResponse,
    rootNodeId: seed.nodeId === null ? null : Number(seed.nodeId),
    rootConstraints: (typeof seed.constraints === "string" ? JSON.parse(seed.constraints) : seed.constraints) ?? [],
  };
}

type IdByRunKey = { id: number | bigint; runKey: string };

/**
 * Stores one level of a job's rows: inserts them (rows already stored under (jobId, runKey) are
 * skipped), then looks up only the skipped ones. Returns every row's id by runKey and how many
 * were inserted; a run key missing from `ids` was neither inserted nor found.
 */
async function storeLevel(
  tx: Tx,
  table: "Node" | "Response",
  jobId: number,
  runKeys: string[],
  insert: Prisma.Sql,
): Promise<{ ids: Map<string, number>; inserted: number }> {
  const inserted = await tx.$queryRaw<IdByRunKey[]>(insert);
  const ids = new Map(inserted.map((row) => [row.runKey, Number(row.id)]));
  const skipped = runKeys.filter((key) => !ids.has(key));
  if (skipped.length) {
    for (const row of await tx.$queryRaw<IdByRunKey[]>(rowsByRunKeySql(table, jobId, skipped)))
      ids.set(row.runKey, Number(row.id));
  }
  return { ids, inserted: inserted.length };
}

/**
 * One level of a job's rows: a tree level of nodes (their parents exist) or a derivation level of
 * responses (the responses they derive from exist); see storeLevel.
 */
export function storeJobRows(
  tx: Tx,
  jobId: number,
  level: { table: "Node"; rows: NodeRow[] } | { table: "Response"; rows: ResponseRow[] },
  now: Date,
) {
  const insert = level.table === "Node" ? insertNodesSql(level.rows, now) : insertResponsesSql(level.rows, now);
  return storeLevel(
    tx,
    level.table,
    jobId,
    level.rows.map((r) => r.runKey),
    insert,
  );
}
