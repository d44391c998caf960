import type { Db } from "../db/client.ts";
import { claimOnePairSql, claimPairSql, type ClaimedPairRow } from "../db/review-sql.ts";

/**
 * The review queue: each reviewer is handed the next pending pair by claiming it with a lease,
 * atomically (one UPDATE … WHERE id = (SELECT …) RETURNING, see lib/db/review-sql.ts), so two
 * reviewers never hold the same pair. A pair needing several reviews (Dataset settings
 * reviewsPerPair) comes back to the queue after each vote until enough reviewers — each at most
 * once — have voted. Leases expire on their own, so an abandoned screen frees its pairs.
 */

export const LEASE_MS = 15 * 60_000;

/** Claims the next pair for the reviewer; null when nothing is left for them. */
export async function claimNext(
  db: Db,
  options: { datasetId: number; userId: number; excludeIds?: readonly number[]; leaseMs?: number; now?: Date },
): Promise<ClaimedPairRow | null> {
  // Retries only matter on PostgreSQL, where a concurrent claimer can take the chosen row
  // between the sub-select and the update (the statement then returns nothing).
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const now = options.now ?? new Date();
    const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? LEASE_MS));
    // In a transaction: on SQLite one connection serves the process, so a statement outside a
    // transaction could run inside someone else's open one (and be rolled back with it).
    const rows = await db.$transaction(
      (tx) => tx.$queryRaw<ClaimedPairRow[]>(claimPairSql({ ...options, now, leaseUntil })),
      { maxWait: 15_000, timeout: 15_000 },
    );
    if (rows[0]) return { id: Number(rows[0].id), version: Number(rows[0].version) };
    if (!(await hasClaimable(db, options.datasetId, options.userId, options.excludeIds ?? [], now))) return null;
  }
  return null;
}

async function hasClaimable(
  db: Db,
  datasetId: number,
  userId: number,
  excludeIds: readonly number[],
  now: Date,
): Promise<boolean> {
  const pair = await db.pair.findFirst({
    where: {
      datasetId,
      status: "pending",
      id: excludeIds.length ? { notIn: [...excludeIds] } : undefined,
      OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }, { claimedById: userId }],
      reviews: { none: { userId } },
    },
    select: { id: true },
  });
  return pair !== null;
}

/**
 * Claims one given pair (opened from the pairs table) when it is pending and not leased to
 * someone else. Returns false when it cannot be claimed; the reviewer may still decide it (the
 * version check protects the write).
 */
export async function claimPair(
  db: Db,
  options: { pairId: number; userId: number; leaseMs?: number; now?: Date },
): Promise<boolean> {
  const now = options.now ?? new Date();
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? LEASE_MS));
  const rows = await db.$transaction(
    (tx) => tx.$queryRaw<ClaimedPairRow[]>(claimOnePairSql({ ...options, now, leaseUntil })),
    {
      maxWait: 15_000,
      timeout: 15_000,
    },
  );
  return rows.length === 1;
}

/** Gives back the reviewer's leases on these pairs (leaving the screen). */
export async function releaseClaims(db: Db, userId: number, pairIds: readonly number[]): Promise<number> {
  if (!pairIds.length) return 0;
  const result = await db.$transaction((tx) =>
    tx.pair.updateMany({
      where: { id: { in: [...pairIds] }, claimedById: userId },
      data: { claimedById: null, claimedUntil: null },
    }),
  );
  return result.count;
}

/**
 * The pairs this reviewer decided in the dataset, most recent last (for going back with `k`).
 */
export async function recentDecisions(
  db: Db,
  options: { datasetId: number; userId: number; limit?: number },
): Promise<number[]> {
  const rows = await db.review.findMany({
    where: { userId: options.userId, pair: { datasetId: options.datasetId } },
    orderBy: { id: "desc" },
    take: (options.limit ?? 50) * 3,
    select: { pairId: true },
  });
  const seen = new Set<number>();
  const ids: number[] = [];
  for (const row of rows) {
    if (seen.has(row.pairId)) continue;
    seen.add(row.pairId);
    ids.push(row.pairId);
    if (ids.length >= (options.limit ?? 50)) break;
  }
  return ids.reverse();
}
