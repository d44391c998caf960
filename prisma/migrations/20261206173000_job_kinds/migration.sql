-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Job" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL DEFAULT 'generation',
    "datasetId" INTEGER,
    "pipeline" TEXT,
    "params" JSONB NOT NULL,
    "models" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "createdById" INTEGER,
    "tasksTotal" INTEGER NOT NULL DEFAULT 0,
    "tasksDone" INTEGER NOT NULL DEFAULT 0,
    "tasksFailed" INTEGER NOT NULL DEFAULT 0,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "error" TEXT,
    "cancelRequestedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Job_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Job_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Job" ("cancelRequestedAt", "completionTokens", "costUsd", "createdAt", "createdById", "datasetId", "error", "finishedAt", "id", "models", "params", "pipeline", "promptTokens", "startedAt", "status", "tasksDone", "tasksFailed", "tasksTotal") SELECT "cancelRequestedAt", "completionTokens", "costUsd", "createdAt", "createdById", "datasetId", "error", "finishedAt", "id", "models", "params", "pipeline", "promptTokens", "startedAt", "status", "tasksDone", "tasksFailed", "tasksTotal" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE INDEX "Job_datasetId_id_idx" ON "Job"("datasetId", "id");
CREATE INDEX "Job_kind_id_idx" ON "Job"("kind", "id");
CREATE INDEX "Job_status_idx" ON "Job"("status");
CREATE TABLE "new_Task" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "jobId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'generation',
    "seedId" INTEGER,
    "payload" JSONB,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 3,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "heartbeatAt" DATETIME,
    "progress" JSONB NOT NULL,
    "error" TEXT,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Task_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Task_seedId_fkey" FOREIGN KEY ("seedId") REFERENCES "Seed" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Task" ("attempts", "completionTokens", "costUsd", "createdAt", "error", "finishedAt", "heartbeatAt", "id", "jobId", "leaseExpiresAt", "leaseOwner", "maxAttempts", "progress", "promptTokens", "seedId", "startedAt", "status") SELECT "attempts", "completionTokens", "costUsd", "createdAt", "error", "finishedAt", "heartbeatAt", "id", "jobId", "leaseExpiresAt", "leaseOwner", "maxAttempts", "progress", "promptTokens", "seedId", "startedAt", "status" FROM "Task";
DROP TABLE "Task";
ALTER TABLE "new_Task" RENAME TO "Task";
CREATE INDEX "Task_status_leaseExpiresAt_idx" ON "Task"("status", "leaseExpiresAt");
CREATE INDEX "Task_jobId_status_idx" ON "Task"("jobId", "status");
CREATE UNIQUE INDEX "Task_jobId_seedId_key" ON "Task"("jobId", "seedId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

