-- AlterTable
ALTER TABLE "Review" ADD COLUMN "choice" TEXT;
ALTER TABLE "Review" ADD COLUMN "leftResponseId" INTEGER;
ALTER TABLE "Review" ADD COLUMN "rightResponseId" INTEGER;
ALTER TABLE "Review" ADD COLUMN "strength" TEXT;

