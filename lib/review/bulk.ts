import { z } from "zod";
import { recordAudit } from "../audit.ts";
import type { Db } from "../db/client.ts";
import { DomainError } from "../errors.ts";
import { addToPairCount } from "./pairs.ts";
import { pairFilterSchema } from "./pair-query.ts";
import { countPairs, matchingPairBatch } from "./query.ts";
import { deriveStatus } from "./status.ts";
import { BULK_REASON, type PairStatus } from "./types.ts";

/**
 * Bulk accept / reject of a filtered selection (pairs:bulk). The person confirms a count; the
 * decision is applied only if the selection still has exactly that many pairs, all in one
 * transaction. Each pair gets its own append-only Review (reason "bulk"), a version bump and a
 * derived status, exactly as a single decision would; PairCount moves with it.
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

const BATCH = 400;

export async function bulkDecide(
  db: Db,
  actor: { id: number },
  input: BulkDecisionInput,
): Promise<{ count: number; byStatus: Partial<Record<PairStatus, number>> }> {
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
      const dataset = await tx.dataset.findUnique({ where: { id: data.datasetId }, select: { settings: true } });
      const reviewsPerPair = Number((dataset?.settings as { reviewsPerPair?: unknown } | null)?.reviewsPerPair) || 1;
      const delta = new Map<PairStatus, number>();
      const byStatus: Partial<Record<PairStatus, number>> = {};
      let done = 0;
      let afterId = 0;
      for (;;) {
        const batch = await matchingPairBatch(tx, data.datasetId, data.filter, afterId, BATCH);
        if (!batch.length) break;
        afterId = batch[batch.length - 1]!.id;
        const reviews = await tx.review.findMany({
          where: { pairId: { in: batch.map((p) => p.id) } },
          orderBy: { id: "asc" },
          select: { pairId: true, userId: true, decision: true, reason: true },
        });
        const byPair = new Map<number, typeof reviews>();
        for (const r of reviews) byPair.set(r.pairId, [...(byPair.get(r.pairId) ?? []), r]);
        for (const pair of batch) {
          const derived = deriveStatus(
            [...(byPair.get(pair.id) ?? []), { userId: actor.id, decision: data.decision, reason: BULK_REASON }],
            reviewsPerPair,
          );
          const guarded = await tx.pair.updateMany({
            where: { id: pair.id, version: pair.version },
            data: {
              status: derived.status,
              version: pair.version + 1,
              reviewCount: derived.voters,
              claimedById: null,
              claimedUntil: null,
            },
          });
          if (guarded.count !== 1)
            throw new DomainError(
              `Pair #${pair.id} changed while the bulk decision ran; nothing was changed. Try again.`,
              "conflict",
            );
          if (derived.status !== pair.status) {
            delta.set(pair.status, (delta.get(pair.status) ?? 0) - 1);
            delta.set(derived.status, (delta.get(derived.status) ?? 0) + 1);
          }
          byStatus[derived.status] = (byStatus[derived.status] ?? 0) + 1;
        }
        await tx.review.createMany({
          data: batch.map((pair) => ({
            pairId: pair.id,
            userId: actor.id,
            decision: data.decision,
            reason: BULK_REASON,
            reasonText: data.reasonText || null,
            pairVersion: pair.version,
            shownAt: now,
            decidedAt: now,
            durationMs: 0,
          })),
        });
        done += batch.length;
      }
      if (done !== count)
        throw new DomainError(
          "The selection changed while the bulk decision ran; nothing was changed. Try again.",
          "conflict",
        );
      for (const [status, d] of delta) await addToPairCount(tx, data.datasetId, status, d);
      return { count: done, byStatus };
    },
    { maxWait: 30_000, timeout: 600_000 },
  );
}
