-- AlterTable
ALTER TABLE "Node" ADD COLUMN     "contaminated" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Pair" ADD COLUMN     "contaminated" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Seed" ADD COLUMN     "contaminated" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Contamination" (
    "id" SERIAL NOT NULL,
    "datasetId" INTEGER NOT NULL,
    "seedId" INTEGER,
    "nodeId" INTEGER,
    "pairId" INTEGER,
    "setId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "overlap" DOUBLE PRECISION NOT NULL,
    "exact" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" INTEGER,

    CONSTRAINT "Contamination_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE INDEX "Pair_datasetId_contaminated_id_idx" ON "Pair"("datasetId", "contaminated", "id");

-- AddForeignKey
ALTER TABLE "Contamination" ADD CONSTRAINT "Contamination_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contamination" ADD CONSTRAINT "Contamination_seedId_fkey" FOREIGN KEY ("seedId") REFERENCES "Seed"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contamination" ADD CONSTRAINT "Contamination_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contamination" ADD CONSTRAINT "Contamination_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "Pair"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contamination" ADD CONSTRAINT "Contamination_setId_fkey" FOREIGN KEY ("setId") REFERENCES "BenchmarkSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contamination" ADD CONSTRAINT "Contamination_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
