import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import {
  AT_LEAST_10_WORDS,
  createFixtureDataset,
  createFixturePair,
  createFixtureUser,
  FREE_TONE,
  NO_COMMA,
} from "../../test/fixtures/pairs.ts";
import { DomainError } from "../errors.ts";
import { decide, editPair, StalePairError } from "./decide.ts";
import { createPair, createPairs, emptyStatusCounts, pairCounts, recountPairs } from "./pairs.ts";
import { claimPair } from "./queue.ts";
import { loadPairView } from "./view.ts";

const { db } = createTestDb();

async function expectCountsMatch(datasetId: number) {
  const counted = await pairCounts(db, datasetId);
  const rows = await db.pair.groupBy({ by: ["status"], where: { datasetId }, _count: { _all: true } });
  const actual = { total: 0, ...emptyStatusCounts() };
  for (const row of rows) {
    actual[row.status as keyof typeof actual] = row._count._all;
    actual.total += row._count._all;
  }
  expect(counted).toEqual(actual);
}

describe("createPair", () => {
  it("creates a pending pair with depth and constraint ids from its node, and counts it", async () => {
    const ds = await createFixtureDataset(db);
    const fx = await createFixturePair(db, {
      datasetId: ds.id,
      depth: 2,
      constraints: [NO_COMMA, AT_LEAST_10_WORDS, NO_COMMA],
    });
    const pair = await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } });
    expect(pair).toMatchObject({
      status: "pending",
      version: 1,
      depth: 2,
      constraintIds: "punctuation:no_comma length_constraints:number_words",
    });
    expect(await pairCounts(db, ds.id)).toMatchObject({ total: 1, pending: 1 });
  });

  it("refuses responses and nodes of another dataset, and the same response twice", async () => {
    const a = await createFixtureDataset(db);
    const b = await createFixtureDataset(db);
    const fa = await createFixturePair(db, { datasetId: a.id });
    const fb = await createFixturePair(db, { datasetId: b.id });
    await expect(
      createPair(db, {
        datasetId: a.id,
        nodeId: fa.nodeId,
        chosenId: fb.chosenId,
        rejectedId: fa.rejectedId,
        method: "ecd",
      }),
    ).rejects.toThrow(/Response \d+ is not in dataset/);
    await expect(
      createPair(db, {
        datasetId: a.id,
        nodeId: fb.nodeId,
        chosenId: fa.chosenId,
        rejectedId: fa.rejectedId,
        method: "ecd",
      }),
    ).rejects.toThrow(/Node \d+ is not in dataset/);
    await expect(
      createPair(db, {
        datasetId: a.id,
        nodeId: fa.nodeId,
        chosenId: fa.chosenId,
        rejectedId: fa.chosenId,
        method: "ecd",
      }),
    ).rejects.toThrow(/different responses/);
    expect(await pairCounts(db, a.id)).toMatchObject({ total: 1 });
  });

  it("is idempotent on (jobId, runKey) and joins the caller's transaction", async () => {
    const ds = await createFixtureDataset(db);
    const fx = await createFixturePair(db, { datasetId: ds.id });
    const job = await db.job.create({ data: { datasetId: ds.id, pipeline: "ecd", params: {}, models: {} } });
    const input = {
      datasetId: ds.id,
      nodeId: fx.nodeId,
      chosenId: fx.chosenId,
      rejectedId: fx.rejectedId,
      method: "ecd" as const,
      jobId: job.id,
      runKey: "seed-1/t1",
    };
    const first = await createPair(db, input);
    const second = await createPair(db, input);
    expect(second).toEqual({ id: first.id, created: false });
    // Rolled back with the caller's transaction: neither the pair nor its count stays.
    await expect(
      db.$transaction(async (tx) => {
        await createPair(tx, { ...input, runKey: "seed-1/t2" });
        throw new Error("task failed");
      }),
    ).rejects.toThrow("task failed");
    expect(await db.pair.count({ where: { runKey: "seed-1/t2" } })).toBe(0);
    await expectCountsMatch(ds.id);
  });
});

