-- AlterTable
ALTER TABLE "Node" ADD COLUMN     "rawReply" TEXT;

-- Backfill "M decided today" (ReviewerCount.decidedToday) with the votes cast today before the
-- counters existed (the counters' first backfill left every reviewer at 0). A vote counts on the
-- day it is cast when it is the reviewer's first vote on the pair in that round, as countVoters in
-- lib/review/queue-counts.ts counts. Idempotent: it recomputes today's count from the votes.
INSERT INTO "ReviewerCount" ("datasetId", "userId", "waiting", "day", "decidedToday")
SELECT "f"."datasetId", "f"."userId", 0, to_char(timezone('UTC', CURRENT_TIMESTAMP), 'YYYY-MM-DD'), COUNT(*)
FROM (
  SELECT "p"."datasetId" AS "datasetId", "v"."userId" AS "userId"
  FROM "Review" "v" JOIN "Pair" "p" ON "p"."id" = "v"."pairId"
  WHERE "v"."kind" = 'vote'
  GROUP BY "p"."datasetId", "v"."userId", "v"."pairId", "v"."round"
  HAVING MIN("v"."decidedAt") >= CAST(timezone('UTC', CURRENT_TIMESTAMP) AS DATE)
) "f"
WHERE true
GROUP BY "f"."datasetId", "f"."userId"
ON CONFLICT ("datasetId", "userId") DO UPDATE SET "day" = excluded."day", "decidedToday" = excluded."decidedToday";
