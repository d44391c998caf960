-- DropIndex
DROP INDEX "Task_jobId_status_idx";

-- CreateIndex
CREATE INDEX "Task_jobId_status_id_idx" ON "Task"("jobId", "status", "id");

-- PostgreSQL only: a task claim in ONE round trip (lib/db/job-sql.ts, claimTaskRow).
--
-- Claims must see every claim committed before them, or two workers could both take the last
-- slot of a job's concurrency. lib/db/job-sql.ts calls this function with a first argument that
-- takes the claim's advisory lock: the lock is held before the function runs, and a VOLATILE SQL
-- function takes a fresh snapshot for its statement (READ COMMITTED), so the count of live leases
-- below includes every claim committed before the lock was granted. The lock is released when the
-- calling statement's transaction ends (autocommit: right after it).
--
-- The statement is SQLite's (lib/db/job-sql.ts claimTaskSql) plus FOR UPDATE SKIP LOCKED, so
-- claimers skip rows a completing transaction holds: change both together (the tests of lib/jobs
-- run on both databases, lib/jobs/claim-cap.test.ts under concurrent claims).
CREATE FUNCTION "ecd_claim_task"(
  "p_lock_taken" INTEGER,
  "p_owner" TEXT,
  "p_now" TIMESTAMP(3),
  "p_lease_until" TIMESTAMP(3),
  "p_default_concurrency" INTEGER
) RETURNS SETOF "Task" LANGUAGE sql VOLATILE AS $$
    UPDATE "Task"
       SET "status" = 'running',
           "leaseOwner" = "p_owner",
           "leaseExpiresAt" = "p_lease_until",
           "heartbeatAt" = "p_now",
           "attempts" = "attempts" + 1,
           "startedAt" = COALESCE("startedAt", "p_now")
     WHERE "id" = (
       SELECT c."taskId" FROM (
         SELECT j."id" AS "jobId",
                COALESCE(
                  (SELECT t."id" FROM "Task" t
                    WHERE t."jobId" = j."id" AND t."status" = 'running' AND t."leaseExpiresAt" < "p_now" AND t."attempts" < t."maxAttempts"
                    ORDER BY t."id" LIMIT 1 FOR UPDATE SKIP LOCKED),
                  (SELECT t."id" FROM "Task" t
                    WHERE t."jobId" = j."id" AND t."status" = 'queued' AND (t."leaseExpiresAt" IS NULL OR t."leaseExpiresAt" <= "p_now")
                    ORDER BY t."id" LIMIT 1 FOR UPDATE SKIP LOCKED)
                ) AS "taskId"
           FROM "Job" j
          WHERE j."status" IN ('queued', 'running')
            AND (SELECT COUNT(*) FROM "Task" r
                  WHERE r."jobId" = j."id" AND r."status" = 'running' AND r."leaseExpiresAt" >= "p_now")
                < COALESCE(CAST(j."params" ->> 'concurrency' AS INTEGER), "p_default_concurrency")
       ) c
        WHERE c."taskId" IS NOT NULL
        ORDER BY c."jobId"
        LIMIT 1)
    RETURNING *
$$;
