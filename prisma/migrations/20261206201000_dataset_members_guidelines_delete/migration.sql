-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN "deletedAt" DATETIME;

-- AlterTable
ALTER TABLE "Review" ADD COLUMN "guidelineVersion" INTEGER;

-- CreateTable
CREATE TABLE "DatasetMember" (
    "datasetId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "addedById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("datasetId", "userId"),
    CONSTRAINT "DatasetMember_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DatasetMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DatasetMember_addedById_fkey" FOREIGN KEY ("addedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GuidelineVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "datasetId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "authorId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GuidelineVersion_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GuidelineVersion_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

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
    CONSTRAINT "Job_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Job_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Job" ("cancelRequestedAt", "completionTokens", "costUsd", "createdAt", "createdById", "datasetId", "error", "finishedAt", "id", "kind", "models", "params", "pipeline", "promptTokens", "startedAt", "status", "tasksDone", "tasksFailed", "tasksTotal") SELECT "cancelRequestedAt", "completionTokens", "costUsd", "createdAt", "createdById", "datasetId", "error", "finishedAt", "id", "kind", "models", "params", "pipeline", "promptTokens", "startedAt", "status", "tasksDone", "tasksFailed", "tasksTotal" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE INDEX "Job_datasetId_id_idx" ON "Job"("datasetId", "id");
CREATE INDEX "Job_kind_id_idx" ON "Job"("kind", "id");
CREATE INDEX "Job_status_idx" ON "Job"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "DatasetMember_userId_idx" ON "DatasetMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "GuidelineVersion_datasetId_version_key" ON "GuidelineVersion"("datasetId", "version");


-- Backfill (idempotent): annotators who have reviewed a dataset become its members, so their work keeps working.
INSERT INTO "DatasetMember" ("datasetId", "userId", "createdAt")
SELECT DISTINCT p."datasetId", r."userId", CURRENT_TIMESTAMP
FROM "Review" r
JOIN "Pair" p ON p."id" = r."pairId"
JOIN "User" u ON u."id" = r."userId"
WHERE u."role" = 'annotator'
  AND NOT EXISTS (
    SELECT 1 FROM "DatasetMember" m WHERE m."datasetId" = p."datasetId" AND m."userId" = r."userId"
  );

-- Backfill (idempotent): today's guidelines become version 1 of each dataset that has some.
INSERT INTO "GuidelineVersion" ("datasetId", "version", "text", "createdAt")
SELECT d."id", 1, d."guidelines", d."updatedAt" FROM "Dataset" d
WHERE d."guidelines" <> ''
  AND NOT EXISTS (SELECT 1 FROM "GuidelineVersion" g WHERE g."datasetId" = d."id");
