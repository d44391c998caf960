-- CreateTable
CREATE TABLE "SeedImport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "datasetId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "holder" TEXT NOT NULL,
    "leaseUntil" DATETIME NOT NULL,
    "fileName" TEXT,
    "sha256" TEXT NOT NULL,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "SeedImport_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "importId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Seed_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Seed_importId_fkey" FOREIGN KEY ("importId") REFERENCES "SeedImport" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Seed" ("contaminated", "contentHash", "createdAt", "datasetId", "externalId", "id", "input", "instruction", "metadata", "referenceResponse", "source") SELECT "contaminated", "contentHash", "createdAt", "datasetId", "externalId", "id", "input", "instruction", "metadata", "referenceResponse", "source" FROM "Seed";
DROP TABLE "Seed";
ALTER TABLE "new_Seed" RENAME TO "Seed";
CREATE INDEX "Seed_datasetId_id_idx" ON "Seed"("datasetId", "id");
CREATE INDEX "Seed_importId_idx" ON "Seed"("importId");
CREATE UNIQUE INDEX "Seed_datasetId_contentHash_key" ON "Seed"("datasetId", "contentHash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SeedImport_status_leaseUntil_idx" ON "SeedImport"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "SeedImport_datasetId_idx" ON "SeedImport"("datasetId");

-- Redefining "Seed" dropped its full-text triggers (20261207000410_full_text_search): the same three again.
-- The index itself is intact: every row kept its id and its instruction.
CREATE TRIGGER "SeedSearch_insert" AFTER INSERT ON "Seed" BEGIN
  INSERT INTO "SeedSearch" (rowid, "instruction") VALUES (new."id", new."instruction");
END;

CREATE TRIGGER "SeedSearch_delete" AFTER DELETE ON "Seed" BEGIN
  INSERT INTO "SeedSearch" ("SeedSearch", rowid, "instruction") VALUES ('delete', old."id", old."instruction");
END;

CREATE TRIGGER "SeedSearch_update" AFTER UPDATE OF "instruction" ON "Seed" BEGIN
  INSERT INTO "SeedSearch" ("SeedSearch", rowid, "instruction") VALUES ('delete', old."id", old."instruction");
  INSERT INTO "SeedSearch" (rowid, "instruction") VALUES (new."id", new."instruction");
END;
