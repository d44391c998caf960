import { z } from "zod";
import { computeReviewStats, storeReviewStats } from "../review/stats.ts";
import type { TaskHandler } from "./handlers.ts";
import { PermanentTaskError } from "./worker.ts";

const payloadSchema = z.object({ datasetId: z.number().int().positive() });

/**
 * The `review-stats` handler (lib/review/stats.ts): computes a dataset's review figures — the
 * breakdowns, agreement with its bootstrap intervals, speed and the chart series — off the request
 * path and stores them in the completing transaction, where the overview reads them with their age.
 */
export function createReviewStatsHandler(): TaskHandler {
  return async (db, task) => {
    const payload = payloadSchema.safeParse(task.payload);
    if (!payload.success) throw new PermanentTaskError(`review-stats task ${task.id} has no valid dataset id`);
    const dataset = await db.dataset.findUnique({ where: { id: payload.data.datasetId }, select: { id: true } });
    if (!dataset) return { progress: { stored: 0 }, write: async () => {} };
    const stats = await computeReviewStats(db, dataset.id);
    return {
      progress: { votes: stats.agreementReport.votes },
      write: async (tx) => storeReviewStats(tx, dataset.id, stats),
    };
  };
}
