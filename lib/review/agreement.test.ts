import { describe, expect, it } from "vitest";
import {
  agreementReport,
  bootstrapInterval,
  cohenKappa,
  fleissKappa,
  krippendorffAlpha,
  percentAgreement,
  type VoteRecord,
} from "./agreement.ts";

/** Units from a table of category counts per subject (one row per subject). */
const fromCounts = (rows: number[][]) => rows.map((row) => row.flatMap((n, c) => Array<string>(n).fill(`c${c + 1}`)));

/** Units from a reliability data matrix (one row per observer, null = missing). */
const fromMatrix = (observers: (number | null)[][]) =>
  observers[0]!.map((_, u) =>
    observers
      .map((o) => o[u])
      .filter((v): v is number => v !== null)
      .map(String),
  );

describe("published worked examples", () => {
  it("Cohen's κ: Wikipedia 'Cohen's kappa', simple example (50 proposals; 20 yes/yes, 5, 10, 15 no/no): κ = 0.4", () => {
    const pairs: [string, string][] = [
      ...Array(20).fill(["yes", "yes"]),
      ...Array(5).fill(["yes", "no"]),
      ...Array(10).fill(["no", "yes"]),
      ...Array(15).fill(["no", "no"]),
    ];
    expect(cohenKappa(pairs)).toBeCloseTo(0.4, 10);
  });

  it("Fleiss' κ: Wikipedia 'Fleiss' kappa' worked example (10 subjects, 14 raters, 5 categories): κ = 0.210", () => {
    const units = fromCounts([
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ]);
    expect(fleissKappa(units, 14)).toBeCloseTo(0.21, 3);
    // Units with another number of ratings are left out.
    expect(fleissKappa([...units, ["c1", "c2"]], 14)).toBeCloseTo(0.21, 3);
  });

  it("Krippendorff's α: 'Computing Krippendorff's Alpha-Reliability' (2011), binary data, two observers: α = 0.095", () => {
    const units = fromMatrix([
      [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
      [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    ]);
    expect(krippendorffAlpha(units)).toBeCloseTo(0.095, 3);
  });

  it("Krippendorff's α: same paper, nominal data, four observers, missing values (12 units): α = 0.743", () => {
    const units = fromMatrix([
      [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
      [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ]);
    expect(krippendorffAlpha(units)).toBeCloseTo(0.743, 3);
  });

  it("percent agreement counts agreeing vote pairs within units", () => {
    // 3 voters 2–1: 1 of 3 pairs agrees; 2 voters agreeing: 1 of 1.
    expect(percentAgreement([["a", "a", "b"], ["a", "a"], ["b"]])).toBeCloseTo(2 / 4, 10);
    expect(percentAgreement([["a"]])).toBeNull();
  });
});

/** n units of three votes from a reviewer population that agrees about 80% of the time (seeded). */
function simulated(n: number): string[][] {
  let s = 7;
  const random = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, () => {
    const truth = random() < 0.6 ? "accept" : "reject";
    return [0, 1, 2].map(() => (random() < 0.8 ? truth : truth === "accept" ? "reject" : "accept"));
  });
}

describe("bootstrap interval", () => {
  it("covers the point estimate, is reproducible with its seed and narrows with more pairs", () => {
    const small = simulated(40);
    const large = simulated(1000);
    const a = bootstrapInterval(small, krippendorffAlpha, { seed: 3 })!;
    const b = bootstrapInterval(large, krippendorffAlpha, { seed: 3 })!;
    const pointSmall = krippendorffAlpha(small)!;
    const pointLarge = krippendorffAlpha(large)!;
    expect(a[0]).toBeLessThanOrEqual(pointSmall);
    expect(a[1]).toBeGreaterThanOrEqual(pointSmall);
    expect(b[0]).toBeLessThanOrEqual(pointLarge);
    expect(b[1]).toBeGreaterThanOrEqual(pointLarge);
    expect(b[1] - b[0]).toBeLessThan((a[1] - a[0]) / 2);
    expect(bootstrapInterval(small, krippendorffAlpha, { seed: 3 })).toEqual(a);
    expect(bootstrapInterval([["a", "b"]], krippendorffAlpha)).toBeNull();
  });
});

describe("agreementReport", () => {
  const day = (d: number, h = 10) => new Date(Date.UTC(2026, 0, d, h)).toISOString();
  const v = (pairId: number, userId: number, outcome: string, extra: Partial<VoteRecord> = {}): VoteRecord => ({
    pairId,
    userId,
    outcome,
    pickedLeft: null,
    durationMs: 5000,
    at: day(1),
    ...extra,
  });

  it("reports κ per reviewer pair, Fleiss on exact units, position bias, majority agreement and speed", () => {
    const votes: VoteRecord[] = [
      v(1, 1, "accept", { pickedLeft: true, durationMs: 1000 }),
      v(1, 2, "accept", { pickedLeft: false }),
      v(1, 3, "reject"),
      v(2, 1, "flip", { pickedLeft: true, at: day(2) }),
      v(2, 2, "flip", { pickedLeft: true }),
      v(2, 3, "flip", { pickedLeft: false }),
      v(3, 1, "accept", { pickedLeft: true, at: day(2) }),
      v(3, 2, "reject"),
      v(4, 1, "reject", { at: day(3), durationMs: 3000 }),
    ];
    const r = agreementReport(votes, { raters: 3, samples: 200, seed: 1 });
    expect(r.votes).toBe(9);
    expect(r.units).toBe(3);
    expect(r.fleiss.units).toBe(2);
    expect(r.fleiss.value).toBeCloseTo(
      fleissKappa(
        [
          ["accept", "accept", "reject"],
          ["flip", "flip", "flip"],
        ],
        3,
      )!,
      10,
    );
    expect(r.cohen.map((c) => [c.a, c.b, c.units])).toEqual([
      [1, 2, 3],
      [1, 3, 2],
      [2, 3, 2],
    ]);
    expect(r.positionBias).toEqual({ votes: 6, leftShare: 4 / 6 });
    expect(r.generatedAgreement).toBeCloseTo(3 / 9, 10);
    const u1 = r.reviewers.find((x) => x.userId === 1)!;
    // Majorities: pair 1 accept (2 of 3), pair 2 flip; pair 3 has none. User 1 matches both.
    expect(u1).toMatchObject({ votes: 4, votesPerDay: 4 / 3, agreementWithMajority: 1, leftShare: 1 });
    expect(u1.medianSeconds).toBeCloseTo(4, 10);
    expect(u1.fastShare).toBeCloseTo(0.25, 10);
    expect(u1.flagged).toBe(true);
    const u3 = r.reviewers.find((x) => x.userId === 3)!;
    expect(u3).toMatchObject({ agreementWithMajority: 0.5, flagged: false, fastShare: 0 });
  });
});
