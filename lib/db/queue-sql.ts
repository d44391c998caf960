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
 * UPDATE … WHERE id = (SELECT the oldest claimable task) RETURNING …
 *
 * A task is claimable when its job is queued or running, the job has fewer live leases than its
 * `params.concurrency` (default 4), and the task is either queued (and its retry time, kept in
 * `leaseExpiresAt`, has come) or running with an expired lease (its worker died: resume) and has
 * attempts left. Claiming increments `attempts`.
 */
export function claimTaskSql(options: { owner: string; now: Date; leaseUntil: Date; dialect?: SqlDialect; defaultConcurrency?: number }): Prisma.Sql {
  const { owner, now, leaseUntil } = options;
  const dialect = options.dialect ?? sqlDialect();
  const lock = dialect === "postgres" ? Prisma.sql`FOR UPDATE OF t SKIP LOCKED` : Prisma.empty;
  const concurrency = dialect === "postgres" ? Prisma.sql`CAST(j."params" ->> 'concurrency' AS INTEGER)` : Prisma.sql`CAST(j."params" ->> '$.concurrency' AS INTEGER)`;
  return Prisma.sql`
    UPDATE "Task"
       SET "status" = 'running',
           "leaseOwner" = ${owner},
           "leaseExpiresAt" = ${leaseUntil},
           "heartbeatAt" = ${now},
           "attempts" = "attempts" + 1,
           "startedAt" = COALESCE("startedAt", ${now})
     WHERE "id" = (
       SELECT t."id" FROM "Task" t
        WHERE t."jobId" IN (
                SELECT j."id" FROM "Job" j
                 WHERE j."status" IN ('queued', 'running')
                   AND (SELECT COUNT(*) FROM "Task" r
                         WHERE r."jobId" = j."id" AND r."status" = 'running' AND r."leaseExpiresAt" >= ${now})
                       < COALESCE(${concurrency}, ${options.defaultConcurrency ?? 4}))
          AND (   (t."status" = 'queued' AND (t."leaseExpiresAt" IS NULL OR t."leaseExpiresAt" <= ${now}))
               OR (t."status" = 'running' AND t."leaseExpiresAt" < ${now} AND t."attempts" < t."maxAttempts"))
        ORDER BY t."id"
        LIMIT 1
        ${lock})
    RETURNING "id", "jobId", "seedId", "attempts", "maxAttempts"`;
}
