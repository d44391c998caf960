import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { createTestDb } from "../../test/db.ts";
import {
  AT_LEAST_10_WORDS,
  createFixtureDataset,
  createFixturePair,
  createFixtureUser,
  FREE_TONE,
  LOWERCASE,
  NO_COMMA,
} from "../../test/fixtures/pairs.ts";
import { createRng, type Rng } from "../constraints/rng.ts";
import { isFinal, PAIR_STATUSES } from "../domain.ts";
import { DomainError } from "../errors.ts";
import { bulkDecide } from "./bulk.ts";
import { decide, editPair, reopenPair, statusRulesOf } from "./decide.ts";
import { claimPair } from "./queue.ts";
import { deriveStatus } from "./status.ts";
import { parsePairVerdicts } from "./verdict-record.ts";
import { isOverride, verdictSourceSelect, verdictsOf } from "./verdict-store.ts";

/**
 * A property test of the life of a pair: random sequences of votes, edits, swaps, claims, skips,
 * reopens and bulk decisions by several users (each may be refused — a refusal must change
 * nothing). After every step, for every pair: the stored status is what the state machine derives
 * from the review history, PairCount equals the pairs per status, the stored verdict record equals
 * a fresh computation from the pair's current texts, and the override flag follows from both.
 */

const { db } = createTestDb();

const TEXTS = [
  "a calm walk under tall trees with birds singing and children playing near the pond",
  "A calm walk, under tall trees.",
  "short answer",
  "ALL CAPS, WITH COMMAS, AND MORE WORDS THAN BEFORE IN THIS ONE",
  "lowercase words only here without any commas at all in this rather long line of text",
];

