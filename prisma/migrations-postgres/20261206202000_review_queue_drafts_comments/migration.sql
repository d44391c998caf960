-- AlterTable
ALTER TABLE "Pair" ADD COLUMN     "commentCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ReviewerCount" (
    "datasetId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "waiting" INTEGER NOT NULL DEFAULT 0,
    "day" TEXT NOT NULL DEFAULT '',
    "decidedToday" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReviewerCount_pkey" PRIMARY KEY ("datasetId","userId")
);

-- CreateTable
CREATE TABLE "ReviewDraft" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "pairId" INTEGER NOT NULL,
    "pairVersion" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "chosen" TEXT NOT NULL,
    "rejected" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReviewDraft_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PairComment" (
    "id" SERIAL NOT NULL,
    "pairId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PairComment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReviewDraft_userId_pairId_key" ON "ReviewDraft"("userId", "pairId");

-- CreateIndex
CREATE INDEX "PairComment_pairId_id_idx" ON "PairComment"("pairId", "id");

-- AddForeignKey
ALTER TABLE "ReviewerCount" ADD CONSTRAINT "ReviewerCount_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewerCount" ADD CONSTRAINT "ReviewerCount_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewDraft" ADD CONSTRAINT "ReviewDraft_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewDraft" ADD CONSTRAINT "ReviewDraft_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "Pair"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PairComment" ADD CONSTRAINT "PairComment_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "Pair"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PairComment" ADD CONSTRAINT "PairComment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfills: the same portable statements as the SQLite migration
-- Backfill: each reviewer's votes and skips in the current round of pending pairs (idempotent: only new rows).
INSERT INTO "ReviewerCount" ("datasetId", "userId", "waiting", "day", "decidedToday")
SELECT "p"."datasetId", "v"."userId", COUNT(DISTINCT "p"."id"), '', 0
FROM "Review" "v" JOIN "Pair" "p" ON "p"."id" = "v"."pairId"
WHERE "p"."status" = 'pending' AND "v"."kind" IN ('vote', 'skip') AND "v"."round" = "p"."round"
  AND NOT EXISTS (SELECT 1 FROM "ReviewerCount" "c" WHERE "c"."datasetId" = "p"."datasetId" AND "c"."userId" = "v"."userId")
GROUP BY "p"."datasetId", "v"."userId";