describe("createPairs", () => {
  it("creates a batch in input order, reuses pairs that exist under (jobId, runKey), and counts only new ones", async () => {
    const ds = await createFixtureDataset(db);
    const [f1, f2] = [
      await createFixturePair(db, { datasetId: ds.id, depth: 1, constraints: [NO_COMMA] }),
      await createFixturePair(db, { datasetId: ds.id, depth: 2 }),
    ];
    const job = await db.job.create({ data: { datasetId: ds.id, pipeline: "ecd", params: {}, models: {} } });
    const base = { datasetId: ds.id, method: "ecd" as const, jobId: job.id };
    const inputs = [
      { ...base, nodeId: f1.nodeId, chosenId: f1.chosenId, rejectedId: f1.rejectedId, runKey: "b/1" },
      {
        ...base,
        nodeId: f2.nodeId,
        chosenId: f2.chosenId,
        rejectedId: f2.rejectedId,
        runKey: "b/2",
        hardNegative: true,
      },
    ];
    const existing = await createPair(db, inputs[1]);
    const made = await createPairs(db, inputs);
    expect(made[0].created).toBe(true);
    expect(made[1]).toEqual({ id: existing.id, created: false });
    expect(await db.pair.findUniqueOrThrow({ where: { id: made[0].id } })).toMatchObject({
      nodeId: f1.nodeId,
      depth: 1,
      constraintIds: "punctuation:no_comma",
      runKey: "b/1",
    });
    expect(await createPairs(db, inputs)).toEqual(made.map((m) => ({ id: m.id, created: false })));
    await expectCountsMatch(ds.id);
  });

  it("writes nothing when one pair of the batch points outside the dataset", async () => {
    const a = await createFixtureDataset(db);
    const b = await createFixtureDataset(db);
    const fa = await createFixturePair(db, { datasetId: a.id });
    const fb = await createFixturePair(db, { datasetId: b.id });
    const before = await db.pair.count();
    await expect(
      createPairs(db, [
        { datasetId: a.id, nodeId: fa.nodeId, chosenId: fa.chosenId, rejectedId: fa.rejectedId, method: "ecd" },
        { datasetId: a.id, nodeId: fa.nodeId, chosenId: fb.chosenId, rejectedId: fa.rejectedId, method: "ecd" },
      ]),
    ).rejects.toThrow(/Response \d+ is not in dataset/);
    expect(await db.pair.count()).toBe(before);
    await expectCountsMatch(a.id);
  });
});

