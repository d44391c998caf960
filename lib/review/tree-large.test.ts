/** A seed's evolution tree of 1,000 nodes loads whole (bench/review times it; here: it loads at all). */
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createFixturePair } from "../../test/fixtures/pairs.ts";
import { loadSeedTree } from "./tree.ts";

const { db } = createTestDb();

describe("a tree of 1,000 nodes", () => {
  it("loads with every node and its pairs (a relation include listed every node id, past SQLite's parameter limit)", async () => {
    const dataset = await db.dataset.create({ data: { name: "big-tree", settings: {} } });
    const { seedId, nodeId } = await createFixturePair(db, { datasetId: dataset.id });
    const root = await db.node.findFirstOrThrow({ where: { seedId, depth: 0 } });
    // Two branches per node, level by level, until the tree has 1,000 nodes.
    let level = [root.id];
    let count = await db.node.count({ where: { seedId } });
    for (let depth = 1; count < 1_000; depth += 1) {
      const rows = level.flatMap((parentId) => [0, 1].map(() => parentId)).slice(0, 1_000 - count);
      await db.node.createMany({
        data: rows.map((parentId, i) => ({
          datasetId: dataset.id,
          seedId,
          parentId,
          depth,
          instruction: `Node ${depth}.${i}`,
          constraints: [],
        })),
      });
      count += rows.length;
      level = (await db.node.findMany({ where: { seedId, depth }, select: { id: true } })).map((n) => n.id);
    }
    const tree = await loadSeedTree(db, dataset.id, seedId);
    expect(tree.nodes).toHaveLength(1_000);
    expect(tree.nodes.find((n) => n.id === nodeId)?.pairs).toHaveLength(1);
    expect(tree.nodes.filter((n) => n.pairs.length > 0)).toHaveLength(1);
  });
});
