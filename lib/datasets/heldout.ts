/**
 * Held-out seeds: a dataset's `heldoutShare` of its seeds is kept for evaluation and never exported.
 * A seed's side is decided by its content alone (Seed.contentHash, the sha256 of its normalised
 * text), so it is the same in every dataset, every run and on both databases, and raising the share
 * only moves seeds from training to held-out, never back.
 *
 * The rule: a seed is held out when the first 8 hex digits of its contentHash, read as a number, are
 * below share × 16^8. As a string comparison (`contentHash < threshold`, both lowercase hex) this
 * is the same test, which keeps it a plain indexed filter in SQL and in Prisma.
 */

const PREFIX_DIGITS = 8;
const PREFIX_RANGE = 16 ** PREFIX_DIGITS;

/** The string bound for `contentHash < bound`, or null when nothing is held out. */
export function heldoutBound(share: number): string | null {
  if (!(share > 0)) return null;
  const value = Math.min(PREFIX_RANGE - 1, Math.floor(Math.min(share, 1) * PREFIX_RANGE));
  return value.toString(16).padStart(PREFIX_DIGITS, "0");
}

export function isHeldOut(contentHash: string, share: number): boolean {
  const bound = heldoutBound(share);
  return bound !== null && contentHash.toLowerCase() < bound;
}

/** Prisma filters on Seed for the two sides of the split. */
export function heldoutSeedWhere(share: number): { contentHash: { lt: string } } | null {
  const bound = heldoutBound(share);
  return bound === null ? null : { contentHash: { lt: bound } };
}

export function trainingSeedWhere(share: number): { contentHash: { gte: string } } | null {
  const bound = heldoutBound(share);
  return bound === null ? null : { contentHash: { gte: bound } };
}
