-- CreateTable
CREATE TABLE "PairCount" (
    "datasetId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("datasetId", "status"),
    CONSTRAINT "PairCount_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Review_userId_pairId_idx" ON "Review"("userId", "pairId");
