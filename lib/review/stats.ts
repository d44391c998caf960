import type { Db } from "../db/client.ts";
import { agreement, type Agreement } from "./agreement.ts";
import { pairCounts } from "./pairs.ts";
import { BULK_REASON, PAIR_STATUSES, type PairStatus } from "./types.ts";

/**
 * Review figures for the dataset overview: progress (from PairCount), per-reviewer counts,
 * acceptance by depth, method and constraint id, and agreement between reviewers.
 */

export type StatusCounts = Record<PairStatus, number> & { total: number };

export type AcceptanceRow = StatusCounts & {
  key: string;
  /** (accepted + edited) / decided, or null when nothing is decided. */
  acceptance: number | null;
};

export type ReviewerRow = {
  userId: number;
  email: string;
  decisions: Record<string, number>;
  total: number;
  /** Mean time a pair was on screen before an individual decision (bulk decisions excluded). */
  meanMs: number | null;
};

export type ReviewOverview = {
  /** When the breakdowns were computed (progress is always current). */
  asOf: string;
  /** True when the breakdowns come from the cache (large datasets). */
  cached: boolean;
  progress: StatusCounts;
  reviewers: ReviewerRow[];
  byDepth: AcceptanceRow[];
  byMethod: AcceptanceRow[];
  byConstraint: AcceptanceRow[];
  agreement: Agreement;
};

function emptyRow(key: string): AcceptanceRow {
  return { key, total: 0, pending: 0, accepted: 0, rejected: 0, edited: 0, acceptance: null };
}

function finish(
  rows: Map<string, AcceptanceRow>,
  order: (a: AcceptanceRow, b: AcceptanceRow) => number,
): AcceptanceRow[] {
  const out = [...rows.values()];
  for (const row of out) {
    const decided = row.accepted + row.edited + row.rejected;
    row.acceptance = decided ? (row.accepted + row.edited) / decided : null;
  }
  return out.sort(order);
}

function add(rows: Map<string, AcceptanceRow>, key: string, status: string, n: number) {
  const row = rows.get(key) ?? emptyRow(key);
  rows.set(key, row);
  if ((PAIR_STATUSES as readonly string[]).includes(status)) row[status as PairStatus] += n;
  row.total += n;
}

/** Datasets from this size on get their breakdowns cached for CACHE_MS (each is a full scan). */
export const CACHE_FROM_PAIRS = 100_000;
const CACHE_MS = 60_000;
type Breakdowns = Omit<ReviewOverview, "progress" | "cached">;
const cache = new Map<number, { at: number; value: Breakdowns }>();

export async function reviewOverview(
  db: Db,
  datasetId: number,
  options: { cache?: boolean } = {},
): Promise<ReviewOverview> {
  const progress = await pairCounts(db, datasetId);
  const useCache = options.cache !== false && progress.total >= CACHE_FROM_PAIRS;
  const hit = useCache ? cache.get(datasetId) : undefined;
  if (hit && Date.now() - hit.at < CACHE_MS) return { ...hit.value, progress, cached: true };
  const value = await breakdowns(db, datasetId);
  if (useCache) cache.set(datasetId, { at: Date.now(), value });
  return { ...value, progress, cached: false };
}

async function breakdowns(db: Db, datasetId: number): Promise<Breakdowns> {
  const asOf = new Date().toISOString();
  const [reviewerRows, groupRows, voteRows] = await Promise.all([
    db.$queryRaw<
      {
        userId: number | bigint;
        email: string;
        decision: string;
        bulk: number | bigint;
        n: number | bigint;
        ms: number | bigint | null;
      }[]
    >`
      SELECT r."userId", u."email", r."decision",
             CASE WHEN r."reason" = ${BULK_REASON} THEN 1 ELSE 0 END AS "bulk",
             COUNT(*) AS "n", SUM(r."durationMs") AS "ms"
        FROM "Review" r JOIN "Pair" p ON p."id" = r."pairId" JOIN "User" u ON u."id" = r."userId"
       WHERE p."datasetId" = ${datasetId}
       GROUP BY r."userId", u."email", r."decision", CASE WHEN r."reason" = ${BULK_REASON} THEN 1 ELSE 0 END`,
    // One pass over the pairs for all three breakdowns.
    db.$queryRaw<
      { depth: number | bigint; method: string; constraintIds: string; status: string; n: number | bigint }[]
    >`
      SELECT p."depth", p."method", p."constraintIds", p."status", COUNT(*) AS "n"
        FROM "Pair" p
       WHERE p."datasetId" = ${datasetId}
       GROUP BY p."depth", p."method", p."constraintIds", p."status"`,
    // Votes on pairs with at least two voters (Pair.reviewCount), oldest first: each reviewer's latest vote counts.
    db.$queryRaw<{ pairId: number | bigint; userId: number | bigint; decision: string }[]>`
      SELECT r."pairId", r."userId", r."decision"
        FROM "Review" r JOIN "Pair" p ON p."id" = r."pairId"
       WHERE p."datasetId" = ${datasetId} AND p."reviewCount" >= 2 AND r."decision" IN ('accept', 'reject', 'edit')
       ORDER BY r."id"`,
  ]);
  const reviewers = new Map<number, ReviewerRow & { timed: number; timedMs: number }>();
  for (const row of reviewerRows) {
    const userId = Number(row.userId);
    const entry = reviewers.get(userId) ?? {
      userId,
      email: row.email,
      decisions: {},
      total: 0,
      meanMs: null,
      timed: 0,
      timedMs: 0,
    };
    reviewers.set(userId, entry);
    const n = Number(row.n);
    const key = Number(row.bulk) ? `bulk ${row.decision}` : row.decision;
    entry.decisions[key] = (entry.decisions[key] ?? 0) + n;
    entry.total += n;
    if (!Number(row.bulk)) {
      entry.timed += n;
      entry.timedMs += Number(row.ms ?? 0);
    }
  }

  const byDepth = new Map<string, AcceptanceRow>();
  const byMethod = new Map<string, AcceptanceRow>();
  const byConstraint = new Map<string, AcceptanceRow>();
  for (const row of groupRows) {
    const n = Number(row.n);
    add(byDepth, String(row.depth), row.status, n);
    add(byMethod, row.method, row.status, n);
    for (const id of new Set(row.constraintIds.split(" ").filter(Boolean))) add(byConstraint, id, row.status, n);
  }

  const votes = new Map<number, Map<number, "keep" | "drop">>();
  for (const row of voteRows) {
    const pairId = Number(row.pairId);
    const perUser = votes.get(pairId) ?? new Map<number, "keep" | "drop">();
    votes.set(pairId, perUser);
    perUser.delete(Number(row.userId));
    perUser.set(Number(row.userId), row.decision === "reject" ? "drop" : "keep");
  }

  return {
    asOf,
    reviewers: [...reviewers.values()]
      .map(({ timed, timedMs, ...row }) => ({ ...row, meanMs: timed ? Math.round(timedMs / timed) : null }))
      .sort((a, b) => b.total - a.total || a.email.localeCompare(b.email)),
    byDepth: finish(byDepth, (a, b) => Number(a.key) - Number(b.key)),
    byMethod: finish(byMethod, (a, b) => a.key.localeCompare(b.key)),
    byConstraint: finish(byConstraint, (a, b) => b.total - a.total || a.key.localeCompare(b.key)),
    agreement: agreement([...votes.values()].map((m) => [...m.values()])),
  };
}
