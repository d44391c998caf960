import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createFixtureDataset, createFixturePair, createFixtureUser } from "../../test/fixtures/pairs.ts";
import { addComment, listComments } from "./comments.ts";
import { decide } from "./decide.ts";
import { pairQuerySchema } from "./pair-query.ts";
import { countPairs } from "./query.ts";

const { db } = createTestDb();

describe("comments", () => {
  it("adds comments in order and counts them on the pair", async () => {
    const ds = await createFixtureDataset(db);
    const [ann, bob] = [await createFixtureUser(db), await createFixtureUser(db)];
    const { pairId } = await createFixturePair(db, { datasetId: ds.id });
    await addComment(db, ann.id, ds.id, { pairId, body: "  **why** is this chosen?  " });
    await addComment(db, bob.id, ds.id, { pairId, body: "it follows the format" });
    const thread = await listComments(db, ann.id, ds.id, pairId);
    expect(thread.hidden).toBe(0);
    expect(thread.comments.map((c) => [c.author, c.body, c.mine])).toEqual([
      [ann.email, "**why** is this chosen?", true],
      [bob.email, "it follows the format", false],
    ]);
    expect((await db.pair.findUniqueOrThrow({ where: { id: pairId } })).commentCount).toBe(2);
  });

  it("in a blind dataset hides others' comments until the reviewer has voted", async () => {
    const ds = await db.dataset.create({ data: { name: `blind-${Date.now()}`, settings: { blind: true } } });
    const [ann, bob] = [await createFixtureUser(db), await createFixtureUser(db)];
    const { pairId } = await createFixturePair(db, { datasetId: ds.id });
    await addComment(db, bob.id, ds.id, { pairId, body: "I would reject" });
    await addComment(db, ann.id, ds.id, { pairId, body: "my own note" });
    expect(await listComments(db, ann.id, ds.id, pairId)).toMatchObject({
      comments: [{ body: "my own note" }],
      hidden: 1,
    });
    await decide(db, ann, { pairId, version: 1, decision: "accept" });
    expect((await listComments(db, ann.id, ds.id, pairId)).comments).toHaveLength(2);
  });

  it("refuses an empty comment and a pair of another dataset, writing nothing", async () => {
    const ds = await createFixtureDataset(db);
    const other = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const { pairId } = await createFixturePair(db, { datasetId: ds.id });
    await expect(addComment(db, ann.id, ds.id, { pairId, body: "   " })).rejects.toThrow(/cannot be empty/);
    await expect(addComment(db, ann.id, other.id, { pairId, body: "hi" })).rejects.toThrow(/does not exist/);
    expect(await db.pairComment.count({ where: { pairId } })).toBe(0);
    expect((await db.pair.findUniqueOrThrow({ where: { id: pairId } })).commentCount).toBe(0);
  });

  it("the pairs filter has-comments selects the commented pairs (the one filter language)", async () => {
    const ds = await createFixtureDataset(db);
    const ann = await createFixtureUser(db);
    const [a, b] = [
      await createFixturePair(db, { datasetId: ds.id }),
      await createFixturePair(db, { datasetId: ds.id }),
    ];
    await addComment(db, ann.id, ds.id, { pairId: b.pairId, body: "look" });
    expect(await countPairs(db, ds.id, pairQuerySchema.parse({ "has-comments": "1" }))).toBe(1);
    expect(await countPairs(db, ds.id, pairQuerySchema.parse({}))).toBe(2);
    expect(a.pairId).not.toBe(b.pairId);
  });
});
