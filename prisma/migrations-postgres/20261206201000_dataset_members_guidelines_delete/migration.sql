-- DropForeignKey
ALTER TABLE "Job" DROP CONSTRAINT "Job_datasetId_fkey";

-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN     "deletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "guidelineVersion" INTEGER;

-- CreateTable
CREATE TABLE "DatasetMember" (
    "datasetId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "addedById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetMember_pkey" PRIMARY KEY ("datasetId","userId")
);

-- CreateTable
CREATE TABLE "GuidelineVersion" (
    "id" SERIAL NOT NULL,
    "datasetId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "authorId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GuidelineVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DatasetMember_userId_idx" ON "DatasetMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "GuidelineVersion_datasetId_version_key" ON "GuidelineVersion"("datasetId", "version");

-- AddForeignKey
ALTER TABLE "DatasetMember" ADD CONSTRAINT "DatasetMember_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetMember" ADD CONSTRAINT "DatasetMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetMember" ADD CONSTRAINT "DatasetMember_addedById_fkey" FOREIGN KEY ("addedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuidelineVersion" ADD CONSTRAINT "GuidelineVersion_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuidelineVersion" ADD CONSTRAINT "GuidelineVersion_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfills: the same portable statements as the SQLite migration
-- Backfill (idempotent): annotators who have reviewed a dataset become its members, so their work keeps working.
INSERT INTO "DatasetMember" ("datasetId", "userId", "createdAt")
SELECT DISTINCT p."datasetId", r."userId", CURRENT_TIMESTAMP
FROM "Review" r
JOIN "Pair" p ON p."id" = r."pairId"
JOIN "User" u ON u."id" = r."userId"
WHERE u."role" = 'annotator'
  AND NOT EXISTS (
    SELECT 1 FROM "DatasetMember" m WHERE m."datasetId" = p."datasetId" AND m."userId" = r."userId"
  );

-- Backfill (idempotent): today's guidelines become version 1 of each dataset that has some.
INSERT INTO "GuidelineVersion" ("datasetId", "version", "text", "createdAt")
SELECT d."id", 1, d."guidelines", d."updatedAt" FROM "Dataset" d
WHERE d."guidelines" <> ''
  AND NOT EXISTS (SELECT 1 FROM "GuidelineVersion" g WHERE g."datasetId" = d."id");
