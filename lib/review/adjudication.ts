import type { Db } from "../db/client.ts";
import { countingVotes } from "./status.ts";
import { loadPairView } from "./view.ts";
import type { PairView } from "./types.ts";

/**
 * The adjudication queue (researchers): pairs whose votes disagreed, most disagreement first, then
 * the oldest. Disagreement = 1 − (largest outcome's share of the counting votes): a 2–1 split is
 * 1/3, a three-way split 2/3. The adjudicator sees every vote with its reason, strength, time on
 * screen, the order it was shown in and the guideline version it was cast under, and decides (lib/review/decide.ts `adjudicate`).
 */

export type AdjudicationVote = {
  user: string;
  decision: string;
  choice: string | null;
  strength: string | null;
  /** The reject reason's code (REJECT_REASONS), when the vote gave one. */
  reason: string | null;
  reasonText: string | null;
  /** The dataset's guideline version (GuidelineVersion.version) in force when the vote was cast. */
  guidelineVersion: number | null;
  durationMs: number;
  decidedAt: string;
  /** Which response the voter saw on the left (A): the pair's chosen or rejected one. */
  shownLeft: "chosen" | "rejected" | null;
};

export type AdjudicationItem = {
  disagreement: number;
  waitingSince: string;
  pair: PairView;
  votes: AdjudicationVote[];
};

/** How many pairs the queue page shows at once (the next ones follow as these are decided). */
export const ADJUDICATION_PAGE = 20;
/** Pairs read to order by disagreement: the queue of a dataset in trouble is still bounded. */
const SCAN_LIMIT = 2000;

export async function adjudicationQueue(
  db: Db,
  datasetId: number,
  options: { limit?: number } = {},
): Promise<{ total: number; items: AdjudicationItem[] }> {
  const [total, pairs] = await Promise.all([
    db.pair.count({ where: { datasetId, status: "adjudication" } }),
    db.pair.findMany({
      where: { datasetId, status: "adjudication" },
      orderBy: { updatedAt: "asc" },
      take: SCAN_LIMIT,
      select: {
        id: true,
        round: true,
        updatedAt: true,
        reviews: { select: { userId: true, decision: true, kind: true, round: true, decidedAt: true } },
      },
    }),
  ]);
  const ranked = pairs
    .map((p) => {
      const votes = [...countingVotes(p.reviews, p.round).values()];
      const counts = new Map<string, number>();
      for (const v of votes) counts.set(v, (counts.get(v) ?? 0) + 1);
      const top = Math.max(0, ...counts.values());
      return { id: p.id, disagreement: votes.length ? 1 - top / votes.length : 0, since: p.updatedAt };
    })
    .sort((a, b) => b.disagreement - a.disagreement || a.since.getTime() - b.since.getTime())
    .slice(0, options.limit ?? ADJUDICATION_PAGE);

  const items: AdjudicationItem[] = [];
  for (const entry of ranked) {
    const pair = await loadPairView(db, entry.id, { datasetId });
    const reviews = await db.review.findMany({
      where: { pairId: entry.id, round: pair.round, kind: "vote" },
      orderBy: { id: "asc" },
      select: {
        userId: true,
        decision: true,
        choice: true,
        strength: true,
        reason: true,
        reasonText: true,
        guidelineVersion: true,
        durationMs: true,
        decidedAt: true,
        leftResponseId: true,
        user: { select: { email: true } },
      },
    });
    // Each voter's last vote of the round (the counting ones).
    const last = new Map(reviews.map((r) => [r.userId, r]));
    items.push({
      disagreement: entry.disagreement,
      waitingSince: entry.since.toISOString(),
      pair,
      votes: [...last.values()].map((r) => ({
        user: r.user.email,
        decision: r.decision,
        choice: r.choice,
        strength: r.strength,
        reason: r.reason,
        reasonText: r.reasonText,
        guidelineVersion: r.guidelineVersion,
        durationMs: r.durationMs,
        decidedAt: r.decidedAt.toISOString(),
        shownLeft:
          r.leftResponseId === null
            ? null
            : r.leftResponseId === pair.chosen.id
              ? "chosen"
              : r.leftResponseId === pair.rejected.id
                ? "rejected"
                : null,
      })),
    });
  }
  return { total, items };
}
