import { z } from "zod";
import { recordAudit } from "../audit.ts";
import type { Db } from "../db/client.ts";
import { DomainError } from "../errors.ts";
import { addToPairCount } from "./pairs.ts";
import { releaseWaitingVoters } from "./queue-counts.ts";
import { pairFilterSchema } from "./pair-query.ts";
import { countPairs, matchingPairBatch } from "./query.ts";
import type { PairStatus } from "../domain.ts";
import { BULK_REASON } from "./types.ts";
import { parsePairVerdicts } from "./verdict-record.ts";
import { isOverride } from "./verdict-store.ts";

/**
 * Bulk accept / reject of a filtered selection (pairs:bulk): a researcher's *decision* (DESIGN.md),
 * final, applied to PENDING pairs only — final pairs and pairs in adjudication are skipped and
 * reported. The person confirms the selection's count; the decision runs only if the selection
 * still has exactly that many pairs, all in one transaction. Each pending pair gets its own
 * append-only Review (kind "decision", reason "bulk"), a version bump and the derived status;
 * PairCount moves with it.
 */

export const bulkDecisionSchema = z.object({
  datasetId: z.coerce.number().int().positive(),
  decision: z.enum(["accept", "reject"]),
  filter: pairFilterSchema,
  /** The count the person confirmed. */
  expectedCount: z.coerce.number().int().min(1, "Nothing is selected"),
  reasonText: z.string().trim().max(2000).nullish(),
});
export type BulkDecisionInput = z.input<typeof bulkDecisionSchema>;

export type BulkResult = {
  /** Pairs decided (the pending ones). */
  count: number;
  byStatus: Partial<Record<PairStatus, number>>;
  /** Pairs of the selection left as they were: final ones and those in adjudication. */
  skipped: { final: number; adjudication: number; ids: number[] };
};

const BATCH = 400;

export async function bulkDecide(db: Db, actor: { id: number }, input: BulkDecisionInput): Promise<BulkResult> {
  const data = bulkDecisionSchema.parse(input);
  const now = new Date();
  return db.$transaction(
    async (tx) => {
      // First statement a write, so the transaction holds the write lock from the start.
      await recordAudit(tx, {
        userId: actor.id,
        action: "pair.bulk_review",
        entityType: "dataset",
        entityId: data.datasetId,
        data: { decision: data.decision, filter: data.filter, count: data.expectedCount },
      });
      const count = await countPairs(tx, data.datasetId, data.filter);
      if (count !== data.expectedCount) {
        throw new DomainError(
          `The selection changed: ${count.toLocaleString("en-US")} pairs match now, you confirmed ${data.expectedCount.toLocaleString("en-US")}. Check the count and confirm again.`,
          "conflict",
        );
      }
      const status: PairStatus = data.decision === "accept" ? "accepted" : "rejected";
      const skipped: BulkResult["skipped"] = { final: 0, adjudication: 0, ids: [] };
      let decided = 0;
      let seen = 0;
      let afterId = 0;
      for (;;) {
        const batch = await matchingPairBatch(tx, data.datasetId, data.filter, afterId, BATCH);
        if (!batch.length) break;
        afterId = batch[batch.length - 1]!.id;
        seen += batch.length;
        const pending = batch.filter((pair) => {
          if (pair.status === "pending") return true;
          if (pair.status === "adjudication") skipped.adjudication += 1;
          else skipped.final += 1;
          if (skipped.ids.length < 100) skipped.ids.push(pair.id);
          return false;
        });
        if (!pending.length) continue;
        const rows = await tx.pair.findMany({
          where: { id: { in: pending.map((p) => p.id) } },
          select: { id: true, round: true, verdicts: true },
        });
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const pair of pending) {
          const row = byId.get(pair.id)!;
          const guarded = await tx.pair.updateMany({
            where: { id: pair.id, version: pair.version, status: "pending" },
            data: {
              status,
              version: pair.version + 1,
              claimedById: null,
              claimedUntil: null,
              override: isOverride(status, parsePairVerdicts(row.verdicts)),
            },
          });
          if (guarded.count !== 1)
            throw new DomainError(
              `Pair #${pair.id} changed while the bulk decision ran; nothing was changed. Try again.`,
              "conflict",
            );
        }
        await tx.review.createMany({
          data: pending.map((pair) => ({
            pairId: pair.id,
            userId: actor.id,
            decision: data.decision,
            kind: "decision",
            round: byId.get(pair.id)!.round,
            reason: BULK_REASON,
            reasonText: data.reasonText || null,
            pairVersion: pair.version,
            shownAt: now,
            decidedAt: now,
            durationMs: 0,
          })),
        });
        decided += pending.length;
        await releaseWaitingVoters(
          tx,
          data.datasetId,
          pending.map((pair) => ({ id: pair.id, round: byId.get(pair.id)!.round })),
        );
      }
      if (seen !== count)
        throw new DomainError(
          "The selection changed while the bulk decision ran; nothing was changed. Try again.",
          "conflict",
        );
      await addToPairCount(tx, data.datasetId, "pending", -decided);
      await addToPairCount(tx, data.datasetId, status, decided);
      return { count: decided, byStatus: decided ? { [status]: decided } : {}, skipped };
    },
    { maxWait: 30_000, timeout: 600_000 },
  );
}
