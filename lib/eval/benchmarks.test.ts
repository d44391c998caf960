/** `dataset:NAME` benchmarks: held-out seeds' nodes with verifiable constraints only (or all seeds' without a held-out share). */
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { isHeldOut } from "../datasets/heldout.ts";
import { resolveBenchmark } from "./benchmarks.ts";

const { db } = createTestDb();
const NO_COMMA = { kind: "verifiable", id: "punctuation:no_comma", kwargs: {}, text: "No commas." };
const FREE = { kind: "free", text: "Be kind." };

async function datasetWith(name: string, heldoutShare: number, hashes: string[]) {
  const dataset = await db.dataset.create({ data: { name, settings: { heldoutShare } } });
  for (const hash of hashes) {
    const seed = await db.seed.create({
      data: { datasetId: dataset.id, instruction: `Seed ${hash}`, contentHash: hash, source: "plain", metadata: {} },
    });
    const node = (instruction: string, constraints: unknown[], status = "kept") =>
      db.node.create({
        data: {
          datasetId: dataset.id,
          seedId: seed.id,
          depth: 1,
          instruction,
          constraints: constraints as never,
          status,
        },
      });
    await node(`${hash}: verifiable only`, [NO_COMMA]);
    await node(`${hash}: with a free-form one`, [NO_COMMA, FREE]);
    await node(`${hash}: no constraints`, []);
    await node(`${hash}: dropped`, [NO_COMMA], "dropped");
  }
  return dataset;
}

const promptsOf = async (setId: number) =>
  (await db.benchmarkPrompt.findMany({ where: { setId }, orderBy: { position: "asc" } })).map((p) => [
    p.prompt,
    p.instructionIds,
    p.kwargs,
  ]);

describe("dataset:NAME benchmarks", () => {
  it("takes the held-out seeds' kept nodes that carry verifiable constraints only", async () => {
    const hashes = ["00aa", "0fff", "a000", "ffff"];
    expect(hashes.map((h) => isHeldOut(h, 0.1))).toEqual([true, true, false, false]);
    await datasetWith("bench-heldout", 0.1, hashes);
    const set = await resolveBenchmark(db, "dataset:bench-heldout");
    expect(set.name).toMatch(/^dataset:bench-heldout#[0-9a-f]{12}$/);
    expect(await promptsOf(set.id)).toEqual([
      ["00aa: verifiable only", ["punctuation:no_comma"], [{}]],
      ["0fff: verifiable only", ["punctuation:no_comma"], [{}]],
    ]);
    // The same prompts, the same set.
    expect(await resolveBenchmark(db, "dataset:bench-heldout")).toEqual(set);
  });

  it("takes every seed without a held-out share, and refuses a dataset with nothing to evaluate", async () => {
    await datasetWith("bench-all", 0, ["1234", "abcd"]);
    const set = await resolveBenchmark(db, "dataset:bench-all");
    expect((await promptsOf(set.id)).map((p) => p[0])).toEqual(["1234: verifiable only", "abcd: verifiable only"]);
    await db.dataset.create({ data: { name: "bench-empty", settings: {} } });
    await expect(resolveBenchmark(db, "dataset:bench-empty")).rejects.toThrow(
      'Dataset "bench-empty" has no nodes with verifiable constraints only',
    );
    await expect(resolveBenchmark(db, "dataset:nope")).rejects.toThrow('No dataset named "nope"');
  });
});
