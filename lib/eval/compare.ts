/**
 * Comparing two evaluation runs on the same benchmark (pure): the four IFEval numbers with
 * bootstrap confidence intervals, an exact McNemar test on the paired prompt-level strict
 * verdicts, per-instruction-id deltas, and the prompts that flipped each way.
 */
import { accuracyReport, type PromptResult } from "../constraints/evaluate.ts";
import { createRng } from "../constraints/rng.ts";

export interface RunVerdicts {
  /** Per prompt, keyed by prompt text (the pairing key). */
  responses: { strict: PromptResult; loose: PromptResult }[];
}

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface FourNumbers {
  strictPrompt: Interval;
  strictInstruction: Interval;
  loosePrompt: Interval;
  looseInstruction: Interval;
}

export interface RunComparison {
  /** Prompts answered in both runs. */
  paired: number;
  a: FourNumbers;
  b: FourNumbers;
  /** Prompt-level strict: b − a, with a paired bootstrap interval. */
  strictPromptDelta: Interval;
  mcnemar: { aOnly: number; bOnly: number; pValue: number };
  /** Per instruction id (strict instruction-level accuracy), sorted by id. */
  byId: { id: string; a: number; b: number; delta: number; total: number }[];
  /** Prompts A passed and B failed (strict), and the reverse. */
  flips: { lost: string[]; gained: string[] };
}

/** Two-sided exact McNemar p-value: a binomial(n = b + c, 1/2) test of the discordant pairs. */
export function exactMcNemar(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum C(n, i) / 2^n for i ≤ k in log space (n can be large).
  let logC = 0; // log C(n, 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

const RESAMPLES = 1000;

interface PromptStat {
  strictAll: number;
  looseAll: number;
  strictFollowed: number;
  looseFollowed: number;
  instructions: number;
}

function stat(r: { strict: PromptResult; loose: PromptResult }): PromptStat {
  return {
    strictAll: r.strict.follow_all_instructions ? 1 : 0,
    looseAll: r.loose.follow_all_instructions ? 1 : 0,
    strictFollowed: r.strict.follow_instruction_list.filter(Boolean).length,
    looseFollowed: r.loose.follow_instruction_list.filter(Boolean).length,
    instructions: r.strict.instruction_id_list.length,
  };
}

function fourValues(stats: readonly PromptStat[], pick: readonly number[]): number[] {
  let sp = 0;
  let lp = 0;
  let si = 0;
  let li = 0;
  let n = 0;
  for (const i of pick) {
    const s = stats[i]!;
    sp += s.strictAll;
    lp += s.looseAll;
    si += s.strictFollowed;
    li += s.looseFollowed;
    n += s.instructions;
  }
  return [sp / pick.length, si / n, lp / pick.length, li / n];
}

/** Compares run B against run A on the prompts both answered (a seeded bootstrap: same input, same output). */
export function compareRuns(a: RunVerdicts, b: RunVerdicts, seed = 0): RunComparison {
  const bByPrompt = new Map(b.responses.map((r) => [r.strict.prompt, r]));
  const pairs = a.responses.flatMap((r) => {
    const other = bByPrompt.get(r.strict.prompt);
    return other ? [[r, other] as const] : [];
  });
  const statsA = pairs.map(([x]) => stat(x));
  const statsB = pairs.map(([, y]) => stat(y));
  const all = pairs.map((_, i) => i);
  const rng = createRng(seed);
  const samplesA: number[][] = [[], [], [], []];
  const samplesB: number[][] = [[], [], [], []];
  const deltas: number[] = [];
  if (pairs.length > 0) {
    for (let s = 0; s < RESAMPLES; s++) {
      const pick = all.map(() => rng.int(0, pairs.length - 1));
      const va = fourValues(statsA, pick);
      const vb = fourValues(statsB, pick);
      va.forEach((v, k) => samplesA[k]!.push(v));
      vb.forEach((v, k) => samplesB[k]!.push(v));
      deltas.push(vb[0]! - va[0]!);
    }
  }
  const interval = (value: number, samples: number[]): Interval => {
    if (samples.length === 0) return { value, low: NaN, high: NaN };
    const sorted = [...samples].sort((x, y) => x - y);
    return { value, low: quantile(sorted, 0.025), high: quantile(sorted, 0.975) };
  };
  const four = (stats: PromptStat[], samples: number[][]): FourNumbers => {
    const v = stats.length ? fourValues(stats, all) : [NaN, NaN, NaN, NaN];
    return {
      strictPrompt: interval(v[0]!, samples[0]!),
      strictInstruction: interval(v[1]!, samples[1]!),
      loosePrompt: interval(v[2]!, samples[2]!),
      looseInstruction: interval(v[3]!, samples[3]!),
    };
  };
  const fa = four(statsA, samplesA);
  const fb = four(statsB, samplesB);

  const lost: string[] = [];
  const gained: string[] = [];
  for (const [x, y] of pairs) {
    if (x.strict.follow_all_instructions && !y.strict.follow_all_instructions) lost.push(x.strict.prompt);
    if (!x.strict.follow_all_instructions && y.strict.follow_all_instructions) gained.push(x.strict.prompt);
  }

  const idsA = accuracyReport(pairs.map(([x]) => x.strict)).byId;
  const idsB = accuracyReport(pairs.map(([, y]) => y.strict)).byId;
  const byId = Object.keys(idsA).map((id) => ({
    id,
    a: idsA[id]!.accuracy,
    b: idsB[id]!.accuracy,
    delta: idsB[id]!.accuracy - idsA[id]!.accuracy,
    total: idsA[id]!.total,
  }));

  return {
    paired: pairs.length,
    a: fa,
    b: fb,
    strictPromptDelta: interval(fb.strictPrompt.value - fa.strictPrompt.value, deltas),
    mcnemar: { aOnly: lost.length, bOnly: gained.length, pValue: exactMcNemar(lost.length, gained.length) },
    byId,
    flips: { lost, gained },
  };
}
