import { createHash } from "node:crypto";
import type { AbChoice } from "./types.ts";

/**
 * The A/B mode (DESIGN.md "The life of a pair"): the two responses are shown as A (left) and B
 * (right) in an order fixed per (reviewer, pair) by a seeded hash, so a reviewer sees the same
 * order on every visit and about half the pairs show the chosen response on the left. A vote is
 * mapped against the orientation shown when it was cast: the shown chosen won → accept, the shown
 * rejected won → flip, a tie or both bad → reject.
 */

/** What an A/B vote means for the pair: the outcome categories of status and agreement. */
export type VoteOutcome = "accept" | "flip" | "reject";

/** Changing the seed reshuffles every order; it is part of the hashed text, not a secret. */
const ORDER_SEED = "ecd-ab-order-v1";

/** True when the reviewer sees the pair's current chosen response on the left (as A). */
export function chosenOnLeft(reviewerId: number, pairId: number): boolean {
  const digest = createHash("sha256").update(`${ORDER_SEED}:${reviewerId}:${pairId}`).digest();
  return (digest[0]! & 1) === 0;
}

/** The response ids shown as A (left) and B (right) to this reviewer. */
export function shownOrder(
  reviewerId: number,
  pair: { id: number; chosenId: number; rejectedId: number },
): { leftResponseId: number; rightResponseId: number } {
  return chosenOnLeft(reviewerId, pair.id)
    ? { leftResponseId: pair.chosenId, rightResponseId: pair.rejectedId }
    : { leftResponseId: pair.rejectedId, rightResponseId: pair.chosenId };
}

/** Maps an A/B choice against the orientation shown (left id vs the pair's chosen id). */
export function voteOutcome(choice: AbChoice, leftResponseId: number, chosenId: number): VoteOutcome {
  if (choice === "tie" || choice === "both_bad") return "reject";
  const pickedId = choice === "a" ? leftResponseId : null;
  const leftIsChosen = leftResponseId === chosenId;
  if (pickedId !== null) return leftIsChosen ? "accept" : "flip";
  return leftIsChosen ? "flip" : "accept";
}
