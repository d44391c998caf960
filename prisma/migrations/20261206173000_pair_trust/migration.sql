-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Pair" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "datasetId" INTEGER NOT NULL,
    "nodeId" INTEGER NOT NULL,
    "chosenId" INTEGER NOT NULL,
    "rejectedId" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "edited" BOOLEAN NOT NULL DEFAULT false,
    "swapped" BOOLEAN NOT NULL DEFAULT false,
    "round" INTEGER NOT NULL DEFAULT 1,
    "override" BOOLEAN NOT NULL DEFAULT false,
    "verdicts" JSONB,
    "chosenOutcome" TEXT NOT NULL DEFAULT 'unknown',
    "rejectedOutcome" TEXT NOT NULL DEFAULT 'unknown',
    "rejectedFailsNew" BOOLEAN NOT NULL DEFAULT false,
    "hasUnknown" BOOLEAN NOT NULL DEFAULT false,
    "newConstraintIds" TEXT NOT NULL DEFAULT '',
    "lengthRatio" REAL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "depth" INTEGER NOT NULL DEFAULT 0,
    "reviewCount" INTEGER NOT NULL DEFAULT 0,
    "hardNegative" BOOLEAN,
    "constraintIds" TEXT NOT NULL DEFAULT '',
    "metadata" JSONB NOT NULL,
    "jobId" INTEGER,
    "runKey" TEXT,
    "claimedById" INTEGER,
    "claimedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Pair_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Pair_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Pair_chosenId_fkey" FOREIGN KEY ("chosenId") REFERENCES "Response" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Pair_rejectedId_fkey" FOREIGN KEY ("rejectedId") REFERENCES "Response" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Pair_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Pair_claimedById_fkey" FOREIGN KEY ("claimedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Pair" ("chosenId", "claimedById", "claimedUntil", "constraintIds", "createdAt", "datasetId", "depth", "hardNegative", "id", "jobId", "metadata", "method", "nodeId", "rejectedId", "reviewCount", "runKey", "status", "updatedAt", "version") SELECT "chosenId", "claimedById", "claimedUntil", "constraintIds", "createdAt", "datasetId", "depth", "hardNegative", "id", "jobId", "metadata", "method", "nodeId", "rejectedId", "reviewCount", "runKey", "status", "updatedAt", "version" FROM "Pair";
DROP TABLE "Pair";
ALTER TABLE "new_Pair" RENAME TO "Pair";
CREATE INDEX "Pair_datasetId_status_id_idx" ON "Pair"("datasetId", "status", "id");
CREATE INDEX "Pair_datasetId_method_id_idx" ON "Pair"("datasetId", "method", "id");
CREATE INDEX "Pair_datasetId_depth_id_idx" ON "Pair"("datasetId", "depth", "id");
CREATE INDEX "Pair_datasetId_id_idx" ON "Pair"("datasetId", "id");
CREATE INDEX "Pair_nodeId_idx" ON "Pair"("nodeId");
CREATE INDEX "Pair_claimedUntil_idx" ON "Pair"("claimedUntil");
CREATE INDEX "Pair_datasetId_lengthRatio_idx" ON "Pair"("datasetId", "lengthRatio");
CREATE UNIQUE INDEX "Pair_jobId_runKey_key" ON "Pair"("jobId", "runKey");
CREATE TABLE "new_Review" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pairId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'vote',
    "round" INTEGER NOT NULL DEFAULT 1,
    "override" BOOLEAN NOT NULL DEFAULT false,
    "migrated" BOOLEAN NOT NULL DEFAULT false,
    "editedPrompt" TEXT,
    "editedChosen" TEXT,
    "editedRejected" TEXT,
    "reason" TEXT,
    "reasonText" TEXT,
    "pairVersion" INTEGER NOT NULL,
    "shownAt" DATETIME NOT NULL,
    "decidedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" INTEGER NOT NULL,
    CONSTRAINT "Review_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "Pair" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Review_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Review" ("decidedAt", "decision", "durationMs", "editedChosen", "editedPrompt", "editedRejected", "id", "pairId", "pairVersion", "reason", "reasonText", "shownAt", "userId") SELECT "decidedAt", "decision", "durationMs", "editedChosen", "editedPrompt", "editedRejected", "id", "pairId", "pairVersion", "reason", "reasonText", "shownAt", "userId" FROM "Review";
DROP TABLE "Review";
ALTER TABLE "new_Review" RENAME TO "Review";
CREATE INDEX "Review_pairId_id_idx" ON "Review"("pairId", "id");
CREATE INDEX "Review_userId_decidedAt_idx" ON "Review"("userId", "decidedAt");
CREATE INDEX "Review_userId_pairId_idx" ON "Review"("userId", "pairId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Data: the life of a pair (DESIGN.md). Review kinds from the old decisions.
UPDATE "Review" SET "kind" = CASE
  WHEN "decision" IN ('edit', 'swap') THEN 'change'
  WHEN "decision" = 'skip' THEN 'skip'
  WHEN "reason" = 'bulk' THEN 'decision'
  ELSE 'vote' END;

-- An old edit was also an accept vote: record that vote, by the editor, dated at the edit, marked migrated.
INSERT INTO "Review" ("pairId", "userId", "decision", "kind", "round", "override", "migrated", "pairVersion", "shownAt", "decidedAt", "durationMs")
SELECT "pairId", "userId", 'accept', 'vote', 1, false, true, "pairVersion", "shownAt", "decidedAt", 0
  FROM "Review" WHERE "decision" = 'edit';

-- `edited` is a flag now; an odd number of swaps leaves the pair swapped.
UPDATE "Pair" SET "edited" = true
 WHERE EXISTS (SELECT 1 FROM "Review" r WHERE r."pairId" = "Pair"."id" AND r."decision" = 'edit');
UPDATE "Pair" SET "swapped" = true
 WHERE (SELECT COUNT(*) FROM "Review" r WHERE r."pairId" = "Pair"."id" AND r."decision" = 'swap') % 2 = 1;
UPDATE "Pair" SET "status" = 'accepted' WHERE "status" = 'edited';

-- PairCount: the edited pairs are counted as accepted.
INSERT INTO "PairCount" ("datasetId", "status", "count")
SELECT "datasetId", 'accepted', "count" FROM "PairCount" WHERE "status" = 'edited' AND "count" <> 0
ON CONFLICT ("datasetId", "status") DO UPDATE SET "count" = "PairCount"."count" + excluded."count";
DELETE FROM "PairCount" WHERE "status" = 'edited';
