import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createFixtureDataset, createFixturePair, createFixtureUser } from "../../test/fixtures/pairs.ts";
import { bulkDecide } from "./bulk.ts";
import { decide, editPair, reopenPair } from "./decide.ts";
import { queueCounts } from "./queue-counts.ts";
import { claimPair } from "./queue.ts";

const { db } = createTestDb();

/** The slow truth the counters must match: pending pairs the user neither voted on nor skipped this round. */
async function counted(datasetId: number, userId: number) {
  const pending = await db.pair.findMany({
    where: { datasetId, status: "pending" },
    select: { round: true, reviews: { where: { userId, kind: { in: ["vote", "skip"] } }, select: { round: true } } },
  });
  const start = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
  const votes = await db.review.findMany({
    where: { userId, kind: "vote", decidedAt: { gte: start }, pair: { datasetId } },
    select: { pairId: true, round: true },
  });
  return {
    pendingForYou: pending.filter((p) => !p.reviews.some((r) => r.round === p.round)).length,
    decidedToday: new Set(votes.map((v) => `${v.pairId}:${v.round}`)).size,
  };
}

/** The migration's backfill of "decided today" (votes cast before the counters existed), in this run's dialect. */
const DECIDED_TODAY_BACKFILL = readFileSync(
  `prisma/${process.env.TEST_DB === "postgres" ? "migrations-postgres" : "migrations"}/20261207000100_node_raw_reply_decided_today/migration.sql`,
  "utf8",
)
  .split(/;\s*\n/)
  .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
  .filter((statement) => statement.startsWith('INSERT INTO "ReviewerCount"'));

const version = async (pairId: number) =>
  (await db.pair.findUniqueOrThrow({ where: { id: pairId }, select: { version: true } })).version;

describe("queueCounts", () => {
  it("follows votes, replaced votes, skips, edits, reopens and bulk decisions like a COUNT would", async () => {
    const ds = await createFixtureDataset(db, { reviewsPerPair: 2 });
    const ann = await createFixtureUser(db);
    const bob = await createFixtureUser(db);
    const researcher = await createFixtureUser(db, { role: "researcher" });
    const pairs = [];
    for (let i = 0; i < 4; i += 1) pairs.push((await createFixturePair(db, { datasetId: ds.id })).pairId);
    const [p1, p2, p3, p4] = pairs as [number, number, number, number];
    const check = async () => {
      for (const user of [ann, bob])
        expect(await queueCounts(db, { datasetId: ds.id, userId: user.id })).toEqual(await counted(ds.id, user.id));
    };
    const vote = async (user: { id: number }, pairId: number, decision: "accept" | "reject" | "skip") =>
      decide(db, user, { pairId, version: await version(pairId), decision });

    await check();
    expect(await queueCounts(db, { datasetId: ds.id, userId: ann.id })).toEqual({ pendingForYou: 4, decidedToday: 0 });
    await vote(ann, p1, "accept"); // waits for a second reviewer
    expect(await queueCounts(db, { datasetId: ds.id, userId: ann.id })).toEqual({ pendingForYou: 3, decidedToday: 1 });
    await check();
    await vote(ann, p1, "reject"); // replaces her own vote: still one decision today
    await check();
    await vote(bob, p1, "reject"); // final: nobody waits on it
    await check();
    await vote(ann, p2, "skip");
    await check();
    await vote(ann, p3, "accept");
    await claimPair(db, { pairId: p3, userId: bob.id });
    await editPair(db, bob, { pairId: p3, version: await version(p3), chosen: "an edited answer without commas" });
    await check(); // the edit starts a new round: Ann's vote no longer counts
    await vote(ann, p4, "accept");
    await bulkDecide(db, researcher, {
      datasetId: ds.id,
      decision: "accept",
      filter: { status: ["pending"] },
      expectedCount: 3,
    });
    await check();
    await reopenPair(db, researcher, { pairId: p4, version: await version(p4), reason: "look again" });
    await check();
    expect(await queueCounts(db, { datasetId: ds.id, userId: ann.id })).toEqual({ pendingForYou: 1, decidedToday: 3 });
  });

  it("counts the votes cast today before the counters existed (the migration's backfill), once", async () => {
    expect(DECIDED_TODAY_BACKFILL).toHaveLength(1);
    const ds = await createFixtureDataset(db, { reviewsPerPair: 2 });
    const other = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const bob = await createFixtureUser(db);
    const pairs = [];
    for (let i = 0; i < 3; i += 1) pairs.push((await createFixturePair(db, { datasetId: ds.id })).pairId);
    const [p1, p2, p3] = pairs as [number, number, number];
    const elsewhere = (await createFixturePair(db, { datasetId: other.id })).pairId;
    const vote = async (user: { id: number }, pairId: number, decision: "accept" | "reject") =>
      decide(db, user, { pairId, version: await version(pairId), decision });
    await vote(ann, p1, "accept");
    await vote(ann, p1, "reject"); // replaced: one decision
    await vote(bob, p1, "reject");
    await vote(ann, p2, "accept");
    await vote(ann, p3, "accept");
    await vote(ann, elsewhere, "accept");
    // Ann's vote on p3 was cast yesterday: not today's.
    const yesterday = new Date(Date.now() - 86_400_000);
    await db.review.updateMany({ where: { pairId: p3, userId: ann.id }, data: { decidedAt: yesterday } });
    // The counters as they were before this backfill: the first one left every reviewer at 0, and
    // made no row for Bob (no pending pair waits on him).
    await db.reviewerCount.updateMany({
      where: { userId: { in: [ann.id, bob.id] } },
      data: { day: "", decidedToday: 0 },
    });
    await db.reviewerCount.deleteMany({ where: { userId: bob.id } });
    const decided = async () =>
      Promise.all(
        [
          [ds.id, ann.id],
          [ds.id, bob.id],
          [other.id, ann.id],
        ].map(async ([datasetId, userId]) => (await queueCounts(db, { datasetId, userId })).decidedToday),
      );
    expect(await decided()).toEqual([0, 0, 0]);
    for (const run of [1, 2]) {
      for (const statement of DECIDED_TODAY_BACKFILL) await db.$executeRawUnsafe(statement);
      expect(await decided(), `run ${run}`).toEqual([2, 1, 1]);
    }
    // What waits on each reviewer is untouched.
    for (const userId of [ann.id, bob.id])
      expect((await queueCounts(db, { datasetId: ds.id, userId })).pendingForYou).toBe(
        (await counted(ds.id, userId)).pendingForYou,
      );
  });

  it("decided today starts again the next day", async () => {
    const ds = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const { pairId } = await createFixturePair(db, { datasetId: ds.id });
    await decide(db, ann, { pairId, version: 1, decision: "accept" });
    const tomorrow = new Date(Date.now() + 86_400_000);
    expect(await queueCounts(db, { datasetId: ds.id, userId: ann.id, now: tomorrow })).toEqual({
      pendingForYou: 0,
      decidedToday: 0,
    });
  });
});
