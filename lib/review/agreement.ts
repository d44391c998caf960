/**
 * Inter-reviewer agreement and reviewer speed (pure: no DB, no clock).
 *
 * A *unit* is one pair; its ratings are the counting votes (each voter's last vote in the current
 * round, DESIGN.md "The life of a pair") as categories: accept / flip / reject (A/B votes are
 * mapped first), or keep / drop in the older two-way reduction. Measures:
 *
 * - percent agreement: the share of agreeing vote pairs within units (pairwise, any number of voters);
 * - Cohen's κ for each two reviewers on the units both rated (Cohen 1960);
 * - Fleiss' κ on units with exactly `n` ratings (Fleiss 1971);
 * - Krippendorff's α, nominal, on every unit with ≥ 2 ratings (Krippendorff 2011), which allows
 *   missing ratings and any number of reviewers;
 * - a percentile bootstrap 95% interval for each, resampling units with a seeded generator, so the
 *   same data give the same interval.
 */

export type Category = string;

/** Observed pairwise agreement: agreeing vote pairs / vote pairs, over units with ≥ 2 ratings. */
export function percentAgreement(units: readonly (readonly Category[])[]): number | null {
  let agreeing = 0;
  let comparisons = 0;
  for (const ratings of units) {
    const m = ratings.length;
    if (m < 2) continue;
    for (const n of tally(ratings).values()) agreeing += (n * (n - 1)) / 2;
    comparisons += (m * (m - 1)) / 2;
  }
  return comparisons ? agreeing / comparisons : null;
}

/** Cohen's κ of two raters over the units both rated: (p_o − p_e) / (1 − p_e); null when p_e = 1. */
export function cohenKappa(pairs: readonly (readonly [Category, Category])[]): number | null {
  const n = pairs.length;
  if (!n) return null;
  let same = 0;
  const first = new Map<Category, number>();
  const second = new Map<Category, number>();
  for (const [a, b] of pairs) {
    if (a === b) same += 1;
    first.set(a, (first.get(a) ?? 0) + 1);
    second.set(b, (second.get(b) ?? 0) + 1);
  }
  let expected = 0;
  for (const [c, k] of first) expected += (k / n) * ((second.get(c) ?? 0) / n);
  if (expected === 1) return null;
  return (same / n - expected) / (1 - expected);
}

/** Fleiss' κ over the units with exactly `raters` ratings (others are left out); null when undefined. */
export function fleissKappa(units: readonly (readonly Category[])[], raters: number): number | null {
  const used = units.filter((u) => u.length === raters);
  const N = used.length;
  if (!N || raters < 2) return null;
  let pBar = 0;
  const totals = new Map<Category, number>();
  for (const ratings of used) {
    let agreeing = 0;
    for (const [c, k] of tally(ratings)) {
      agreeing += k * (k - 1);
      totals.set(c, (totals.get(c) ?? 0) + k);
    }
    pBar += agreeing / (raters * (raters - 1));
  }
  pBar /= N;
  let pe = 0;
  for (const k of totals.values()) pe += (k / (N * raters)) ** 2;
  if (pe === 1) return null;
  return (pBar - pe) / (1 - pe);
}

/**
 * Krippendorff's α for nominal data: 1 − D_o / D_e from the coincidence matrix of the units with
 * ≥ 2 ratings (units with one rating are unpairable and left out). Null when D_e = 0 (one category).
 */
export function krippendorffAlpha(units: readonly (readonly Category[])[]): number | null {
  let n = 0;
  let disagreement = 0; // Σ_u Σ_{c≠k} o_ck(u)
  const nc = new Map<Category, number>();
  for (const ratings of units) {
    const m = ratings.length;
    if (m < 2) continue;
    const counts = tally(ratings);
    let sumSquares = 0;
    for (const [c, k] of counts) {
      nc.set(c, (nc.get(c) ?? 0) + k);
      sumSquares += k * k;
    }
    n += m;
    disagreement += (m * m - sumSquares) / (m - 1);
  }
  let expected = 0; // Σ_{c≠k} n_c n_k
  let sum = 0;
  let sumSquares = 0;
  for (const k of nc.values()) {
    sum += k;
    sumSquares += k * k;
  }
  expected = sum * sum - sumSquares;
  if (n < 2 || expected === 0) return null;
  return 1 - ((n - 1) * disagreement) / expected;
}

