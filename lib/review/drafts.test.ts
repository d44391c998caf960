import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createFixtureDataset, createFixturePair, createFixtureUser } from "../../test/fixtures/pairs.ts";
import { decide } from "./decide.ts";
import { discardDraft, loadDraft, saveDraft } from "./drafts.ts";
import { claimPair } from "./queue.ts";

const { db } = createTestDb();
const texts = { prompt: "p", chosen: "c", rejected: "r" };

describe("drafts", () => {
  it("one per reviewer and pair: saved, replaced, loaded and discarded", async () => {
    const ds = await createFixtureDataset(db);
    const [ann, bob] = [await createFixtureUser(db), await createFixtureUser(db)];
    const { pairId } = await createFixturePair(db, { datasetId: ds.id });
    await saveDraft(db, ann.id, ds.id, { pairId, pairVersion: 1, ...texts });
    await saveDraft(db, ann.id, ds.id, { pairId, pairVersion: 1, ...texts, chosen: "c2" });
    expect(await loadDraft(db, ann.id, ds.id, pairId)).toMatchObject({ chosen: "c2", readOnly: null });
    expect(await loadDraft(db, bob.id, ds.id, pairId)).toBeNull();
    expect(await db.reviewDraft.count({ where: { pairId } })).toBe(1);
    await discardDraft(db, ann.id, pairId);
    expect(await loadDraft(db, ann.id, ds.id, pairId)).toBeNull();
  });

  it("opens read-only, with the reason, once the pair is final or held by someone else", async () => {
    const ds = await createFixtureDataset(db);
    const [ann, bob] = [await createFixtureUser(db), await createFixtureUser(db)];
    const held = await createFixturePair(db, { datasetId: ds.id });
    const final = await createFixturePair(db, { datasetId: ds.id });
    for (const p of [held, final]) await saveDraft(db, ann.id, ds.id, { pairId: p.pairId, pairVersion: 1, ...texts });
    await claimPair(db, { pairId: held.pairId, userId: bob.id });
    await decide(db, bob, { pairId: final.pairId, version: 1, decision: "accept" });
    expect((await loadDraft(db, ann.id, ds.id, held.pairId))?.readOnly).toMatch(/held by u-.*cannot be saved/);
    expect((await loadDraft(db, ann.id, ds.id, final.pairId))?.readOnly).toMatch(/is accepted now/);
    expect(await loadDraft(db, bob.id, ds.id, held.pairId)).toBeNull();
  });

  it("refuses bad input and a pair of another dataset, writing nothing", async () => {
    const ds = await createFixtureDataset(db);
    const other = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const { pairId } = await createFixturePair(db, { datasetId: ds.id });
    await expect(saveDraft(db, ann.id, other.id, { pairId, pairVersion: 1, ...texts })).rejects.toThrow(
      /does not exist in this dataset/,
    );
    await expect(
      saveDraft(db, ann.id, ds.id, { pairId, pairVersion: 1, ...texts, chosen: "x".repeat(200_001) }),
    ).rejects.toThrow(/at most 200,000/);
    expect(await db.reviewDraft.count({ where: { pairId } })).toBe(0);
  });
});
