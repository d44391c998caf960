/**
 * THE one definition of the words that name a pair's state (DESIGN.md "The life of a pair").
 * Pure: imported by lib/, components and the CLI alike. The schema's string columns hold these.
 */

/** A pair's status. Whether it carries a human edit is the separate `edited` flag, not a status. */
export const PAIR_STATUSES = ["pending", "accepted", "rejected", "adjudication"] as const;
export type PairStatus = (typeof PAIR_STATUSES)[number];

/** A final pair is settled: a further vote, edit or swap is refused until it is reopened. */
export const FINAL_STATUSES: readonly PairStatus[] = ["accepted", "rejected"];
export function isFinal(status: string): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** How a pair was made. */
export const PAIR_METHODS = ["ecd", "c2s", "manual"] as const;
export type PairMethod = (typeof PAIR_METHODS)[number];

/**
 * What a review records (Review.decision). `flip`: an A/B vote or an adjudication for the shown
 * rejected response (a final flip swaps the pair's orientation).
 */
export const REVIEW_DECISIONS = ["accept", "reject", "flip", "edit", "swap", "skip", "reopen"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * What kind of act a review is (Review.kind): a *vote* (accept / reject by a reviewer), a
 * *decision* (a researcher's bulk decision, an adjudication or a reopen), a *change* of the pair's
 * content (edit, swap) or a skip. Only votes count toward reviewsPerPair and agreement.
 */
export const REVIEW_KINDS = ["vote", "decision", "change", "skip"] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** A verdict of one constraint on one response: `unknown` = not checked (e.g. free-form, not judged yet). */
export const VERDICT_OUTCOMES = ["pass", "fail", "unknown"] as const;
export type VerdictOutcome = (typeof VERDICT_OUTCOMES)[number];

/**
 * A seed import's state (SeedImport.status): `pending` while its batches are written (its seeds
 * invisible), `committed` once its one final write makes them visible, `failed` while its rows are
 * removed (lib/io/import.ts, lib/db/visibility.ts).
 */
export const SEED_IMPORT_STATUSES = ["pending", "committed", "failed"] as const;
export type SeedImportStatus = (typeof SEED_IMPORT_STATUSES)[number];