describe("decide", () => {
  it("accept / reject / skip append reviews, bump the version and derive the status", async () => {
    const ds = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const [p1, p2, p3] = [
      await createFixturePair(db, { datasetId: ds.id }),
      await createFixturePair(db, { datasetId: ds.id }),
      await createFixturePair(db, { datasetId: ds.id }),
    ];

    const accepted = await decide(db, ann, { pairId: p1.pairId, version: 1, decision: "accept", durationMs: 1200 });
    expect(accepted).toMatchObject({ status: "accepted", previousStatus: "pending", version: 2 });
    const rejected = await decide(db, ann, {
      pairId: p2.pairId,
      version: 1,
      decision: "reject",
      reason: "rejected_not_worse",
      reasonText: "both fine",
    });
    expect(rejected.status).toBe("rejected");
    const skipped = await decide(db, ann, { pairId: p3.pairId, version: 1, decision: "skip" });
    expect(skipped).toMatchObject({ status: "pending", version: 2 });

    const review = await db.review.findUniqueOrThrow({ where: { id: rejected.reviewId } });
    expect(review).toMatchObject({
      decision: "reject",
      reason: "rejected_not_worse",
      reasonText: "both fine",
      pairVersion: 1,
      userId: ann.id,
    });
    const first = await db.review.findUniqueOrThrow({ where: { id: accepted.reviewId } });
    expect(first.durationMs).toBe(1200);
    expect(first.decidedAt.getTime() - first.shownAt.getTime()).toBe(1200);
    expect(await pairCounts(db, ds.id)).toMatchObject({
      total: 3,
      pending: 1,
      accepted: 1,
      rejected: 1,
      adjudication: 0,
    });
    await expectCountsMatch(ds.id);
  });

  it("refuses a stale version with the current state and overwrites nothing", async () => {
    const ds = await createFixtureDataset(db);
    const ann = await createFixtureUser(db, { email: "first@test.local" });
    const bob = await createFixtureUser(db);
    const fx = await createFixturePair(db, { datasetId: ds.id });
    await decide(db, ann, { pairId: fx.pairId, version: 1, decision: "accept" });
    const error = await decide(db, bob, { pairId: fx.pairId, version: 1, decision: "reject" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StalePairError);
    const stale = error as StalePairError;
    expect(stale.code).toBe("conflict");
    expect(stale.current).toMatchObject({
      version: 2,
      status: "accepted",
      lastChange: { user: "first@test.local", decision: "accept" },
    });
    expect(stale.message).toMatch(/you saw version 1, it is now version 2, accepted \(accept by first@test\.local/);
    const pair = await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } });
    expect(pair).toMatchObject({ status: "accepted", version: 2 });
    expect(await db.review.count({ where: { pairId: fx.pairId } })).toBe(1);
    await expectCountsMatch(ds.id);
  });

  it("lets exactly one of many concurrent writers on the same version win", async () => {
    const ds = await createFixtureDataset(db);
    const users = await Promise.all(Array.from({ length: 8 }, () => createFixtureUser(db)));
    const fx = await createFixturePair(db, { datasetId: ds.id });
    const results = await Promise.allSettled(
      users.map((u, i) => decide(db, u, { pairId: fx.pairId, version: 1, decision: i % 2 ? "reject" : "accept" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(
      results
        .filter((r) => r.status === "rejected")
        .every((r) => (r as PromiseRejectedResult).reason instanceof StalePairError),
    ).toBe(true);
    expect(await db.review.count({ where: { pairId: fx.pairId } })).toBe(1);
    expect((await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } })).version).toBe(2);
    await expectCountsMatch(ds.id);
  });

  it("keeps the history append-only: changing one's mind adds a review and re-derives the status", async () => {
    const ds = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const fx = await createFixturePair(db, { datasetId: ds.id });
    await decide(db, ann, { pairId: fx.pairId, version: 1, decision: "accept" });
    const again = await decide(db, ann, { pairId: fx.pairId, version: 2, decision: "reject", reason: "both_bad" });
    expect(again).toMatchObject({ status: "rejected", previousStatus: "accepted", version: 3 });
    const history = await db.review.findMany({ where: { pairId: fx.pairId }, orderBy: { id: "asc" } });
    expect(history.map((r) => [r.decision, r.pairVersion])).toEqual([
      ["accept", 1],
      ["reject", 2],
    ]);
    expect((await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } })).reviewCount).toBe(1);
    await expectCountsMatch(ds.id);
  });

  it("swap (by the holder) exchanges chosen and rejected as a new version; the accepted pair is marked swapped", async () => {
    const ds = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const fx = await createFixturePair(db, { datasetId: ds.id });
    await expect(decide(db, ann, { pairId: fx.pairId, version: 1, decision: "swap" })).rejects.toThrow(/must hold it/);
    expect(await claimPair(db, { pairId: fx.pairId, userId: ann.id })).toBe(true);
    const swapped = await decide(db, ann, { pairId: fx.pairId, version: 1, decision: "swap" });
    expect(swapped).toMatchObject({ status: "pending", version: 2 });
    const pair = await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } });
    expect([pair.chosenId, pair.rejectedId]).toEqual([fx.rejectedId, fx.chosenId]);
    expect((await decide(db, ann, { pairId: fx.pairId, version: 2, decision: "accept", override: true })).status).toBe(
      "accepted",
    );
    expect(await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } })).toMatchObject({
      swapped: true,
      edited: false,
    });
    await expectCountsMatch(ds.id);
  });

  it("says when the pair does not exist", async () => {
    const ann = await createFixtureUser(db);
    await expect(decide(db, ann, { pairId: 999_999, version: 1, decision: "accept" })).rejects.toThrow(DomainError);
  });
});

