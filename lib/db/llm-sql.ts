import type { Db } from "./client.ts";
import { Prisma } from "./generated/client.ts";
import { jsonParam, sqlDialect, type SqlDialect } from "./dialect.ts";

/**
 * The LlmCall cache's two statements (lib/llm/cache.ts runs one of each per model call, so they
 * are plain SQL rather than ORM queries, which cost about twice as much). Both are portable:
 * SQLite and PostgreSQL accept `INSERT … ON CONFLICT … DO UPDATE … WHERE`.
 */

type LlmCallHitRow = {
  status: string;
  /** JSON: text on SQLite, an object on PostgreSQL. */
  response: unknown;
  promptTokens: number | bigint;
  completionTokens: number | bigint;
  costUsd: number;
  provider: string;
  model: string;
};

/** What a cache hit needs of a stored call (not the request, which can be large). */
function llmCallLookupSql(requestHash: string): Prisma.Sql {
  return Prisma.sql`SELECT "status", "response", "promptTokens", "completionTokens", "costUsd", "provider", "model" FROM "LlmCall" WHERE "requestHash" = ${requestHash}`;
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
 * Records a call in one statement. `replace: "any"` (a paid answer): the row is created, or
 * replaces whatever is stored (an error, or a concurrent writer's answer). `replace: "error"` (a
 * failure): the row is created, or replaces only an earlier error, never a stored answer.
 */
function llmCallRecordSql(
  row: LlmCallRecord,
  replace: "any" | "error",
  dialect: SqlDialect = sqlDialect(),
): Prisma.Sql {
  const request =
    dialect === "postgres" ? Prisma.sql`CAST(${row.requestJson} AS jsonb)` : Prisma.sql`${row.requestJson}`;
  const response = row.response === null ? Prisma.sql`NULL` : jsonParam(row.response, dialect);
  const onlyErrors = replace === "error" ? Prisma.sql`WHERE "LlmCall"."status" = 'error'` : Prisma.empty;
  return Prisma.sql`
    INSERT INTO "LlmCall" ("requestHash", "provider", "model", "request", "response", "status", "error", "promptTokens", "completionTokens", "costUsd", "latencyMs", "jobId", "taskId", "createdAt")
    VALUES (${row.requestHash}, ${row.provider}, ${row.model}, ${request}, ${response}, ${row.status}, ${row.error}, ${row.promptTokens}, ${row.completionTokens}, ${row.costUsd}, ${row.latencyMs}, ${row.jobId}, ${row.taskId}, ${row.createdAt})
    ON CONFLICT ("requestHash") DO UPDATE SET
      "provider" = excluded."provider", "model" = excluded."model", "request" = excluded."request", "response" = excluded."response",
      "status" = excluded."status", "error" = excluded."error", "promptTokens" = excluded."promptTokens",
      "completionTokens" = excluded."completionTokens", "costUsd" = excluded."costUsd", "latencyMs" = excluded."latencyMs",
      "jobId" = excluded."jobId", "taskId" = excluded."taskId"
    ${onlyErrors}`;
}

/** The stored call with this request hash, or undefined (runs llmCallLookupSql). */
export async function findLlmCall(db: Db, requestHash: string): Promise<LlmCallHitRow | undefined> {
  const [row] = await db.$queryRaw<LlmCallHitRow[]>(llmCallLookupSql(requestHash));
  return row;
}

/** Records a call (runs llmCallRecordSql; see there for `replace`). */
export async function recordLlmCall(db: Db, row: LlmCallRecord, replace: "any" | "error"): Promise<void> {
  await db.$executeRaw(llmCallRecordSql(row, replace));
}
