import type { DbOrTx, Tx } from "../db/client.ts";
import type { PairStatus } from "../domain.ts";

/**
 * The review screen's "N pending for you · M decided today", read from counters (PairCount and
 * ReviewerCount), never from a COUNT over the pairs. ReviewerCount moves in the same transaction as
 * the vote (lib/review/decide.ts calls countVoters):
 * - `waiting`: pending pairs the reviewer voted on or skipped in the current round (they wait for
 *   other reviewers, so they are not pending *for them*);
 * - `decidedToday`: votes the reviewer cast today (UTC), each pair and round once.
 */

export type QueueCounts = { pendingForYou: number; decidedToday: number };

export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export async function queueCounts(
  db: DbOrTx,
  options: { datasetId: number; userId: number; now?: Date },
): Promise<QueueCounts> {
  const [pending, mine] = await Promise.all([
    db.pairCount.findUnique({
      where: { datasetId_status: { datasetId: options.datasetId, status: "pending" } },
      select: { count: true },
    }),
    db.reviewerCount.findUnique({
      where: { datasetId_userId: { datasetId: options.datasetId, userId: options.userId } },
      select: { waiting: true, day: true, decidedToday: true },
    }),
  ]);
  const today = utcDay(options.now ?? new Date());
  return {
    pendingForYou: Math.max(0, (pending?.count ?? 0) - (mine?.waiting ?? 0)),
    decidedToday: mine && mine.day === today ? mine.decidedToday : 0,
  };
}

const WAITS = new Set(["vote", "skip"]);

type Act = { userId: number; kind: string; round: number };

/** Reviewers who voted on or skipped a pair with this status in this round (only pending pairs wait). */
function waitingVoters(acts: readonly Act[], status: PairStatus, round: number): Set<number> {
  if (status !== "pending") return new Set();
  return new Set(acts.filter((a) => WAITS.has(a.kind) && a.round === round).map((a) => a.userId));
}

/**
 * Moves the reviewers' counters for one act on a pair: `before` is the pair's acts, status and
 * round before it, `after` with the act. Runs inside the act's transaction.
 */
export async function countVoters(
  tx: Tx,
  datasetId: number,
  before: { acts: readonly Act[]; status: PairStatus; round: number },
  after: { acts: readonly Act[]; status: PairStatus; round: number },
  actor: { userId: number; voted: boolean },
  now: Date,
): Promise<void> {
  const was = waitingVoters(before.acts, before.status, before.round);
  const is = waitingVoters(after.acts, after.status, after.round);
  const deltas = new Map<number, number>();
  for (const id of is) if (!was.has(id)) deltas.set(id, 1);
  for (const id of was) if (!is.has(id)) deltas.set(id, -1);
  // A vote counts once per pair and round toward "decided today" (replacing it does not add one).
  const firstVote =
    actor.voted && !before.acts.some((a) => a.userId === actor.userId && a.kind === "vote" && a.round === after.round);
  if (firstVote && !deltas.has(actor.userId)) deltas.set(actor.userId, 0);
  const today = utcDay(now);
  for (const [userId, delta] of deltas) {
    const where = { datasetId_userId: { datasetId, userId } };
    const row = await tx.reviewerCount.findUnique({ where, select: { day: true, decidedToday: true } });
    const decided = userId === actor.userId && firstVote ? 1 : 0;
    const decidedToday = (row && row.day === today ? row.decidedToday : 0) + decided;
    await tx.reviewerCount.upsert({
      where,
      create: { datasetId, userId, waiting: Math.max(0, delta), day: today, decidedToday },
      update: { waiting: { increment: delta }, ...(decided ? { day: today, decidedToday } : {}) },
    });
  }
}

/** Pending pairs decided in bulk (final now): their current-round voters and skippers wait no longer. */
export async function releaseWaitingVoters(
  tx: Tx,
  datasetId: number,
  pairs: readonly { id: number; round: number }[],
): Promise<void> {
  const rounds = new Map(pairs.map((p) => [p.id, p.round]));
  const votes = await tx.review.findMany({
    where: { pairId: { in: [...rounds.keys()] }, kind: { in: [...WAITS] } },
    select: { pairId: true, userId: true, round: true },
  });
  const perUser = new Map<number, Set<number>>();
  for (const v of votes)
    if (rounds.get(v.pairId) === v.round) perUser.set(v.userId, (perUser.get(v.userId) ?? new Set()).add(v.pairId));
  for (const [userId, pairIds] of perUser)
    await tx.reviewerCount.updateMany({
      where: { datasetId, userId },
      data: { waiting: { decrement: pairIds.size } },
    });
}
