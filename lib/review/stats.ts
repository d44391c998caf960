import type { Db } from "../db/client.ts";
import {
  agreement,
  agreementReport,
  percentAgreement,
  type Agreement,
  type AgreementReport,
  type VoteRecord,
} from "./agreement.ts";
import type { Prisma } from "../db/generated/client.ts";
import { enqueueJob } from "../jobs/commands.ts";
import { statusRulesOf } from "./decide.ts";
import type { DbOrTx } from "./pairs.ts";
import { PAIR_STATUSES, type PairStatus } from "../domain.ts";
import { emptyStatusCounts, pairCounts } from "./pairs.ts";
import {
  countingVotesSql,
  type LengthRatioGroupSqlRow,
  lengthRatioGroupsSql,
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
  /** True when the figures come from the stored review-stats (large datasets). */
  cached: boolean;
  /** When the review-stats job last stored the figures (bootstrap intervals), null: not yet. */
  statsAsOf: string | null;
  /** Agreement, position bias and speed (intervals from the background job). */
  agreementReport: AgreementReport;
  charts: ReviewCharts;
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

/**
 * Datasets below this size get their breakdowns computed on each request (a scan of a few
 * thousand rows, tens of milliseconds); the scan grows with the pairs (1.3 s at 95,000, measured
 * with bench/review), so from this size on the overview reads the figures the `review-stats` job stored
 * (ReviewStats), with their age, and asks for a refresh when they are older than STALE_MS.
 * The bootstrap intervals always come from the job.
 */
export const LIVE_UNDER_PAIRS = 10_000;
export const STALE_MS = 30_000;
/** The background job that computes and stores a dataset's review figures (lib/jobs/review-stats.ts). */
export const REVIEW_STATS = "review-stats";
/** Bootstrap resamples of the stored figures. */
const BOOTSTRAP_SAMPLES = 1000;

type Breakdowns = Omit<ReviewOverview, "progress" | "cached" | "agreementReport" | "charts" | "statsAsOf">;

/** What the job stores: the breakdowns, the agreement report with intervals, the chart series. */
export type StoredReviewStats = Breakdowns & { agreementReport: AgreementReport; charts: ReviewCharts };

export async function reviewOverview(
  db: Db,
  datasetId: number,
  options: { liveUnderPairs?: number } = {},
): Promise<ReviewOverview> {
  const [progress, stored] = await Promise.all([
    pairCounts(db, datasetId),
    db.reviewStats.findUnique({ where: { datasetId } }),
  ]);
  const storedData = stored ? (stored.data as unknown as StoredReviewStats) : null;
  const stale = !stored || Date.now() - stored.computedAt.getTime() > STALE_MS;
  if (progress.total < (options.liveUnderPairs ?? LIVE_UNDER_PAIRS)) {
    const live = await computeReviewStats(db, datasetId, { samples: 0 });
    // Only the intervals are missing here: worth a background run once pairs have several votes.
    const changed = storedData?.agreementReport.votes !== live.agreementReport.votes;
    if (stale && changed && live.agreementReport.units > 0) await requestReviewStats(db, datasetId);
    return {
      ...live,
      progress,
      cached: false,
      statsAsOf: stored?.computedAt.toISOString() ?? null,
      // Intervals from the last background run, when it saw the same votes.
      agreementReport:
        storedData && storedData.agreementReport.votes === live.agreementReport.votes
          ? storedData.agreementReport
          : live.agreementReport,
    };
  }
  if (stale) await requestReviewStats(db, datasetId);
  if (!storedData) return { ...emptyStats(), progress, cached: true, statsAsOf: null };
  return { ...storedData, progress, cached: true, statsAsOf: stored!.computedAt.toISOString() };
}

/** Starts the review-stats job for the dataset unless one is already waiting or running. */
export async function requestReviewStats(db: Db, datasetId: number): Promise<void> {
  const waiting = await db.job.findFirst({
    where: { kind: REVIEW_STATS, datasetId, status: { in: ["queued", "running"] } },
    select: { id: true },
  });
  if (waiting) return;
  await enqueueJob(db, { kind: REVIEW_STATS, datasetId, params: { datasetId }, maxAttempts: 2 }, [
    { kind: REVIEW_STATS, payload: { datasetId } },
  ]);
}

/** Everything the overview shows about review, computed now (the job passes `samples` for the intervals). */
export async function computeReviewStats(
  db: Db,
  datasetId: number,
  options: { samples?: number } = {},
): Promise<StoredReviewStats> {
  const [settings, value, votes, byNew] = await Promise.all([
    db.dataset.findUnique({ where: { id: datasetId }, select: { settings: true } }),
    breakdowns(db, datasetId),
    countingVoteRecords(db, datasetId),
    db.pair.groupBy({ by: ["newConstraintIds", "status"], where: { datasetId }, _count: { _all: true } }),
  ]);
  const raters = statusRulesOf(settings?.settings).reviewsPerPair;
  const report = agreementReport(
    votes.map((v) => v.record),
    { raters, samples: options.samples ?? BOOTSTRAP_SAMPLES, seed: datasetId },
  );
  const byNewConstraint = new Map<string, AcceptanceRow>();
  for (const row of byNew)
    for (const id of new Set(row.newConstraintIds.split(" ").filter(Boolean)))
      add(byNewConstraint, id, row.status, row._count._all);
  return {
    ...value,
    agreementReport: report,
    charts: reviewCharts(
      votes,
      finish(byNewConstraint, (a, b) => b.total - a.total || a.key.localeCompare(b.key)),
    ),
  };
}

/**
 * The figures for `ecd dataset stats --json`: the stored ones when the background job has stored
 * them, else computed now (with the intervals) and stored. `asOf` says when.
 */
export async function cliReviewStats(db: Db, datasetId: number): Promise<StoredReviewStats & { statsAsOf: string }> {
  const stored = await db.reviewStats.findUnique({ where: { datasetId } });
  if (stored && Date.now() - stored.computedAt.getTime() <= STALE_MS)
    return { ...(stored.data as unknown as StoredReviewStats), statsAsOf: stored.computedAt.toISOString() };
  const data = await computeReviewStats(db, datasetId);
  await storeReviewStats(db, datasetId, data);
  return { ...data, statsAsOf: new Date().toISOString() };
}

/** Stores the figures (the job's completing transaction). */
export async function storeReviewStats(db: DbOrTx, datasetId: number, data: StoredReviewStats): Promise<void> {
  const json = data as unknown as Prisma.InputJsonValue;
  const computedAt = new Date();
  await db.reviewStats.upsert({
    where: { datasetId },
    create: { datasetId, computedAt, data: json },
    update: { computedAt, data: json },
  });
}

function emptyStats(): Omit<StoredReviewStats, "asOf"> & { asOf: string } {
  const ratio = new RatioAccumulator("all").row();
  return {
    asOf: new Date().toISOString(),
    edited: 0,
    overrides: 0,
    lengthRatio: { overall: ratio, byMethod: [], byDepth: [], byNewConstraint: [] },
    reviewers: [],
    byDepth: [],
    byMethod: [],
    byConstraint: [],
    agreement: { pairs: 0, observed: null, alpha: null },
    agreementReport: agreementReport([], { raters: 1, samples: 0 }),
    charts: reviewCharts([], []),
  };
}

type CountingVote = { record: VoteRecord; email: string };

/** Each voter's last vote in each pair's current round (votes only), oldest first. */
async function countingVoteRecords(db: Db, datasetId: number): Promise<CountingVote[]> {
  const rows = await db.review.findMany({
    where: { kind: "vote", pair: { datasetId } },
    orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
    select: {
      pairId: true,
      userId: true,
      decision: true,
      choice: true,
      round: true,
      durationMs: true,
      decidedAt: true,
      leftResponseId: true,
      user: { select: { email: true } },
      pair: { select: { round: true } },
    },
  });
  const last = new Map<string, CountingVote>();
  for (const r of rows) {
    if (r.round !== r.pair.round) continue;
    const key = `${r.pairId}:${r.userId}`;
    last.delete(key);
    last.set(key, {
      email: r.user.email,
      record: {
        pairId: r.pairId,
        userId: r.userId,
        outcome: r.decision === "accept" || r.decision === "flip" ? r.decision : "reject",
        pickedLeft: r.choice === "a" ? true : r.choice === "b" ? false : null,
        durationMs: r.durationMs,
        at: r.decidedAt.toISOString(),
      },
    });
  }
  return [...last.values()];
}

/** Edges (seconds) of the time-per-vote histogram: < 2, < 5, < 10, < 20, < 40, < 80, ≥ 80. */
export const VOTE_TIME_EDGES = [2, 5, 10, 20, 40, 80] as const;

export type ReviewCharts = {
  /** Per day: percent agreement of the pairs whose last counting vote fell on that day. */
  agreementOverTime: { day: string; agreement: number | null; pairs: number }[];
  /** Per day and reviewer: votes. */
  votesPerDay: { day: string; counts: Record<string, number> }[];
  reviewers: string[];
  /** Votes per time bucket (VOTE_TIME_EDGES). */
  timePerVote: { bucket: string; votes: number }[];
  acceptanceByNewConstraint: AcceptanceRow[];
};

/** The chart series of the overview, from the counting votes. */
export function reviewCharts(votes: readonly CountingVote[], byNewConstraint: AcceptanceRow[]): ReviewCharts {
  const day = (at: string | Date) => new Date(at).toISOString().slice(0, 10);
  const byPair = new Map<number, CountingVote[]>();
  for (const v of votes) byPair.set(v.record.pairId, [...(byPair.get(v.record.pairId) ?? []), v]);
  const unitsByDay = new Map<string, string[][]>();
  for (const list of byPair.values()) {
    if (list.length < 2) continue;
    const lastDay = day(
      list
        .map((v) => v.record.at)
        .sort()
        .at(-1)!,
    );
    unitsByDay.set(lastDay, [...(unitsByDay.get(lastDay) ?? []), list.map((v) => v.record.outcome)]);
  }
  const perDay = new Map<string, Record<string, number>>();
  const reviewers = new Set<string>();
  const buckets = new Array<number>(VOTE_TIME_EDGES.length + 1).fill(0);
  for (const v of votes) {
    const d = day(v.record.at);
    const counts = perDay.get(d) ?? {};
    perDay.set(d, counts);
    counts[v.email] = (counts[v.email] ?? 0) + 1;
    reviewers.add(v.email);
    const secs = v.record.durationMs / 1000;
    const b = VOTE_TIME_EDGES.findIndex((edge) => secs < edge);
    buckets[b === -1 ? VOTE_TIME_EDGES.length : b]! += 1;
  }
  const labels = VOTE_TIME_EDGES.map((e) => `< ${e} s`).concat(`≥ ${VOTE_TIME_EDGES.at(-1)} s`);
  return {
    agreementOverTime: [...unitsByDay]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([d, units]) => ({ day: d, agreement: percentAgreement(units), pairs: units.length })),
    votesPerDay: [...perDay].sort(([a], [b]) => a.localeCompare(b)).map(([d, counts]) => ({ day: d, counts })),
    reviewers: [...reviewers].sort(),
    timePerVote: labels.map((bucket, i) => ({ bucket, votes: buckets[i]! })),
    acceptanceByNewConstraint: byNewConstraint,
  };
}

