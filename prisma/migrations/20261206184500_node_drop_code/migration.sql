-- AlterTable
ALTER TABLE "Node" ADD COLUMN "dropCode" TEXT;

-- Backfill: the code of every dropped node from the detail text the pipelines wrote before codes
-- existed (lib/evolution/drop-reasons.ts); prefixes that now are the code are cut from the detail.
-- Idempotent: only rows without a code are touched.
UPDATE "Node" SET "dropCode" = CASE
    WHEN "dropReason" LIKE 'evolver failed: %' THEN 'evolver_failed'
    WHEN "dropReason" = 'the evolved instruction is empty' THEN 'empty_instruction'
    WHEN "dropReason" = 'equal to its parent instruction' THEN 'equal_to_parent'
    WHEN "dropReason" LIKE 'leaks template words%' THEN 'template_leak'
    WHEN "dropReason" = 'adds no requirement' OR "dropReason" LIKE 'operation add_verifiable added no%' THEN 'no_new_requirement'
    WHEN "dropReason" LIKE 'constraint #% conflicts with earlier constraint%' THEN 'constraint_conflict'
    WHEN "dropReason" LIKE 'constraint #%' THEN 'invalid_constraint'
    WHEN "dropReason" LIKE 'responder failed: %' THEN 'responder_failed'
    WHEN "dropReason" LIKE 'content\_lost: %' ESCAPE '\' THEN 'content_lost'
    WHEN "dropReason" LIKE 'fragment\_inserted: %' ESCAPE '\' THEN 'fragment_inserted'
    WHEN "dropReason" LIKE 'chosen response fails%' THEN 'chosen_fails'
    WHEN "dropReason" LIKE 'rejected response %' THEN 'rejected_not_negative'
    WHEN "dropReason" LIKE 'student failed: %' THEN 'student_failed'
    WHEN "dropReason" LIKE 'the student''s response follows every constraint%' THEN 'nothing_to_correct'
    WHEN "dropReason" = 'no fix could be applied' THEN 'no_fix_applied'
    WHEN "dropReason" LIKE 'the final response still fails%' THEN 'final_fails'
    WHEN "dropReason" = 'every pair had rejected equal to chosen' THEN 'rejected_equals_chosen'
  END
WHERE "status" = 'dropped' AND "dropCode" IS NULL AND "dropReason" IS NOT NULL;

UPDATE "Node" SET "dropReason" = CASE "dropCode"
    WHEN 'evolver_failed' THEN substr("dropReason", length('evolver failed: ') + 1)
    WHEN 'responder_failed' THEN substr("dropReason", length('responder failed: ') + 1)
    WHEN 'student_failed' THEN substr("dropReason", length('student failed: ') + 1)
    WHEN 'content_lost' THEN substr("dropReason", length('content_lost: ') + 1)
    WHEN 'fragment_inserted' THEN substr("dropReason", length('fragment_inserted: ') + 1)
  END
WHERE "dropCode" IN ('evolver_failed', 'responder_failed', 'student_failed', 'content_lost', 'fragment_inserted')
  AND "dropReason" LIKE (CASE "dropCode"
    WHEN 'evolver_failed' THEN 'evolver failed: %'
    WHEN 'responder_failed' THEN 'responder failed: %'
    WHEN 'student_failed' THEN 'student failed: %'
    WHEN 'content_lost' THEN 'content_lost: %'
    ELSE 'fragment_inserted: %' END);
