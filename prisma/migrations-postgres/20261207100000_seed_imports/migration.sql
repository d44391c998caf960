-- AlterTable
ALTER TABLE "Seed" ADD COLUMN     "importId" INTEGER;

-- CreateTable
CREATE TABLE "SeedImport" (
    "id" SERIAL NOT NULL,
    "datasetId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "holder" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "fileName" TEXT,
    "sha256" TEXT NOT NULL,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SeedImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SeedImport_status_leaseUntil_idx" ON "SeedImport"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "SeedImport_datasetId_idx" ON "SeedImport"("datasetId");

-- CreateIndex
CREATE INDEX "Seed_importId_idx" ON "Seed"("importId");

-- AddForeignKey
ALTER TABLE "Seed" ADD CONSTRAINT "Seed_importId_fkey" FOREIGN KEY ("importId") REFERENCES "SeedImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeedImport" ADD CONSTRAINT "SeedImport_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;
