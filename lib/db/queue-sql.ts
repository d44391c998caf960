import { parseDatabaseUrl } from "./datasource-url.mjs";
import { Prisma } from "./generated/client.ts";

/**
 * The SQL the job queue cannot express through the Prisma query API: claiming one task with a
 * lease in ONE statement. Everything database-specific about it lives here (DESIGN.md: no
 * dialect SQL outside lib/db). The statement is plain SQL both SQLite (≥ 3.38: `->>`,
 * `RETURNING`) and PostgreSQL accept; PostgreSQL additionally locks the chosen row with
 * `FOR UPDATE SKIP LOCKED`, so concurrent claimers skip each other's row instead of waiting.
 */

export type SqlDialect = "sqlite" | "postgres";

export function sqlDialect(url = process.env.DATABASE_URL): SqlDialect {
  return parseDatabaseUrl(url).kind;
}

export type ClaimedTaskRow = { id: number; jobId: number; seedId: number; attempts: number; maxAttempts: number };

/**
 * UPDATE … WHERE id = (SELECT the task to run next) RETURNING …
 *
 * Jobs are served oldest first. A job is eligible while it is queued or running and has fewer
 * live leases than its `params.concurrency` (default 4). Its next task is a running task whose
 * lease expired (its worker died: resume it) with attempts left, else its oldest queued task
 * whose retry time (kept in `leaseExpiresAt`) has come. Each lookup walks the (jobId, status)
 * index in id order, so a claim costs the same with ten tasks or a million. Claiming increments
 * `attempts`.
 */
export function claimTaskSql(options: {
  owner: string;
  now: Date;
  leaseUntil: Date;
  dialect?: SqlDialect;
  defaultConcurrency?: number;
}): Prisma.Sql {
  const { owner, now, leaseUntil } = options;
  const dialect = options.dialect ?? sqlDialect();
  const lock = dialect === "postgres" ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
  const concurrency =
    dialect === "postgres"
      ? Prisma.sql`CAST(j."params" ->> 'concurrency' AS INTEGER)`
      : Prisma.sql`CAST(j."params" ->> '$.concurrency' AS INTEGER)`;
  return Prisma.sql`
    UPDATE "Task"
       SET "status" = 'running',
           "leaseOwner" = ${owner},
           "leaseExpiresAt" = ${leaseUntil},
           "heartbeatAt" = ${now},
           "attempts" = "attempts" + 1,
           "startedAt" = COALESCE("startedAt", ${now})
     WHERE "id" = (
       SELECT c."taskId" FROM (
         SELECT j."id" AS "jobId",
                COALESCE(
                  (SELECT t."id" FROM "Task" t
                    WHERE t."jobId" = j."id" AND t."status" = 'running' AND t."leaseExpiresAt" < ${now} AND t."attempts" < t."maxAttempts"
                    ORDER BY t."id" LIMIT 1 ${lock}),
                  (SELECT t."id" FROM "Task" t
                    WHERE t."jobId" = j."id" AND t."status" = 'queued' AND (t."leaseExpiresAt" IS NULL OR t."leaseExpiresAt" <= ${now})
                    ORDER BY t."id" LIMIT 1 ${lock})
                ) AS "taskId"
           FROM "Job" j
          WHERE j."status" IN ('queued', 'running')
            AND (SELECT COUNT(*) FROM "Task" r
                  WHERE r."jobId" = j."id" AND r."status" = 'running' AND r."leaseExpiresAt" >= ${now})
                < COALESCE(${concurrency}, ${options.defaultConcurrency ?? 4})
       ) c
        WHERE c."taskId" IS NOT NULL
        ORDER BY c."jobId"
        LIMIT 1)
    RETURNING "id", "jobId", "seedId", "attempts", "maxAttempts"`;
}

/** One multi-row INSERT of a job's tasks (queued, no attempts yet). */
export function insertTasksSql(jobId: number, seedIds: number[], maxAttempts: number, now: Date): Prisma.Sql {
  return Prisma.sql`INSERT INTO "Task" ("jobId", "seedId", "status", "attempts", "maxAttempts", "progress", "promptTokens", "completionTokens", "costUsd", "createdAt") VALUES ${Prisma.join(
    seedIds.map((seedId) => Prisma.sql`(${jobId}, ${seedId}, 'queued', 0, ${maxAttempts}, '{}', 0, 0, 0, ${now})`),
  )}`;
}

/** A JSON value as a statement parameter (PostgreSQL's jsonb wants the cast; SQLite stores text). */
export function jsonParam(value: unknown, dialect: SqlDialect = sqlDialect()): Prisma.Sql {
  const text = JSON.stringify(value ?? null);
  return dialect === "postgres" ? Prisma.sql`CAST(${text} AS jsonb)` : Prisma.sql`${text}`;
}

