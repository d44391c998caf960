import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import {
  createFixtureDataset,
  createFixturePair,
  createFixturePairs,
  createFixtureUser,
} from "../../test/fixtures/pairs.ts";
import { createWorker } from "../jobs/index.ts";
import { chosenOnLeft } from "./ab.ts";
import { voteAB } from "./decide.ts";
import { PAIR_STATUSES } from "../domain.ts";
import { computeReviewStats, RatioAccumulator, REVIEW_STATS, reviewOverview } from "./stats.ts";

const { db } = createTestDb();
const worker = createWorker(db, { slots: 1, pollMs: 20, leaseMs: 2_000 }).start();
afterAll(() => worker.stop({ graceMs: 100 }));

async function until(check: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A blind A/B dataset, 3 reviews per pair, where three reviewers vote on `n` pairs. */
async function votedDataset(n: number) {
  const ds = await createFixtureDataset(db);
  await db.dataset.update({
    where: { id: ds.id },
    data: { settings: { reviewsPerPair: 3, adjudication: true, blind: true, mode: "ab" } },
  });
  const users = [await createFixtureUser(db), await createFixtureUser(db), await createFixtureUser(db)];
  for (let i = 0; i < n; i += 1) {
    const fx = await createFixturePair(db, { datasetId: ds.id, depth: 1 + (i % 2) });
    for (const [k, user] of users.entries()) {
      // Users 0 and 1 always prefer the chosen response; user 2 does on even pairs only.
      const wantChosen = k < 2 || i % 2 === 0;
      const choice = chosenOnLeft(user.id, fx.pairId) === wantChosen ? "a" : "b";
      await voteAB(db, user, { pairId: fx.pairId, version: k + 1, choice, durationMs: k === 2 ? 1500 : 6000 });
    }
  }
  return { ds, users };
}

describe("review figures", () => {
  it("length ratios and acceptance by new constraint: the per-group sums equal a count over every pair", async () => {
    const ds = await createFixtureDataset(db);
    const fixtures = await createFixturePairs(db, ds.id, 12);
    // Ratios on both sides of every bucket edge and of 1, repeated values, missing ones, several new ids.
    const ratios = [0.5, 0.67, 0.8, 0.9, 1, 1, 1.05, 1.1, 1.3, 1.5, 2.5, null];
    const newIds = ["a", "a b", "b", "", "a", "c a", "b", "a", "", "c", "a b", "b"];
    for (const [i, fx] of fixtures.entries())
      await db.pair.update({
        where: { id: fx.pairId },
        data: {
          lengthRatio: ratios[i],
          newConstraintIds: newIds[i],
          depth: 1 + (i % 3),
          status: PAIR_STATUSES[i % PAIR_STATUSES.length],
        },
      });
    const pairs = await db.pair.findMany({ where: { datasetId: ds.id } });
    const expected = (keyOf: (p: (typeof pairs)[number]) => string[]) => {
      const accs = new Map<string, RatioAccumulator>();
      for (const p of pairs)
        if (p.lengthRatio !== null && p.lengthRatio > 0)
          for (const key of new Set(keyOf(p))) {
            const acc = accs.get(key) ?? new RatioAccumulator(key);
            accs.set(key, acc);
            acc.add(p.lengthRatio);
          }
      return new Map([...accs].map(([k, a]) => [k, a.row()]));
    };
    const ids = (p: (typeof pairs)[number]) => p.newConstraintIds.split(" ").filter(Boolean);
    const { lengthRatio, charts } = await computeReviewStats(db, ds.id, { samples: 0 });
    const check = (
      rows: ReturnType<RatioAccumulator["row"]>[],
      want: Map<string, ReturnType<RatioAccumulator["row"]>>,
    ) => {
      expect(rows.map((r) => r.key).sort()).toEqual([...want.keys()].sort());
      for (const row of rows) {
        const { mean, ...rest } = want.get(row.key)!;
        expect(row).toMatchObject(rest);
        expect(row.mean).toBeCloseTo(mean!, 12);
      }
    };
    check(
      [lengthRatio.overall],
      expected(() => ["all"]),
    );
    check(
      lengthRatio.byMethod,
      expected((p) => [p.method]),
    );
    check(
      lengthRatio.byDepth,
      expected((p) => [String(p.depth)]),
    );
    check(lengthRatio.byNewConstraint, expected(ids));
    expect(lengthRatio.overall.pairs).toBe(11);
    const byNew = new Map<string, Record<string, number>>();
    for (const p of pairs)
      for (const id of new Set(ids(p))) {
        const row = byNew.get(id) ?? { total: 0 };
        byNew.set(id, row);
        row.total! += 1;
        row[p.status] = (row[p.status] ?? 0) + 1;
      }
    expect(charts.acceptanceByNewConstraint.map((r) => r.key).sort()).toEqual([...byNew.keys()].sort());
    for (const row of charts.acceptanceByNewConstraint) expect(row).toMatchObject(byNew.get(row.key)!);
  });

  it("computes agreement, speed and chart series from the counting votes", async () => {
    const { ds, users } = await votedDataset(4);
    const stats = await computeReviewStats(db, ds.id, { samples: 200 });
    const r = stats.agreementReport;
    expect(r).toMatchObject({ votes: 12, units: 4 });
    // Two pairs 3–0 (all agree), two 2–1: agreeing vote pairs (3 + 3 + 1 + 1) / 12.
    expect(r.percent.value).toBeCloseTo(8 / 12, 10);
    expect(r.fleiss.units).toBe(4);
    expect(r.cohen).toHaveLength(3);
    expect(r.generatedAgreement).toBeCloseTo(10 / 12, 10);
    const fast = r.reviewers.find((x) => x.userId === users[2]!.id)!;
    expect(fast).toMatchObject({ votes: 4, fastShare: 1, flagged: true, agreementWithMajority: 0.5 });
    expect(r.percent.ci![0]).toBeLessThanOrEqual(r.percent.value!);
    expect(r.percent.ci![1]).toBeGreaterThanOrEqual(r.percent.value!);
    expect(stats.charts.timePerVote.find((b) => b.bucket === "< 2 s")!.votes).toBe(4);
    expect(stats.charts.timePerVote.find((b) => b.bucket === "< 10 s")!.votes).toBe(8);
    expect(stats.charts.votesPerDay.flatMap((d) => Object.values(d.counts)).reduce((a, b) => a + b, 0)).toBe(12);
    expect(stats.charts.agreementOverTime.map((d) => d.pairs)).toEqual([4]);
    expect(stats.charts.agreementOverTime[0]!.agreement).toBeCloseTo(8 / 12, 10);
  });

  it("the overview reads the figures the background job stored, with their age; the job adds the intervals", async () => {
    const { ds } = await votedDataset(3);
    // As for a large dataset: nothing is computed on the request; the job is asked for.
    const first = await reviewOverview(db, ds.id, { liveUnderPairs: 0 });
    expect(first).toMatchObject({ cached: true, statsAsOf: null });
    expect(first.agreementReport.votes).toBe(0);
    const job = await db.job.findFirstOrThrow({ where: { kind: REVIEW_STATS, datasetId: ds.id } });
    // A second request while it waits does not start another.
    await reviewOverview(db, ds.id, { liveUnderPairs: 0 });
    expect(await db.job.count({ where: { kind: REVIEW_STATS, datasetId: ds.id } })).toBe(1);
    await until(
      async () =>
        (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status !== "queued" &&
        (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status !== "running",
    );
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("succeeded");

    const stored = await reviewOverview(db, ds.id, { liveUnderPairs: 0 });
    expect(stored.cached).toBe(true);
    expect(stored.statsAsOf).not.toBeNull();
    expect(stored.agreementReport.votes).toBe(9);
    expect(stored.agreementReport.alpha.ci).not.toBeNull();
    expect(stored.progress.total).toBe(3);
    // The live path (small datasets) shows the same figures, with the stored intervals.
    const live = await reviewOverview(db, ds.id);
    expect(live.cached).toBe(false);
    expect(live.agreementReport).toEqual(stored.agreementReport);
    expect(live.charts).toEqual(stored.charts);
  });
});
