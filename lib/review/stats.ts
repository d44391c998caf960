import type { Db } from "../db/client.ts";
import { agreement, type Agreement } from "./agreement.ts";
import { PAIR_STATUSES, type PairStatus } from "../domain.ts";
import { emptyStatusCounts, pairCounts } from "./pairs.ts";
import {
  countingVotesSql,
  type LengthRatioSqlRow,
  lengthRatiosSql,
  type PairGroupRow,
  pairGroupsSql,
  type ReviewerCountRow,
  reviewerCountsSql,
} from "../db/review-sql.ts";

/**
 * Review figures for the dataset overview: progress (from PairCount), per-reviewer counts,
 * acceptance by depth, method and constraint id, and agreement between reviewers.
 */

export type StatusCounts = Record<PairStatus, number> & { total: number };

export type AcceptanceRow = StatusCounts & {
  key: string;
  /** accepted / decided, or null when nothing is decided. */
  acceptance: number | null;
};

export type ReviewerRow = {
  userId: number;
  email: string;
  decisions: Record<string, number>;
  total: number;
  /** Mean time a pair was on screen before a vote (edits, skips and decisions excluded). */
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
  /** Pairs carrying a human edit, and accepted pairs whose chosen fails a code-checked constraint. */
  edited: number;
  overrides: number;
  /** Chosen/rejected length ratio (words), by method, depth and new constraint. */
  lengthRatio: {
    overall: LengthRatioRow;
    byMethod: LengthRatioRow[];
    byDepth: LengthRatioRow[];
    byNewConstraint: LengthRatioRow[];
  };
};

/** Edges of the length-ratio buckets: r < 0.67, < 0.9, < 1.1, < 1.5, ≥ 1.5 (chosen shorter … much longer). */
export const LENGTH_RATIO_EDGES = [0.67, 0.9, 1.1, 1.5] as const;

export type LengthRatioRow = {
  key: string;
  pairs: number;
  /** Geometric mean of r (a ratio's natural mean), null without data. */
  mean: number | null;
  /** Share of pairs whose chosen response is longer (r > 1). */
  chosenLonger: number | null;
  /** Pairs per bucket (LENGTH_RATIO_EDGES). */
  buckets: number[];
};

function emptyRow(key: string): AcceptanceRow {
  return { key, total: 0, ...emptyStatusCounts(), acceptance: null };
}

function finish(
  rows: Map<string, AcceptanceRow>,
  order: (a: AcceptanceRow, b: AcceptanceRow) => number,
): AcceptanceRow[] {
  const out = [...rows.values()];
  for (const row of out) {
    const decided = row.accepted + row.rejected;
    row.acceptance = decided ? row.accepted / decided : null;
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
  const [reviewerRows, groupRows, voteRows, ratioRows, flags] = await Promise.all([
    db.$queryRaw<ReviewerCountRow[]>(reviewerCountsSql(datasetId)),
    db.$queryRaw<PairGroupRow[]>(pairGroupsSql(datasetId)),
    db.$queryRaw<{ pairId: number | bigint; userId: number | bigint; decision: string }[]>(countingVotesSql(datasetId)),
    db.$queryRaw<LengthRatioSqlRow[]>(lengthRatiosSql(datasetId)),
    db.pair.groupBy({ by: ["edited", "override"], where: { datasetId }, _count: { _all: true } }),
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
    // Decisions are a researcher's (bulk decisions, reopens); only votes count toward speed.
    const key = row.kind === "decision" && row.decision !== "reopen" ? `bulk ${row.decision}` : row.decision;
    entry.decisions[key] = (entry.decisions[key] ?? 0) + n;
    entry.total += n;
    if (row.kind === "vote") {
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
    perUser.set(Number(row.userId), row.decision === "accept" ? "keep" : "drop");
  }

  const overall = new RatioAccumulator("all");
  const ratioBy = {
    method: new Map<string, RatioAccumulator>(),
    depth: new Map<string, RatioAccumulator>(),
    constraint: new Map<string, RatioAccumulator>(),
  };
  const into = (map: Map<string, RatioAccumulator>, key: string, r: number) => {
    const acc = map.get(key) ?? new RatioAccumulator(key);
    map.set(key, acc);
    acc.add(r);
  };
  for (const row of ratioRows) {
    const r = Number(row.lengthRatio);
    overall.add(r);
    into(ratioBy.method, row.method, r);
    into(ratioBy.depth, String(row.depth), r);
    for (const id of new Set(row.newConstraintIds.split(" ").filter(Boolean))) into(ratioBy.constraint, id, r);
  }
  const rows = (map: Map<string, RatioAccumulator>, order: (a: LengthRatioRow, b: LengthRatioRow) => number) =>
    [...map.values()].map((a) => a.row()).sort(order);

  return {
    asOf,
    edited: flags.filter((f) => f.edited).reduce((n, f) => n + f._count._all, 0),
    overrides: flags.filter((f) => f.override).reduce((n, f) => n + f._count._all, 0),
    lengthRatio: {
      overall: overall.row(),
      byMethod: rows(ratioBy.method, (a, b) => a.key.localeCompare(b.key)),
      byDepth: rows(ratioBy.depth, (a, b) => Number(a.key) - Number(b.key)),
      byNewConstraint: rows(ratioBy.constraint, (a, b) => b.pairs - a.pairs || a.key.localeCompare(b.key)),
    },
    reviewers: [...reviewers.values()]
      .map(({ timed, timedMs, ...row }) => ({ ...row, meanMs: timed ? Math.round(timedMs / timed) : null }))
      .sort((a, b) => b.total - a.total || a.email.localeCompare(b.email)),
    byDepth: finish(byDepth, (a, b) => Number(a.key) - Number(b.key)),
    byMethod: finish(byMethod, (a, b) => a.key.localeCompare(b.key)),
    byConstraint: finish(byConstraint, (a, b) => b.total - a.total || a.key.localeCompare(b.key)),
    agreement: agreement([...votes.values()].map((m) => [...m.values()])),
  };
}

/** Length-ratio figures of a group of pairs. */
export class RatioAccumulator {
  private n = 0;
  private logSum = 0;
  private longer = 0;
  private readonly buckets = new Array<number>(LENGTH_RATIO_EDGES.length + 1).fill(0);
  constructor(readonly key: string) {}
  add(r: number) {
    this.n += 1;
    this.logSum += Math.log(r);
    if (r > 1) this.longer += 1;
    const bucket = LENGTH_RATIO_EDGES.findIndex((edge) => r < edge);
    this.buckets[bucket === -1 ? LENGTH_RATIO_EDGES.length : bucket]! += 1;
  }
  row(): LengthRatioRow {
    return {
      key: this.key,
      pairs: this.n,
      mean: this.n ? Math.exp(this.logSum / this.n) : null,
      chosenLonger: this.n ? this.longer / this.n : null,
      buckets: [...this.buckets],
    };
  }
}
