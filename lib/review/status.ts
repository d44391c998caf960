/**
 * A pair's status is derived from its reviews (pure; the rule lives only here).
 *
 * - Votes are accept, reject and edit (an edit accepts the edited pair). Each reviewer's latest
 *   vote counts; skip and swap are not votes.
 * - Until `reviewsPerPair` reviewers have voted the pair stays pending.
 * - Then the majority decides: accept/edit → accepted (or edited when the pair's content was
 *   changed by an edit or a swap), reject → rejected. A tie stays pending: the queue hands the
 *   pair to one more reviewer to break it.
 * - A bulk decision (reason "bulk", by someone with pairs:bulk) settles the pair when it is the
 *   latest vote.
 */
import { BULK_REASON, type Decision, type PairStatus } from "./types.ts";

export type ReviewForStatus = { userId: number; decision: Decision | string; reason?: string | null };

export type DerivedStatus = { status: PairStatus; voters: number; modified: boolean };

export function deriveStatus(reviews: readonly ReviewForStatus[], reviewsPerPair: number): DerivedStatus {
  const latestVote = new Map<number, string>();
  let modified = false;
  let last: ReviewForStatus | null = null;
  for (const review of reviews) {
    if (review.decision === "edit" || review.decision === "swap") modified = true;
    if (review.decision === "accept" || review.decision === "reject" || review.decision === "edit") {
      // Re-insert so the map's order follows each reviewer's latest vote.
      latestVote.delete(review.userId);
      latestVote.set(review.userId, review.decision);
      last = review;
    }
  }
  const voters = latestVote.size;
  const accepted: PairStatus = modified ? "edited" : "accepted";
  if (last && last.reason === BULK_REASON) {
    return { status: last.decision === "reject" ? "rejected" : accepted, voters, modified };
  }
  if (voters < Math.max(1, reviewsPerPair)) return { status: "pending", voters, modified };
  let yes = 0;
  let no = 0;
  for (const decision of latestVote.values()) {
    if (decision === "reject") no += 1;
    else yes += 1;
  }
  if (yes > no) return { status: accepted, voters, modified };
  if (no > yes) return { status: "rejected", voters, modified };
  return { status: "pending", voters, modified };
}
