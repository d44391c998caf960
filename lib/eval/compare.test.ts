import { describe, expect, it } from "vitest";
import { evaluatePrompt, type PromptResult } from "../constraints/evaluate.ts";
import { compareRuns, exactMcNemar } from "./compare.ts";

/** Binomial tail computed independently: exact rationals with BigInt. */
function mcnemarByBigInt(b: number, c: number): number {
  const n = b + c;
  const k = Math.min(b, c);
  let coef = 1n;
  let sum = 0n;
  for (let i = 0; i <= k; i++) {
    if (i > 0) coef = (coef * BigInt(n - i + 1)) / BigInt(i);
    sum += coef;
  }
  const p = (2 * Number((sum * 10n ** 15n) / 2n ** BigInt(n))) / 1e15;
  return Math.min(1, p);
}

describe("exactMcNemar", () => {
  it("matches a binomial tail computed with exact integers", () => {
    for (const [b, c] of [
      [0, 0],
      [3, 3],
      [1, 9],
      [12, 30],
      [40, 61],
      [200, 150],
    ] as const) {
      expect(exactMcNemar(b, c)).toBeCloseTo(mcnemarByBigInt(b, c), 10);
    }
    // Known value: b = 1, c = 9 → 2 · (1 + 10) / 1024.
    expect(exactMcNemar(1, 9)).toBeCloseTo(22 / 1024, 12);
  });
});

/** A scripted model's verdicts: prompts 0..n-1 with one no-comma instruction each. */
function run(
  passing: (i: number) => boolean,
  n: number,
): { responses: { strict: PromptResult; loose: PromptResult }[] } {
  return {
    responses: Array.from({ length: n }, (_, i) => {
      const row = { prompt: `prompt ${i}`, instruction_id_list: ["punctuation:no_comma" as const], kwargs: [{}] };
      const text = passing(i) ? "no commas here" : "a, b";
      return { strict: evaluatePrompt(row, text, "strict"), loose: evaluatePrompt(row, text, "loose") };
    }),
  };
}

describe("compareRuns", () => {
  it("gives the expected deltas, flips and McNemar p-value for two scripted models", () => {
    // A passes prompts 0-59; B passes 10-79: B lost 0-9 (10 prompts) and gained 60-79 (20).
    const a = run((i) => i < 60, 100);
    const b = run((i) => i >= 10 && i < 80, 100);
    const cmp = compareRuns(a, b);
    expect(cmp.paired).toBe(100);
    expect(cmp.a.strictPrompt.value).toBeCloseTo(0.6);
    expect(cmp.b.strictPrompt.value).toBeCloseTo(0.7);
    expect(cmp.strictPromptDelta.value).toBeCloseTo(0.1);
    expect(cmp.flips.lost).toEqual(Array.from({ length: 10 }, (_, i) => `prompt ${i}`));
    expect(cmp.flips.gained).toEqual(Array.from({ length: 20 }, (_, i) => `prompt ${60 + i}`));
    expect(cmp.mcnemar).toMatchObject({ aOnly: 10, bOnly: 20 });
    // Independent: 2 · P(X ≤ 10), X ~ Binomial(30, 1/2) = 0.0987… (scipy.stats.binomtest(10, 30).pvalue).
    expect(cmp.mcnemar.pValue).toBeCloseTo(0.09873714, 6);
    expect(cmp.byId).toEqual([{ id: "punctuation:no_comma", a: 0.6, b: 0.7, delta: expect.closeTo(0.1), total: 100 }]);
    // The interval contains the estimate and is not degenerate.
    expect(cmp.a.strictPrompt.low).toBeLessThan(0.6);
    expect(cmp.a.strictPrompt.high).toBeGreaterThan(0.6);
    expect(cmp.strictPromptDelta.low).toBeLessThan(0.1);
    expect(cmp.strictPromptDelta.high).toBeGreaterThan(0.1);
  });
});
