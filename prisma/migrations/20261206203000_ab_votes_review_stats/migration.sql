-- AlterTable
ALTER TABLE "Review" ADD COLUMN "choice" TEXT;
ALTER TABLE "Review" ADD COLUMN "leftResponseId" INTEGER;
ALTER TABLE "Review" ADD COLUMN "rightResponseId" INTEGER;
ALTER TABLE "Review" ADD COLUMN "strength" TEXT;

-- CreateTable
CREATE TABLE "ReviewStats" (
    "datasetId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "computedAt" DATETIME NOT NULL,
    "data" JSONB NOT NULL,
    CONSTRAINT "ReviewStats_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

