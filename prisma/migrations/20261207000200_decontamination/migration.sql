-- CreateTable
CREATE TABLE "Contamination" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "datasetId" INTEGER NOT NULL,
    "seedId" INTEGER,
    "nodeId" INTEGER,
    "pairId" INTEGER,
    "setId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "overlap" REAL NOT NULL,
    "exact" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" INTEGER,
    CONSTRAINT "Contamination_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Contamination_seedId_fkey" FOREIGN KEY ("seedId") REFERENCES "Seed" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Contamination_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Contamination_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "Pair" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Contamination_setId_fkey" FOREIGN KEY ("setId") REFERENCES "BenchmarkSet" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Contamination_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Node" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "datasetId" INTEGER NOT NULL,
    "seedId" INTEGER NOT NULL,
    "parentId" INTEGER,
    "depth" INTEGER NOT NULL,
    "instruction" TEXT NOT NULL,
    "constraints" JSONB NOT NULL,
    "operation" TEXT,
    "status" TEXT NOT NULL DEFAULT 'kept',
    "dropCode" TEXT,
    "dropReason" TEXT,
    "rawReply" TEXT,
    "jobId" INTEGER,
    "runKey" TEXT,
    "contaminated" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Node_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Node_seedId_fkey" FOREIGN KEY ("seedId") REFERENCES "Seed" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Node_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Node" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Node_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Node" ("constraints", "createdAt", "datasetId", "depth", "dropCode", "dropReason", "id", "instruction", "jobId", "operation", "parentId", "rawReply", "runKey", "seedId", "status") SELECT "constraints", "createdAt", "datasetId", "depth", "dropCode", "dropReason", "id", "instruction", "jobId", "operation", "parentId", "rawReply", "runKey", "seedId", "status" FROM "Node";
DROP TABLE "Node";
ALTER TABLE "new_Node" RENAME TO "Node";
CREATE INDEX "Node_seedId_depth_idx" ON "Node"("seedId", "depth");
CREATE INDEX "Node_datasetId_id_idx" ON "Node"("datasetId", "id");
CREATE INDEX "Node_parentId_idx" ON "Node"("parentId");
CREATE UNIQUE INDEX "Node_jobId_runKey_key" ON "Node"("jobId", "runKey");
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
    "commentCount" INTEGER NOT NULL DEFAULT 0,
    "contaminated" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Pair_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Pair_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Pair_chosenId_fkey" FOREIGN KEY ("chosenId") REFERENCES "Response" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Pair_rejectedId_fkey" FOREIGN KEY ("rejectedId") REFERENCES "Response" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Pair_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Pair_claimedById_fkey" FOREIGN KEY ("claimedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Pair" ("chosenId", "chosenOutcome", "claimedById", "claimedUntil", "commentCount", "constraintIds", "createdAt", "datasetId", "depth", "edited", "hardNegative", "hasUnknown", "id", "jobId", "lengthRatio", "metadata", "method", "newConstraintIds", "nodeId", "override", "rejectedFailsNew", "rejectedId", "rejectedOutcome", "reviewCount", "round", "runKey", "status", "swapped", "updatedAt", "verdicts", "version") SELECT "chosenId", "chosenOutcome", "claimedById", "claimedUntil", "commentCount", "constraintIds", "createdAt", "datasetId", "depth", "edited", "hardNegative", "hasUnknown", "id", "jobId", "lengthRatio", "metadata", "method", "newConstraintIds", "nodeId", "override", "rejectedFailsNew", "rejectedId", "rejectedOutcome", "reviewCount", "round", "runKey", "status", "swapped", "updatedAt", "verdicts", "version" FROM "Pair";
DROP TABLE "Pair";
ALTER TABLE "new_Pair" RENAME TO "Pair";
CREATE INDEX "Pair_datasetId_status_id_idx" ON "Pair"("datasetId", "status", "id");
CREATE INDEX "Pair_datasetId_method_id_idx" ON "Pair"("datasetId", "method", "id");
CREATE INDEX "Pair_datasetId_depth_id_idx" ON "Pair"("datasetId", "depth", "id");
CREATE INDEX "Pair_datasetId_id_idx" ON "Pair"("datasetId", "id");
CREATE INDEX "Pair_nodeId_idx" ON "Pair"("nodeId");
CREATE INDEX "Pair_claimedUntil_idx" ON "Pair"("claimedUntil");
CREATE INDEX "Pair_datasetId_lengthRatio_idx" ON "Pair"("datasetId", "lengthRatio");
CREATE INDEX "Pair_datasetId_contaminated_id_idx" ON "Pair"("datasetId", "contaminated", "id");
CREATE UNIQUE INDEX "Pair_jobId_runKey_key" ON "Pair"("jobId", "runKey");
CREATE TABLE "new_Seed" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "datasetId" INTEGER NOT NULL,
    "externalId" TEXT,
    "instruction" TEXT NOT NULL,
    "input" TEXT NOT NULL DEFAULT '',
    "referenceResponse" TEXT,
    "contentHash" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "metadata" JSONB NOT NULL,
    "contaminated" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Seed_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Seed" ("contentHash", "createdAt", "datasetId", "externalId", "id", "input", "instruction", "metadata", "referenceResponse", "source") SELECT "contentHash", "createdAt", "datasetId", "externalId", "id", "input", "instruction", "metadata", "referenceResponse", "source" FROM "Seed";
DROP TABLE "Seed";
ALTER TABLE "new_Seed" RENAME TO "Seed";
CREATE INDEX "Seed_datasetId_id_idx" ON "Seed"("datasetId", "id");
CREATE UNIQUE INDEX "Seed_datasetId_contentHash_key" ON "Seed"("datasetId", "contentHash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Contamination_datasetId_setId_idx" ON "Contamination"("datasetId", "setId");

-- CreateIndex
CREATE INDEX "Contamination_setId_idx" ON "Contamination"("setId");

-- CreateIndex
CREATE UNIQUE INDEX "Contamination_seedId_setId_key" ON "Contamination"("seedId", "setId");

-- CreateIndex
CREATE UNIQUE INDEX "Contamination_nodeId_setId_key" ON "Contamination"("nodeId", "setId");

-- CreateIndex
CREATE UNIQUE INDEX "Contamination_pairId_setId_key" ON "Contamination"("pairId", "setId");