async function checkInvariants(datasetId: number, label: string) {
  const dataset = await db.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  const rules = statusRulesOf(dataset.settings);
  const pairs = await db.pair.findMany({
    where: { datasetId },
    select: {
      ...verdictSourceSelect,
      round: true,
      reviewCount: true,
      override: true,
      verdicts: true,
      reviews: {
        orderBy: { id: "asc" },
        select: { userId: true, decision: true, kind: true, round: true, decidedAt: true },
      },
    },
  });
  const perStatus = Object.fromEntries(PAIR_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  for (const pair of pairs) {
    perStatus[pair.status] = (perStatus[pair.status] ?? 0) + 1;
    const derived = deriveStatus(pair.reviews, pair.round, rules);
    expect(pair.status, `${label}: status of pair #${pair.id}`).toBe(derived.status);
    expect(pair.reviewCount, `${label}: votes of pair #${pair.id}`).toBe(derived.voters);
    const fresh = verdictsOf(pair);
    expect(parsePairVerdicts(pair.verdicts), `${label}: verdicts of pair #${pair.id}`).toEqual(
      JSON.parse(JSON.stringify(fresh)),
    );
    expect(pair.override, `${label}: override of pair #${pair.id}`).toBe(isOverride(pair.status, fresh));
  }
  const counts = await db.pairCount.findMany({ where: { datasetId } });
  const stored = Object.fromEntries(PAIR_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  for (const c of counts) stored[c.status] = c.count;
  expect(stored, `${label}: PairCount`).toEqual(perStatus);
}

async function snapshot(pairId: number) {
  const {
    updatedAt: _u,
    claimedById: _c,
    claimedUntil: _t,
    ...pair
  } = await db.pair.findUniqueOrThrow({
    where: { id: pairId },
  });
  return { pair, reviews: await db.review.count({ where: { pairId } }) };
}

const succeeded = new Map<string, number>();

async function runSequence(seed: string, steps: number) {
  const rng: Rng = createRng(seed);
  const ds = await createFixtureDataset(db, { reviewsPerPair: rng.int(1, 3) });
  if (rng.next() < 0.3)
    await db.dataset.update({ where: { id: ds.id }, data: { settings: { reviewsPerPair: 2, adjudication: true } } });
  const annotators = [await createFixtureUser(db), await createFixtureUser(db), await createFixtureUser(db)];
  const researcher = await createFixtureUser(db, { role: "researcher" });
  const users = [...annotators, researcher];
  const sets = [[NO_COMMA], [LOWERCASE, FREE_TONE], [NO_COMMA, AT_LEAST_10_WORDS]];
  const pairIds: number[] = [];
  for (let i = 0; i < 6; i += 1)
    pairIds.push(
      (
        await createFixturePair(db, {
          datasetId: ds.id,
          method: rng.choice(["ecd", "c2s"] as const),
          depth: rng.int(1, 2),
          constraints: rng.choice(sets),
          chosen: rng.choice(TEXTS),
          rejected: rng.choice(TEXTS),
        })
      ).pairId,
    );
  let refused = 0;
  for (let step = 0; step < steps; step += 1) {
    const pairId = rng.choice(pairIds);
    const user = rng.next() < 0.3 ? researcher : rng.choice(users);
    const { version, status } = await db.pair.findUniqueOrThrow({
      where: { id: pairId },
      select: { version: true, status: true },
    });
    const seen = rng.next() < 0.1 ? Math.max(1, version - 1) : version; // sometimes a stale screen
    const op = rng.choice([
      "accept",
      "reject",
      "accept",
      "reject",
      "edit",
      "swap",
      "claim",
      "skip",
      "reopen",
      "bulk",
    ] as const);
    const before = await snapshot(pairId);
    const act = async () => {
      switch (op) {
        case "accept":
        case "reject":
          return decide(db, user, { pairId, version: seen, decision: op, override: rng.next() < 0.5 });
        case "skip":
          return decide(db, user, { pairId, version: seen, decision: "skip" });
        case "swap":
          return decide(db, user, { pairId, version: seen, decision: "swap" });
        case "edit":
          return editPair(db, user, {
            pairId,
            version: seen,
            chosen: rng.choice(TEXTS) + ` (${step})`,
            rejected: rng.next() < 0.4 ? rng.choice(TEXTS) : null,
            prompt: rng.next() < 0.2 ? `Edited prompt ${step}.` : null,
            accept: rng.next() < 0.3,
            override: rng.next() < 0.5,
          });
        case "claim":
          return claimPair(db, { pairId, userId: user.id });
        case "reopen":
          return reopenPair(db, user, { pairId, version: seen, reason: `step ${step}` });
        case "bulk": {
          const ids = rng.shuffle(pairIds).slice(0, rng.int(1, pairIds.length));
          return bulkDecide(db, researcher, {
            datasetId: ds.id,
            decision: rng.choice(["accept", "reject"] as const),
            filter: { ids },
            expectedCount: ids.length,
          });
        }
      }
    };
    try {
      await act();
      succeeded.set(op, (succeeded.get(op) ?? 0) + 1);
    } catch (error) {
      if (!(error instanceof DomainError || error instanceof ZodError)) throw error;
      refused += 1;
      // A refused act changes nothing (a Save-and-accept may have saved its edit before the vote was refused).
      if (!(op === "edit" && (await db.review.count({ where: { pairId } })) > before.reviews))
        expect(await snapshot(pairId), `${seed} step ${step}: refused ${op} on pair #${pairId}`).toEqual(before);
      if (isFinal(status) && seen === version && ["swap", "edit"].includes(op))
        expect(error.message).toMatch(/is final|in adjudication|Nothing was (changed|edited)/);
    }
    await checkInvariants(ds.id, `${seed} step ${step} (${op} by user #${user.id} on pair #${pairId})`);
  }
  return refused;
}

describe("the pair state machine under random sequences", () => {
  it("keeps status, PairCount, verdicts and overrides consistent with the review history", async () => {
    let refused = 0;
    for (const seed of ["s1", "s2", "s3", "s4", "s5", "s6"]) refused += await runSequence(seed, 50);
    // The sequences exercise the refusals as well as the changes.
    expect(refused).toBeGreaterThan(20);
    for (const op of ["accept", "reject", "edit", "swap", "claim", "reopen", "bulk"])
      expect(succeeded.get(op) ?? 0, `${op} succeeded at least once`).toBeGreaterThan(0);
  }, 240_000);
});