describe("editPair", () => {
  it("saves edits as new human responses pointing at the originals, keeps the originals, and marks the pair edited", async () => {
    const ds = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const fx = await createFixturePair(db, { datasetId: ds.id, constraints: [NO_COMMA, FREE_TONE] });
    await claimPair(db, { pairId: fx.pairId, userId: ann.id });
    const outcome = await editPair(db, ann, {
      pairId: fx.pairId,
      version: 1,
      chosen: "a new chosen text, now with a comma",
      prompt: "A better prompt.",
    });
    // An edit is not a vote: the pair keeps waiting for one, flagged edited.
    expect(outcome).toMatchObject({ decision: "edit", status: "pending", version: 2 });
    const pair = await db.pair.findUniqueOrThrow({ where: { id: fx.pairId }, include: { chosen: true } });
    expect(pair.edited).toBe(true);
    expect(pair.chosenId).not.toBe(fx.chosenId);
    expect(pair.rejectedId).toBe(fx.rejectedId);
    expect(pair.chosen).toMatchObject({
      role: "human",
      provider: "human",
      parentId: fx.chosenId,
      createdById: ann.id,
      text: "a new chosen text, now with a comma",
    });
    // Verified by code for verifiable constraints; the free-form one is not judged for a human edit.
    expect(pair.chosen.verification).toEqual([
      { constraintIndex: 0, id: "punctuation:no_comma", passed: false, by: "code" },
    ]);
    expect(await db.response.findUnique({ where: { id: fx.chosenId } })).not.toBeNull();
    const review = await db.review.findUniqueOrThrow({ where: { id: outcome.reviewId } });
    expect(review).toMatchObject({
      decision: "edit",
      editedChosen: "a new chosen text, now with a comma",
      editedPrompt: "A better prompt.",
      editedRejected: null,
    });

    const view = await loadPairView(db, fx.pairId);
    expect(view.prompt).toBe("A better prompt.");
    expect(view.chosen).toMatchObject({ origin: "human", parentId: fx.chosenId, createdBy: ann.email });
    expect(view.chosen.verdicts[0]).toMatchObject({ passed: false, by: "code" });
    expect(view.chosen.verdicts[1]).toMatchObject({ passed: null });
    await expectCountsMatch(ds.id);
  });

  it("refuses an edit that changes nothing, and a stale edit leaves no new response behind", async () => {
    const ds = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const bob = await createFixtureUser(db);
    const fx = await createFixturePair(db, { datasetId: ds.id, chosen: "same text" });
    await claimPair(db, { pairId: fx.pairId, userId: ann.id });
    await expect(editPair(db, ann, { pairId: fx.pairId, version: 1, chosen: "same text" })).rejects.toThrow(
      /Nothing was changed/,
    );
    await decide(db, bob, { pairId: fx.pairId, version: 1, decision: "reject" });
    const before = await db.response.count();
    await expect(editPair(db, ann, { pairId: fx.pairId, version: 1, chosen: "my edit" })).rejects.toBeInstanceOf(
      StalePairError,
    );
    expect(await db.response.count()).toBe(before);
    expect((await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } })).chosenId).toBe(fx.chosenId);
  });
});

describe("several reviews per pair", () => {
  it("stays pending until enough reviewers voted; the majority decides; a tie waits for one more", async () => {
    const ds = await createFixtureDataset(db, { reviewsPerPair: 2 });
    const [a, b, c] = await Promise.all([createFixtureUser(db), createFixtureUser(db), createFixtureUser(db)]);
    const fx = await createFixturePair(db, { datasetId: ds.id });
    expect((await decide(db, a, { pairId: fx.pairId, version: 1, decision: "accept" })).status).toBe("pending");
    expect((await decide(db, b, { pairId: fx.pairId, version: 2, decision: "reject" })).status).toBe("pending"); // tie
    expect((await decide(db, c, { pairId: fx.pairId, version: 3, decision: "accept" })).status).toBe("accepted");
    expect((await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } })).reviewCount).toBe(3);
    await expectCountsMatch(ds.id);
  });
});

describe("recountPairs", () => {
  it("rebuilds the counters from the pairs", async () => {
    const ds = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const fx = await createFixturePair(db, { datasetId: ds.id });
    await createFixturePair(db, { datasetId: ds.id });
    await decide(db, ann, { pairId: fx.pairId, version: 1, decision: "accept" });
    await db.pairCount.deleteMany({ where: { datasetId: ds.id } });
    expect(await recountPairs(db, ds.id)).toEqual({ pending: 1, accepted: 1, rejected: 0, adjudication: 0 });
    await expectCountsMatch(ds.id);
  });
});
