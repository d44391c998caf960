import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createFixtureDataset, createFixturePair, createFixtureUser } from "../../test/fixtures/pairs.ts";
import { decide } from "./decide.ts";
import { claimNext, claimPair, recentDecisions, releaseClaims } from "./queue.ts";

const { db, url } = createTestDb();

function runWorker(
  startAt: number,
  datasetId: number,
  perUser: number,
  userIds: number[],
): Promise<Record<string, number[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "test/fixtures/claim-worker.ts",
        String(startAt),
        String(datasetId),
        String(perUser),
        ...userIds.map(String),
      ],
      {
        env: { ...process.env, DATABASE_URL: url },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Record<string, number[]>)
        : reject(new Error(`worker exited ${code}: ${err}`)),
    );
  });
}

describe("claimNext", () => {
  it("hands pairs out in order, skips leased ones and comes back to the reviewer's own lease", async () => {
    const ds = await createFixtureDataset(db);
    const [ann, bob] = [await createFixtureUser(db), await createFixtureUser(db)];
    const pairs = [];
    for (let i = 0; i < 3; i += 1) pairs.push(await createFixturePair(db, { datasetId: ds.id }));
    const a1 = await claimNext(db, { datasetId: ds.id, userId: ann.id });
    expect(a1).toEqual({ id: pairs[0]!.pairId, version: 1 });
    expect((await claimNext(db, { datasetId: ds.id, userId: bob.id }))?.id).toBe(pairs[1]!.pairId);
    // Ann again (e.g. reloading the page) gets her own leased pair back; with it excluded, the next free one.
    expect((await claimNext(db, { datasetId: ds.id, userId: ann.id }))?.id).toBe(pairs[0]!.pairId);
    expect((await claimNext(db, { datasetId: ds.id, userId: ann.id, excludeIds: [pairs[0]!.pairId] }))?.id).toBe(
      pairs[2]!.pairId,
    );
    expect(
      await claimNext(db, { datasetId: ds.id, userId: ann.id, excludeIds: [pairs[0]!.pairId, pairs[2]!.pairId] }),
    ).toBeNull();
    const row = await db.pair.findUniqueOrThrow({ where: { id: pairs[1]!.pairId } });
    expect(row.claimedById).toBe(bob.id);
    expect(row.claimedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  });

  it("takes over an expired lease, and releaseClaims gives leases back", async () => {
    const ds = await createFixtureDataset(db);
    const [ann, bob] = [await createFixtureUser(db), await createFixtureUser(db)];
    const fx = await createFixturePair(db, { datasetId: ds.id });
    await claimNext(db, { datasetId: ds.id, userId: ann.id, leaseMs: 1_000 });
    expect(await claimNext(db, { datasetId: ds.id, userId: bob.id })).toBeNull();
    expect((await claimNext(db, { datasetId: ds.id, userId: bob.id, now: new Date(Date.now() + 2_000) }))?.id).toBe(
      fx.pairId,
    );
    expect(await releaseClaims(db, ann.id, [fx.pairId])).toBe(0); // no longer hers
    expect(await releaseClaims(db, bob.id, [fx.pairId])).toBe(1);
    expect((await claimNext(db, { datasetId: ds.id, userId: ann.id }))?.id).toBe(fx.pairId);
  });

  it("never returns a decided pair, nor a skipped one to the reviewer who skipped it", async () => {
    const ds = await createFixtureDataset(db);
    const [ann, bob] = [await createFixtureUser(db), await createFixtureUser(db)];
    const p1 = await createFixturePair(db, { datasetId: ds.id });
    const p2 = await createFixturePair(db, { datasetId: ds.id });
    await claimNext(db, { datasetId: ds.id, userId: ann.id });
    await decide(db, ann, { pairId: p1.pairId, version: 1, decision: "skip" });
    expect((await claimNext(db, { datasetId: ds.id, userId: ann.id }))?.id).toBe(p2.pairId);
    await decide(db, ann, { pairId: p2.pairId, version: 1, decision: "accept" });
    expect(await claimNext(db, { datasetId: ds.id, userId: ann.id })).toBeNull();
    // The skipped pair's lease was released: Bob gets it.
    expect((await claimNext(db, { datasetId: ds.id, userId: bob.id }))?.id).toBe(p1.pairId);
    expect(await recentDecisions(db, { datasetId: ds.id, userId: ann.id })).toEqual([p1.pairId, p2.pairId]);
  });

  it("with reviewsPerPair 2 hands a pair to a second reviewer after the first voted, never twice to the same one", async () => {
    const ds = await createFixtureDataset(db, { reviewsPerPair: 2 });
    const [ann, bob, cy] = [await createFixtureUser(db), await createFixtureUser(db), await createFixtureUser(db)];
    const fx = await createFixturePair(db, { datasetId: ds.id });
    expect((await claimNext(db, { datasetId: ds.id, userId: ann.id }))?.id).toBe(fx.pairId);
    expect(await claimNext(db, { datasetId: ds.id, userId: bob.id })).toBeNull(); // leased to Ann
    await decide(db, ann, { pairId: fx.pairId, version: 1, decision: "accept" });
    expect(await claimNext(db, { datasetId: ds.id, userId: ann.id })).toBeNull();
    expect((await claimNext(db, { datasetId: ds.id, userId: bob.id }))?.id).toBe(fx.pairId);
    await decide(db, bob, { pairId: fx.pairId, version: 2, decision: "accept" });
    expect(await claimNext(db, { datasetId: ds.id, userId: cy.id })).toBeNull(); // accepted: out of the queue
  });

  it("claimPair takes a free pending pair, not one leased to someone else", async () => {
    const ds = await createFixtureDataset(db);
    const [ann, bob] = [await createFixtureUser(db), await createFixtureUser(db)];
    const fx = await createFixturePair(db, { datasetId: ds.id });
    expect(await claimPair(db, { pairId: fx.pairId, userId: ann.id })).toBe(true);
    expect(await claimPair(db, { pairId: fx.pairId, userId: bob.id })).toBe(false);
    expect(await claimPair(db, { pairId: fx.pairId, userId: ann.id })).toBe(true);
  });

  it("never hands the same pair to two reviewers when many claim at once in one process", async () => {
    const ds = await createFixtureDataset(db);
    for (let i = 0; i < 60; i += 1) await createFixturePair(db, { datasetId: ds.id });
    const users = await Promise.all(Array.from({ length: 40 }, () => createFixtureUser(db)));
    const claims = await Promise.all(users.map((u) => claimNext(db, { datasetId: ds.id, userId: u.id })));
    const ids = claims.map((c) => c!.id);
    expect(new Set(ids).size).toBe(40);
    const leased = await db.pair.findMany({
      where: { datasetId: ds.id, claimedById: { not: null } },
      select: { id: true, claimedById: true },
    });
    expect(leased).toHaveLength(40);
    for (const [i, user] of users.entries()) expect(leased.find((p) => p.id === ids[i])?.claimedById).toBe(user.id);
  });

  it("never hands the same pair to two reviewers when several processes claim at once", async () => {
    const ds = await createFixtureDataset(db);
    for (let i = 0; i < 150; i += 1) await createFixturePair(db, { datasetId: ds.id });
    const users = await Promise.all(Array.from({ length: 12 }, () => createFixtureUser(db)));
    const ids = users.map((u) => u.id);
    // 4 processes × 3 reviewers × 15 claims each = 180 attempts for 150 pairs.
    const startAt = Date.now() + 4_000;
    const results = await Promise.all(
      [0, 1, 2, 3].map((w) => runWorker(startAt, ds.id, 15, ids.slice(w * 3, w * 3 + 3))),
    );
    const all: [number, number][] = results.flatMap((r) =>
      Object.entries(r).flatMap(([user, pairIds]) => pairIds.map((p): [number, number] => [Number(user), p])),
    );
    expect(all.length).toBe(150); // every pair handed out, then the queue ran dry
    expect(new Set(all.map(([, p]) => p)).size).toBe(all.length);
    const leased = await db.pair.findMany({ where: { datasetId: ds.id }, select: { id: true, claimedById: true } });
    for (const [user, pairId] of all) expect(leased.find((p) => p.id === pairId)?.claimedById).toBe(user);
  }, 60_000);
});
