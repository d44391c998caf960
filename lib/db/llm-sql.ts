import type { Db, DbOrTx } from "./client.ts";
import { Prisma } from "./generated/client.ts";
import { jsonParam, sqlDialect, type SqlDialect } from "./dialect.ts";
import { readCommitted } from "./sqlite-reader.ts";

/**
 * The LlmCall cache's two statements (lib/llm/cache.ts runs one of each per model call, so they
 * are plain SQL rather than ORM queries, which cost about twice as much). Both take several calls
 * at once (the cache gathers the calls of one turn of the event loop into one statement). Both
 * are portable: SQLite and PostgreSQL accept `INSERT … ON CONFLICT … DO UPDATE … WHERE`.
 */

export type LlmCallHitRow = {
  status: string;
  /** JSON: text on SQLite, an object on PostgreSQL. */
  response: unknown;
  promptTokens: number | bigint;
  completionTokens: number | bigint;
  costUsd: number;
  provider: string;
  model: string;
};

/** What a cache hit needs of stored calls (not the request, which can be large). */
function llmCallLookupSql(requestHashes: readonly string[]): Prisma.Sql {
  return Prisma.sql`SELECT "requestHash", "status", "response", "promptTokens", "completionTokens", "costUsd", "provider", "model" FROM "LlmCall" WHERE "requestHash" IN (${Prisma.join(requestHashes)})`;
}

export type LlmCallRecord = {
  requestHash: string;
  provider: string;
  model: string;
  /** Canonical JSON text of the request key. */
  requestJson: string;
  /** The stored answer (ok rows) or null. */
  response: unknown;
  status: "ok" | "error";
  error: string | null;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMs: number;
  jobId: number | null;
  taskId: number | null;
  createdAt: Date;
};

/**
 * Records calls in one statement. `replace: "any"` (paid answers): each row is created, or
 * replaces whatever is stored (an error, or a concurrent writer's answer). `replace: "error"`
 * (failures): each row is created, or replaces only an earlier error, never a stored answer.
 * The rows' hashes must differ (one statement may not update a row twice).
 */
function llmCallRecordSql(
  rows: readonly LlmCallRecord[],
  replace: "any" | "error",
  dialect: SqlDialect = sqlDialect(),
): Prisma.Sql {
  const values = rows.map((row) => {
    const request =
      dialect === "postgres" ? Prisma.sql`CAST(${row.requestJson} AS jsonb)` : Prisma.sql`${row.requestJson}`;
    const response = row.response === null ? Prisma.sql`NULL` : jsonParam(row.response, dialect);
    return Prisma.sql`(${row.requestHash}, ${row.provider}, ${row.model}, ${request}, ${response}, ${row.status}, ${row.error}, ${row.promptTokens}, ${row.completionTokens}, ${row.costUsd}, ${row.latencyMs}, ${row.jobId}, ${row.taskId}, ${row.createdAt})`;
  });
  const onlyErrors = replace === "error" ? Prisma.sql`WHERE "LlmCall"."status" = 'error'` : Prisma.empty;
  return Prisma.sql`
    INSERT INTO "LlmCall" ("requestHash", "provider", "model", "request", "response", "status", "error", "promptTokens", "completionTokens", "costUsd", "latencyMs", "jobId", "taskId", "createdAt")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("requestHash") DO UPDATE SET
      "provider" = excluded."provider", "model" = excluded."model", "request" = excluded."request", "response" = excluded."response",
      "status" = excluded."status", "error" = excluded."error", "promptTokens" = excluded."promptTokens",
      "completionTokens" = excluded."completionTokens", "costUsd" = excluded."costUsd", "latencyMs" = excluded."latencyMs",
      "jobId" = excluded."jobId", "taskId" = excluded."taskId"
    ${onlyErrors}`;
}

/** The stored calls with these request hashes, by hash (runs llmCallLookupSql). */
export async function findLlmCalls(db: Db, requestHashes: readonly string[]): Promise<Map<string, LlmCallHitRow>> {
  const rows = await db.$queryRaw<(LlmCallHitRow & { requestHash: string })[]>(llmCallLookupSql(requestHashes));
  return new Map(rows.map((row) => [row.requestHash, row]));
}

/**
 * The stored call with this hash, looked up at once on SQLite's read-only connection
 * (sqlite-reader.ts), without waiting for a transaction the client has open; null when that is
 * not possible (PostgreSQL): use findLlmCalls. Committed rows are all the cache needs: its
 * answers are written by statements of their own, never inside a caller's transaction.
 */
export function findLlmCallNow(db: Db, requestHash: string): { row: LlmCallHitRow | undefined } | null {
  const rows = readCommitted<LlmCallHitRow>(db, llmCallLookupSql([requestHash]));
  return rows && { row: rows[0] };
}

/** Records calls with distinct hashes (runs llmCallRecordSql; see there for `replace`). */
export async function recordLlmCalls(
  db: DbOrTx,
  rows: readonly LlmCallRecord[],
  replace: "any" | "error",
): Promise<void> {
  await db.$executeRaw(llmCallRecordSql(rows, replace));
}
