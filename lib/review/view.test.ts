import { describe, expect, it } from "vitest";
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
import { decide } from "./decide.ts";
import { claimPair } from "./queue.ts";
import { listSeeds, loadNodeDetail, loadSeedTree } from "./tree.ts";
import { loadPairView } from "./view.ts";

const { db } = createTestDb();

describe("loadPairView", () => {
  it("shows the chain seed → node, verdicts by code and by the judge, provenance, history and the lease", async () => {
    const ds = await createFixtureDataset(db);
    const ann = await createFixtureUser(db, { email: "ann@view.test" });
    const fx = await createFixturePair(db, {
      datasetId: ds.id,
      depth: 2,
      constraints: [NO_COMMA, FREE_TONE],
      seedInstruction: "Describe rain.",
      chosen: "soft rain falls on the roofs of the quiet town all night long",
      rejected: "Rain, falls.",
    });
    const view = await loadPairView(db, fx.pairId, { datasetId: ds.id });
    expect(view.chain.map((s) => [s.depth, s.instruction])).toEqual([
      [0, "Describe rain."],
      [1, "Describe rain. Do not use any commas."],
      [2, "Describe rain. Do not use any commas. Keep a friendly tone."],
    ]);
    expect(view.chain[1]!.constraints.map((c) => c.kind)).toEqual(["verifiable"]);
    expect(view.constraints.map((c) => c.label)).toEqual(["Do not use any commas.", "Keep a friendly tone."]);
    expect(view.chosen.verdicts).toEqual([
      { index: 0, passed: true, by: "code" },
      { index: 1, passed: true, by: "judge", reason: "The tone is friendly." },
    ]);
    expect(view.rejected.verdicts[0]).toEqual({ index: 0, passed: false, by: "code" });
    expect(view.chosen).toMatchObject({ origin: "llm", provider: "openai" });
    expect(view.rejected).toMatchObject({ origin: "rule-based" });
    expect(view).toMatchObject({
      status: "pending",
      version: 1,
      method: "ecd",
      depth: 2,
      reviewsPerPair: 1,
      claim: null,
      prompt: view.originalPrompt,
    });

    await claimPair(db, { pairId: fx.pairId, userId: ann.id });
    expect((await loadPairView(db, fx.pairId)).claim).toMatchObject({ userId: ann.id, user: "ann@view.test" });
    await decide(db, ann, { pairId: fx.pairId, version: 1, decision: "reject", reason: "both_bad", durationMs: 500 });
    const after = await loadPairView(db, fx.pairId);
    expect(after.claim).toBeNull();
    expect(after.reviews).toMatchObject([
      { user: "ann@view.test", decision: "reject", reason: "both_bad", pairVersion: 1, durationMs: 500 },
    ]);
    await expect(loadPairView(db, fx.pairId, { datasetId: ds.id + 1000 })).rejects.toThrow(
      /does not exist in this dataset/,
    );
  });
});

describe("evolution tree", () => {
  it("lists seeds, builds the tree with dropped candidates, and details a node with its pairs", async () => {
    const ds = await createFixtureDataset(db);
    const fx = await createFixturePair(db, { datasetId: ds.id, depth: 2, constraints: [LOWERCASE, AT_LEAST_10_WORDS] });
    const dropped = await db.node.create({
      data: {
        datasetId: ds.id,
        seedId: fx.seedId,
        parentId: fx.chainNodeIds[1]!,
        depth: 2,
        instruction: "x",
        constraints: [],
        status: "dropped",
        dropReason: "leaks template words",
      },
    });
    await createFixturePair(db, { datasetId: ds.id });
    const seeds = await listSeeds(db, ds.id, { limit: 1 });
    expect(seeds.rows).toHaveLength(1);
    expect(seeds.rows[0]).toMatchObject({ id: fx.seedId, nodes: 4, pairs: 1 });
    expect(seeds.nextAfter).toBe(fx.seedId);
    expect((await listSeeds(db, ds.id, { afterId: seeds.nextAfter! })).rows).toHaveLength(1);

    const tree = await loadSeedTree(db, ds.id, fx.seedId);
    expect(tree.nodes.map((n) => [n.depth, n.status])).toEqual([
      [0, "kept"],
      [1, "kept"],
      [2, "kept"],
      [2, "dropped"],
    ]);
    expect(tree.nodes.find((n) => n.id === dropped.id)).toMatchObject({
      dropReason: "leaks template words",
      parentId: fx.chainNodeIds[1],
    });
    expect(tree.nodes.find((n) => n.id === fx.nodeId)!.pairs).toEqual([{ id: fx.pairId, status: "pending" }]);

    const detail = await loadNodeDetail(db, fx.seedId, fx.nodeId);
    expect(detail.parentInstruction).toBe(tree.nodes[1]!.title);
    expect(detail.constraints).toHaveLength(2);
    expect(detail.parentConstraints).toHaveLength(1);
    expect(detail.responses.map((r) => r.id)).toEqual([fx.chosenId]);
    expect(detail.pairs).toMatchObject([{ id: fx.pairId, chosenId: fx.chosenId, rejectedId: fx.rejectedId }]);
    await expect(loadSeedTree(db, ds.id + 1000, fx.seedId)).rejects.toThrow(/does not exist/);
  });
});
