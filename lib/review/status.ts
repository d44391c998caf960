/**
 * A pair's status, derived from its reviews (pure; THE rule, DESIGN.md "The life of a pair",
 * labelled mode):
 *
 * - Only the current round counts (an edit or swap of a voted pair, or a reopen, starts a new one).
 * - A decision (a researcher's bulk accept / reject, or an adjudication's accept / flip / reject)
 *   settles the pair.
 * - Votes: each voter's last vote in the round, as outcomes accept / flip / reject (A/B votes are
 *   mapped when cast, lib/review/ab.ts). Fewer than `reviewsPerPair` voters: pending.
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

/** `flip`: the pair settles as accepted with its orientation swapped (the shown rejected won). */
export type DerivedStatus = { status: PairStatus; voters: number; flip?: boolean };

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

/** A settling outcome (accept / flip / reject) as a status. */
function settled(outcome: string, voters: number): DerivedStatus {
  if (outcome === "accept") return { status: "accepted", voters };
  if (outcome === "flip") return { status: "accepted", voters, flip: true };
  return { status: "rejected", voters };
}

const SETTLING = new Set(["accept", "reject", "flip"]);

export function deriveStatus(reviews: readonly ReviewForStatus[], round: number, rules: StatusRules): DerivedStatus {
  const votes = countingVotes(reviews, round);
  const voters = votes.size;
  const decisions = inTimeOrder(reviews).filter(
    (r) => r.round === round && r.kind === "decision" && SETTLING.has(r.decision),
  );
  const decision = decisions[decisions.length - 1];
  if (decision) return settled(decision.decision, voters);
  if (voters < Math.max(1, rules.reviewsPerPair)) return { status: "pending", voters };
  const counts = new Map<string, number>();
  // Anything but accept and flip (reject, or an older labelled vote) counts as reject.
  for (const v of votes.values()) {
    const outcome = v === "accept" || v === "flip" ? v : "reject";
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }
  const [top] = [...counts].sort((a, b) => b[1] - a[1]);
  if (counts.size === 1) return settled(top![0], voters);
  if (rules.adjudication) return { status: "adjudication", voters };
  // A strict majority of the voters settles; without one the pair waits for one more reviewer.
  if (top![1] * 2 > voters) return settled(top![0], voters);
  return { status: "pending", voters };
}
