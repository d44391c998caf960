-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "choice" TEXT,
ADD COLUMN     "leftResponseId" INTEGER,
ADD COLUMN     "rightResponseId" INTEGER,
ADD COLUMN     "strength" TEXT;

-- CreateTable
CREATE TABLE "ReviewStats" (
    "datasetId" INTEGER NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "ReviewStats_pkey" PRIMARY KEY ("datasetId")
);

-- AddForeignKey
ALTER TABLE "ReviewStats" ADD CONSTRAINT "ReviewStats_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;
