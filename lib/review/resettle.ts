import type { Db } from "../db/client.ts";
import { statusRulesOf } from "./decide.ts";
import { addToPairCount } from "./pairs.ts";
import { deriveStatus } from "./status.ts";
import { parsePairVerdicts } from "./verdict-record.ts";
import { isOverride } from "./verdict-store.ts";

/**
 * DESIGN "Settings change": after reviews per pair, mode or adjudication change, pending pairs are
 * settled again under the new rules (the job kind `resettle`, lib/datasets/settings.ts starts it).
 * Final pairs and pairs in adjudication stay. Each pair is one guarded write (status + version in
 * one statement), so a vote that lands meanwhile wins and the pair is simply left as the vote made it.
 */

export const RESETTLE = "resettle";

const BATCH = 500;

export async function resettlePendingPairs(
  db: Db,
  datasetId: number,
  signal?: AbortSignal,
): Promise<{ checked: number; settled: number }> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { settings: true } });
  if (!dataset) return { checked: 0, settled: 0 };
  const rules = statusRulesOf(dataset.settings);
  let afterId = 0;
  let checked = 0;
  let settled = 0;
  for (;;) {
    signal?.throwIfAborted();
    const pairs = await db.pair.findMany({
      where: { datasetId, status: "pending", id: { gt: afterId } },
      orderBy: { id: "asc" },
      take: BATCH,
      select: {
        id: true,
        version: true,
        round: true,
        verdicts: true,
        reviews: {
          orderBy: { id: "asc" },
          select: { userId: true, decision: true, kind: true, round: true, decidedAt: true },
        },
      },
    });
    if (pairs.length === 0) break;
    afterId = pairs[pairs.length - 1].id;
    checked += pairs.length;
    for (const pair of pairs) {
      const derived = deriveStatus(pair.reviews, pair.round, rules);
      if (derived.status === "pending") continue;
      await db.$transaction(async (tx) => {
        const guarded = await tx.pair.updateMany({
          where: { id: pair.id, version: pair.version, status: "pending" },
          data: {
            status: derived.status,
            reviewCount: derived.voters,
            version: pair.version + 1,
            claimedById: null,
            claimedUntil: null,
            override: isOverride(derived.status, parsePairVerdicts(pair.verdicts)),
          },
        });
        if (guarded.count !== 1) return;
        await addToPairCount(tx, datasetId, "pending", -1);
        await addToPairCount(tx, datasetId, derived.status, 1);
        settled += 1;
      });
    }
  }
  return { checked, settled };
}