/** Ids of a job's rows in `table` with one of `runKeys` (the rows a re-run would otherwise repeat). */
export function rowsByRunKeySql(table: "Node" | "Response" | "Pair", jobId: number, runKeys: string[]): Prisma.Sql {
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
  dropReason: string | null;
  jobId: number;
  runKey: string;
};

/**
 * One multi-row INSERT … RETURNING for nodes (rows of one tree level: their parents exist). Rows
 * already stored under their (jobId, runKey) are skipped and not returned: the caller looks them up.
 */
export function insertNodesSql(rows: NodeRow[], now: Date, dialect: SqlDialect = sqlDialect()): Prisma.Sql {
  return Prisma.sql`INSERT INTO "Node" ("datasetId", "seedId", "parentId", "depth", "instruction", "constraints", "operation", "status", "dropReason", "jobId", "runKey", "createdAt") VALUES ${Prisma.join(
    rows.map(
      (r) =>
        Prisma.sql`(${r.datasetId}, ${r.seedId}, ${r.parentId}, ${r.depth}, ${r.instruction}, ${jsonParam(r.constraints, dialect)}, ${r.operation}, ${r.status}, ${r.dropReason}, ${r.jobId}, ${r.runKey}, ${now})`,
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
export function insertResponsesSql(rows: ResponseRow[], now: Date, dialect: SqlDialect = sqlDialect()): Prisma.Sql {
  return Prisma.sql`INSERT INTO "Response" ("nodeId", "text", "role", "provider", "model", "verification", "parentId", "jobId", "runKey", "createdAt") VALUES ${Prisma.join(
    rows.map(
      (r) =>
        Prisma.sql`(${r.nodeId}, ${r.text}, ${r.role}, ${r.provider}, ${r.model}, ${jsonParam(r.verification, dialect)}, ${r.parentId}, ${r.jobId}, ${r.runKey}, ${now})`,
    ),
  )} ON CONFLICT ("jobId", "runKey") DO NOTHING RETURNING "id", "runKey"`;
}

export type UsageDelta = { promptTokens: number; completionTokens: number; costUsd: number };

/**
 * Marks a task succeeded if `owner` still holds it (the ownership check that opens a task's
 * completing transaction), adding its usage. Affects 0 rows when the lease was lost.
 */
export function completeTaskSql(
  o: { taskId: number; owner: string; now: Date; usage: UsageDelta; progress?: unknown },
  dialect: SqlDialect = sqlDialect(),
): Prisma.Sql {
  const progress =
    o.progress === undefined ? Prisma.empty : Prisma.sql`, "progress" = ${jsonParam(o.progress, dialect)}`;
  return Prisma.sql`UPDATE "Task" SET "status" = 'succeeded', "finishedAt" = ${o.now}, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "error" = NULL,
      "promptTokens" = "promptTokens" + ${o.usage.promptTokens}, "completionTokens" = "completionTokens" + ${o.usage.completionTokens}, "costUsd" = "costUsd" + ${o.usage.costUsd}${progress}
    WHERE "id" = ${o.taskId} AND "leaseOwner" = ${o.owner} AND "status" = 'running'`;
}

/** Adds to a job's counters and returns them. */
export function bumpJobSql(o: { jobId: number; done?: number; failed?: number; usage: UsageDelta }): Prisma.Sql {
  return Prisma.sql`UPDATE "Job" SET "tasksDone" = "tasksDone" + ${o.done ?? 0}, "tasksFailed" = "tasksFailed" + ${o.failed ?? 0},
      "promptTokens" = "promptTokens" + ${o.usage.promptTokens}, "completionTokens" = "completionTokens" + ${o.usage.completionTokens}, "costUsd" = "costUsd" + ${o.usage.costUsd}
    WHERE "id" = ${o.jobId} RETURNING "tasksDone", "tasksFailed", "tasksTotal"`;
}

export type SeedForTaskRow = {
  id: number | bigint;
  instruction: string;
  input: string;
  referenceResponse: string | null;
  nodeId: number | bigint | null;
  constraints: unknown;
};

/** A task's seed with its depth-0 node (the oldest, if several), in one statement. */
export function seedForTaskSql(seedId: number): Prisma.Sql {
  return Prisma.sql`SELECT s."id", s."instruction", s."input", s."referenceResponse", n."id" AS "nodeId", n."constraints"
    FROM "Seed" s LEFT JOIN "Node" n ON n."seedId" = s."id" AND n."depth" = 0 AND n."jobId" IS NULL
    WHERE s."id" = ${seedId} ORDER BY n."id" LIMIT 1`;
}
