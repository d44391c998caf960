-- CreateTable
CREATE TABLE "ExportFile" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "exportId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    CONSTRAINT "ExportFile_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "Export" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Export" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "datasetId" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "filters" JSONB NOT NULL,
    "counts" JSONB NOT NULL,
    "sha256" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL DEFAULT 0,
    "fileName" TEXT NOT NULL,
    "manifest" JSONB NOT NULL,
    "appVersion" TEXT NOT NULL,
    "dir" TEXT NOT NULL DEFAULT '',
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Export_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Export_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Export" ("appVersion", "byteSize", "counts", "createdAt", "createdById", "datasetId", "fileName", "filters", "format", "id", "manifest", "sha256") SELECT "appVersion", "byteSize", "counts", "createdAt", "createdById", "datasetId", "fileName", "filters", "format", "id", "manifest", "sha256" FROM "Export";
DROP TABLE "Export";
ALTER TABLE "new_Export" RENAME TO "Export";
CREATE INDEX "Export_datasetId_id_idx" ON "Export"("datasetId", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ExportFile_exportId_name_key" ON "ExportFile"("exportId", "name");

