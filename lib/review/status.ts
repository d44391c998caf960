/**
 * A pair's status, derived from its reviews (pure; THE rule, DESIGN.md "The life of a pair",
 * labelled mode):
 *
 * - Only the current round counts (an edit or swap of a voted pair, or a reopen, starts a new one).
 * - A decision (a researcher's bulk accept / reject; later an adjudication) settles the pair.
 * - Votes: each voter's last vote in the round. Fewer than `reviewsPerPair` voters: pending.
 *   All agree: final. Otherwise, with adjudication on, `adjudication`; with it off, a strict
 *   majority is final and a tie stays pending, so the queue asks one more reviewer.
 * - Edits, swaps, skips and reopens are not votes.
 */
import type { PairStatus } from "../domain.ts";

export type ReviewForStatus = {
  userId: number;
  decision: string;
  kind: string;
  round: number;
  /** Order of the reviews: decidedAt, then the order given (ids ascending). */
  decidedAt?: Date | string | null;
};

export type StatusRules = { reviewsPerPair: number; adjudication?: boolean };

export type DerivedStatus = { status: PairStatus; voters: number };

const time = (r: ReviewForStatus) => (r.decidedAt ? new Date(r.decidedAt).getTime() : 0);

/** Reviews in time order (a stable sort keeps id order for equal times). */
export function inTimeOrder<T extends ReviewForStatus>(reviews: readonly T[]): T[] {
  return [...reviews].sort((a, b) => time(a) - time(b));
}

/** Each voter's last vote in the round, oldest voter first. */
export function countingVotes(reviews: readonly ReviewForStatus[], round: number): Map<number, string> {
  const latest = new Map<number, string>();
  for (const r of inTimeOrder(reviews)) {
    if (r.round !== round || r.kind !== "vote") continue;
    latest.delete(r.userId);
    latest.set(r.userId, r.decision);
  }
  return latest;
}

export function deriveStatus(reviews: readonly ReviewForStatus[], round: number, rules: StatusRules): DerivedStatus {
  const votes = countingVotes(reviews, round);
  const voters = votes.size;
  const decisions = inTimeOrder(reviews).filter(
    (r) => r.round === round && r.kind === "decision" && (r.decision === "accept" || r.decision === "reject"),
  );
  const decision = decisions[decisions.length - 1];
  if (decision) return { status: decision.decision === "accept" ? "accepted" : "rejected", voters };
  if (voters < Math.max(1, rules.reviewsPerPair)) return { status: "pending", voters };
  let yes = 0;
  let no = 0;
  for (const v of votes.values()) {
    if (v === "accept") yes += 1;
    else no += 1;
  }
  if (yes === 0 || no === 0) return { status: yes ? "accepted" : "rejected", voters };
  if (rules.adjudication) return { status: "adjudication", voters };
  if (yes > no) return { status: "accepted", voters };
  if (no > yes) return { status: "rejected", voters };
  return { status: "pending", voters };
}