export type Estimate = {
  value: number | null;
  /** Percentile bootstrap 95% interval [low, high]; null when the estimate is null or too few units. */
  ci: [number, number] | null;
  /** Units the estimate is computed on. */
  units: number;
};

/** A small seeded generator (mulberry32): the same seed gives the same bootstrap. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Percentile bootstrap 95% interval of `statistic` over `units` (resampled with replacement).
 * Resamples whose statistic is undefined are skipped. Null with fewer than 2 units.
 */
export function bootstrapInterval<T>(
  units: readonly T[],
  statistic: (sample: readonly T[]) => number | null,
  options: { samples?: number; seed?: number } = {},
): [number, number] | null {
  const samples = options.samples ?? 1000;
  if (units.length < 2) return null;
  const random = seededRandom(options.seed ?? 1);
  const values: number[] = [];
  const sample = new Array<T>(units.length);
  for (let s = 0; s < samples; s += 1) {
    for (let i = 0; i < units.length; i += 1) sample[i] = units[Math.floor(random() * units.length)]!;
    const v = statistic(sample);
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  if (values.length < samples / 2) return null;
  values.sort((a, b) => a - b);
  return [quantile(values, 0.025), quantile(values, 0.975)];
}

/** Linear-interpolated quantile of a sorted list. */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(values: readonly number[]): number | null {
  return values.length
    ? quantile(
        [...values].sort((a, b) => a - b),
        0.5,
      )
    : null;
}

function tally(ratings: readonly Category[]): Map<Category, number> {
  const counts = new Map<Category, number>();
  for (const r of ratings) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

// ---------------------------------------------------------------------------------------------
// The dataset report: agreement, position bias and speed from the counting votes
// ---------------------------------------------------------------------------------------------

/** One counting vote, as the report reads it. */
export type VoteRecord = {
  pairId: number;
  userId: number;
  /** accept (the shown chosen won) / flip (the shown rejected won) / reject. */
  outcome: Category;
  /** A/B votes: whether the reviewer picked the side shown on the left (null: tie / both bad / labelled). */
  pickedLeft: boolean | null;
  durationMs: number;
  /** When the vote was cast (ISO string or Date). */
  at: string | Date;
};

/** Votes faster than this are flagged (a pair cannot be read in two seconds). */
export const FAST_VOTE_MS = 2000;
/** A reviewer is flagged when at least this share of their votes is fast. */
export const FAST_SHARE_FLAG = 0.1;

export type ReviewerSpeed = {
  userId: number;
  votes: number;
  /** Votes per day on the days the reviewer voted. */
  votesPerDay: number;
  medianSeconds: number | null;
  /** Share of their votes on units with a strict majority that match it (null: none). */
  agreementWithMajority: number | null;
  /** Share of A/B side-picking votes for the left side (null: none). */
  leftShare: number | null;
  fastShare: number;
  flagged: boolean;
};

export type CohenRow = { a: number; b: number } & Estimate;

export type AgreementReport = {
  votes: number;
  /** Units with ≥ 2 votes. */
  units: number;
  percent: Estimate;
  fleiss: Estimate & { raters: number };
  alpha: Estimate;
  cohen: CohenRow[];
  /** Share of side-picking A/B votes for the left side. */
  positionBias: { leftShare: number | null; votes: number };
  /** Share of votes whose outcome is accept: the generated orientation won. */
  generatedAgreement: number | null;
  reviewers: ReviewerSpeed[];
};

export type ReportOptions = {
  /** Fleiss' κ counts units with exactly this many votes (the dataset's reviewsPerPair). */
  raters: number;
  /** Bootstrap resamples (0: no intervals). */
  samples?: number;
  seed?: number;
};

const estimate = <T>(
  units: readonly T[],
  statistic: (sample: readonly T[]) => number | null,
  options: ReportOptions,
): Estimate => {
  const value = statistic(units);
  const samples = options.samples ?? 1000;
  return {
    value,
    units: units.length,
    ci: value === null || samples === 0 ? null : bootstrapInterval(units, statistic, { samples, seed: options.seed }),
  };
};

export function agreementReport(votes: readonly VoteRecord[], options: ReportOptions): AgreementReport {
  const byPair = new Map<number, VoteRecord[]>();
  for (const v of votes) {
    const list = byPair.get(v.pairId) ?? [];
    byPair.set(v.pairId, list);
    list.push(v);
  }
  const multi = [...byPair.values()].filter((l) => l.length >= 2);
  const units = multi.map((l) => l.map((v) => v.outcome));

  // Cohen's κ for every two reviewers who share units.
  const shared = new Map<string, [Category, Category][]>();
  for (const list of multi) {
    const sorted = [...list].sort((x, y) => x.userId - y.userId);
    for (let i = 0; i < sorted.length; i += 1)
      for (let j = i + 1; j < sorted.length; j += 1) {
        const key = `${sorted[i]!.userId}:${sorted[j]!.userId}`;
        const rows = shared.get(key) ?? [];
        shared.set(key, rows);
        rows.push([sorted[i]!.outcome, sorted[j]!.outcome]);
      }
  }
  const cohen: CohenRow[] = [...shared].map(([key, rows]) => {
    const [a, b] = key.split(":").map(Number) as [number, number];
    return { a, b, ...estimate(rows, cohenKappa, options) };
  });

  // The majority of each unit with a strict one, for "agreement with the majority".
  const majority = new Map<number, Category>();
  for (const list of multi) {
    const counts = tally(list.map((v) => v.outcome));
    const [top, second] = [...counts].sort((x, y) => y[1] - x[1]);
    if (top && (!second || top[1] > second[1]) && top[1] * 2 > list.length) majority.set(list[0]!.pairId, top[0]);
  }

  const perUser = new Map<number, VoteRecord[]>();
  for (const v of votes) {
    const list = perUser.get(v.userId) ?? [];
    perUser.set(v.userId, list);
    list.push(v);
  }
  const reviewers: ReviewerSpeed[] = [...perUser].map(([userId, list]) => {
    const days = new Set(list.map((v) => new Date(v.at).toISOString().slice(0, 10)));
    const judged = list.filter((v) => majority.has(v.pairId));
    const sided = list.filter((v) => v.pickedLeft !== null);
    const fastShare = list.filter((v) => v.durationMs < FAST_VOTE_MS).length / list.length;
    const secs = median(list.map((v) => v.durationMs / 1000));
    return {
      userId,
      votes: list.length,
      votesPerDay: list.length / days.size,
      medianSeconds: secs,
      agreementWithMajority: judged.length
        ? judged.filter((v) => v.outcome === majority.get(v.pairId)).length / judged.length
        : null,
      leftShare: sided.length ? sided.filter((v) => v.pickedLeft).length / sided.length : null,
      fastShare,
      flagged: fastShare >= FAST_SHARE_FLAG,
    };
  });
  reviewers.sort((x, y) => y.votes - x.votes || x.userId - y.userId);

  const sided = votes.filter((v) => v.pickedLeft !== null);
  const exact = units.filter((u) => u.length === options.raters);
  return {
    votes: votes.length,
    units: units.length,
    percent: estimate(units, percentAgreement, options),
    fleiss: { raters: options.raters, ...estimate(exact, (s) => fleissKappa(s, options.raters), options) },
    alpha: estimate(units, krippendorffAlpha, options),
    cohen,
    positionBias: {
      votes: sided.length,
      leftShare: sided.length ? sided.filter((v) => v.pickedLeft).length / sided.length : null,
    },
    generatedAgreement: votes.length ? votes.filter((v) => v.outcome === "accept").length / votes.length : null,
    reviewers,
  };
}

// ---------------------------------------------------------------------------------------------
// The two-way summary the overview showed before (kept for its callers)
// ---------------------------------------------------------------------------------------------

export type Agreement = {
  /** Pairs with two or more voters. */
  pairs: number;
  /** Share of agreeing reviewer pairs, 0..1 (null without data). */
  observed: number | null;
  alpha: number | null;
};

export function agreement(votesByPair: Iterable<readonly ("keep" | "drop")[]>): Agreement {
  const units = [...votesByPair].filter((u) => u.length >= 2);
  if (!units.length) return { pairs: 0, observed: null, alpha: null };
  return { pairs: units.length, observed: percentAgreement(units), alpha: krippendorffAlpha(units) };
}