async function breakdowns(db: Db, datasetId: number): Promise<Breakdowns> {
  const asOf = new Date().toISOString();
  const [reviewerRows, groupRows, voteRows, ratioRows, flags] = await Promise.all([
    db.$queryRaw<ReviewerCountRow[]>(reviewerCountsSql(datasetId)),
    db.$queryRaw<PairGroupRow[]>(pairGroupsSql(datasetId)),
    db.$queryRaw<{ pairId: number | bigint; userId: number | bigint; decision: string }[]>(countingVotesSql(datasetId)),
    db.$queryRaw<LengthRatioGroupSqlRow[]>(lengthRatioGroupsSql(datasetId, LENGTH_RATIO_EDGES)),
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
  const into = (map: Map<string, RatioAccumulator>, key: string, group: RatioGroup) => {
    const acc = map.get(key) ?? new RatioAccumulator(key);
    map.set(key, acc);
    acc.addGroup(group);
  };
  for (const row of ratioRows) {
    const n = Number(row.n);
    const below = LENGTH_RATIO_EDGES.map((_, i) => Number(row[`below${i}`]));
    const group: RatioGroup = {
      n,
      logSum: Number(row.logSum),
      longer: Number(row.longer),
      buckets: [...below, n].map((count, i) => count - (i ? below[i - 1]! : 0)),
    };
    overall.addGroup(group);
    into(ratioBy.method, row.method, group);
    into(ratioBy.depth, String(row.depth), group);
    for (const id of new Set(row.newConstraintIds.split(" ").filter(Boolean))) into(ratioBy.constraint, id, group);
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

/** The length-ratio sums of a group of pairs (lib/db's lengthRatioGroupsSql). */
type RatioGroup = { n: number; logSum: number; longer: number; buckets: number[] };

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
  addGroup(group: RatioGroup) {
    this.n += group.n;
    this.logSum += group.logSum;
    this.longer += group.longer;
    group.buckets.forEach((count, i) => (this.buckets[i]! += count));
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
