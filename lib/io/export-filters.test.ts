import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { editPair } from "../review/decide.ts";
import { createPair } from "../review/pairs.ts";
import { countPairs as countMatching } from "../review/query.ts";
import { responseOrigin } from "../review/view.ts";
import { createExport, type ExportFiltersInput, type ExportFormat, parseExportFilters } from "./index.ts";

const { db } = createTestDb();
let datasetId = 0;
let userId = 0;
const ids: Record<string, number> = {};

/**
 * One pair per kind of chosen response: LLM-written, rule-based, the seed's reference answer, and
 * a human edit of an LLM pair; plus a c2s node whose one corrected response is chosen in three pairs.
 */
beforeAll(async () => {
  userId = (await db.user.create({ data: { email: "f@example.com", passwordHash: "x", role: "researcher" } })).id;
  datasetId = (await db.dataset.create({ data: { name: "Filters", settings: {} } })).id;
  const job = await db.job.create({ data: { datasetId, pipeline: "ecd", params: {}, models: {} } });
  ids.job = job.id;
  const tree = async (text: string, hash: string) => {
    const seed = await db.seed.create({
      data: { datasetId, instruction: text, contentHash: hash, source: "plain", metadata: {} },
    });
    const node = await db.node.create({
      data: { datasetId, seedId: seed.id, depth: 0, instruction: text, constraints: [] },
    });
    return node.id;
  };
  const response = (nodeId: number, text: string, role: string, provider: string, model = "") =>
    db.response.create({ data: { nodeId, text, role, provider, model, verification: [] } });
  const pair = async (
    nodeId: number,
    chosenId: number,
    rejectedId: number,
    method: "ecd" | "c2s" = "ecd",
    jobId?: number,
  ) => (await createPair(db, { datasetId, nodeId, chosenId, rejectedId, method, ...(jobId ? { jobId } : {}) })).id;

  const a = await tree("Task A.", "f-a");
  ids.llm = await pair(
    a,
    (await response(a, "llm answer", "responder", "openai", "gpt-4o")).id,
    (await response(a, "x", "responder", "openai", "gpt-4o-mini")).id,
    "ecd",
    job.id,
  );
  const b = await tree("Task B.", "f-b");
  ids.rule = await pair(
    b,
    (await response(b, "rule answer", "responder", "rule-based")).id,
    (await response(b, "y", "responder", "seed")).id,
    "ecd",
    job.id,
  );
  const c = await tree("Task C.", "f-c");
  ids.reference = await pair(
    c,
    (await response(c, "reference answer", "responder", "seed")).id,
    (await response(c, "z", "repair", "rule-based")).id,
  );
  const d = await tree("Task D.", "f-d");
  ids.human = await pair(
    d,
    (await response(d, "generated", "responder", "openai", "gpt-4o")).id,
    (await response(d, "w", "responder", "openai", "gpt-4o")).id,
  );
  await editPair(
    db,
    { id: userId, role: "researcher" },
    { pairId: ids.human, version: 1, chosen: "a human rewrite", durationMs: 100 },
  );
  // A c2s node with three fixes of the same student answer: one corrected response, chosen three times.
  const e = await tree("Task E.", "f-e");
  const fixed = await response(e, "corrected", "teacher", "openai", "gpt-4o");
  const c2s: number[] = [];
  for (const bad of ["bad 1", "bad 2", "bad 3"])
    c2s.push(await pair(e, fixed.id, (await response(e, bad, "student", "openai", "llama")).id, "c2s"));
  ids.c2sFirst = c2s[0]!;
});

async function exported(format: ExportFormat, filters: ExportFiltersInput) {
  const { manifest, dir } = await createExport(db, { datasetId, format, filters: { status: "all", ...filters } });
  const meta = readFileSync(path.join(dir, "metadata.jsonl"), "utf8").split("\n").filter(Boolean);
  const data = readFileSync(path.join(dir, manifest.fileName), "utf8").split("\n").filter(Boolean);
  expect(meta).toHaveLength(data.length);
  return { manifest, pairIds: meta.map((l) => (JSON.parse(l) as { pair_id: number }).pair_id), data };
}

describe("generator filter", () => {
  it("the SQL rule agrees with responseOrigin for every kind of chosen response", async () => {
    for (const generator of ["llm", "rule-based", "reference", "human"] as const) {
      const { pairIds } = await exported("trl-dpo", { generator });
      const rows = await db.pair.findMany({
        where: { datasetId },
        select: { id: true, chosen: { select: { role: true, provider: true } } },
      });
      const expected = rows
        .filter((r) => responseOrigin(r.chosen.role, r.chosen.provider) === generator)
        .map((r) => r.id);
      expect(pairIds, generator).toEqual(expected.sort((x, y) => x - y));
      expect(expected.length, generator).toBeGreaterThan(0);
    }
  });

  it("--generator llm,human keeps exactly the pairs not written by code or copied from the seed, and --exclude-generator is its complement", async () => {
    const kept = await exported("trl-dpo", { generator: "llm,human" });
    expect(kept.pairIds).not.toContain(ids.rule);
    expect(kept.pairIds).not.toContain(ids.reference);
    expect(kept.pairIds).toEqual(expect.arrayContaining([ids.llm, ids.human, ids.c2sFirst]));
    expect(kept.manifest.counts.byGenerator).toEqual({ llm: 4, human: 1 });
    expect(kept.manifest.filters).toMatchObject({ generator: ["llm", "human"] });
    const complement = await exported("trl-dpo", { "exclude-generator": "rule-based,reference" });
    expect(complement.pairIds).toEqual(kept.pairIds);
    expect(complement.manifest.filters).toMatchObject({ "exclude-generator": ["rule-based", "reference"] });
    expect((await exported("trl-dpo", { "exclude-generator": "llm,rule-based,reference,human" })).pairIds).toEqual([]);
    expect(() => parseExportFilters({ generator: "gpt" })).toThrow(
      /generator must be one of llm, rule-based, reference, human/,
    );
  });

  it("provider, model and job ids select by the chosen response and the pair's job", async () => {
    expect((await exported("trl-dpo", { provider: "rule-based" })).pairIds).toEqual([ids.rule]);
    expect((await exported("trl-dpo", { model: "gpt-4o" })).pairIds).toEqual([
      ids.llm,
      ids.c2sFirst,
      ids.c2sFirst + 1,
      ids.c2sFirst + 2,
    ]);
    expect((await exported("trl-dpo", { jobs: String(ids.job) })).pairIds).toEqual([ids.llm, ids.rule]);
    // The same keys filter the pairs table (one filter language).
    expect(await countMatching(db, datasetId, { generator: ["rule-based"] })).toBe(1);
  });
});

describe("per seed and dedup", () => {
  it("at most K pairs per seed, one per prompt, and SFT has one row per distinct (prompt, chosen)", async () => {
    const all = await exported("trl-dpo", {});
    expect(all.pairIds).toHaveLength(7);
    const perSeed = await exported("trl-dpo", { "per-seed": 1 });
    expect(perSeed.pairIds).toEqual([ids.llm, ids.rule, ids.reference, ids.human, ids.c2sFirst]);
    expect(perSeed.manifest.filters).toMatchObject({ "per-seed": 1 });
    expect((await exported("trl-dpo", { dedup: "prompt" })).pairIds).toHaveLength(5);
    // trl-dpo keeps the three c2s pairs (different rejected); SFT trains on (prompt, chosen) only.
    expect((await exported("trl-dpo", { dedup: "prompt+chosen" })).pairIds).toHaveLength(5);
    const sft = await exported("sft", {});
    expect(sft.data).toHaveLength(5);
    expect(new Set(sft.data).size).toBe(sft.data.length);
    expect(sft.manifest.counts.pairs).toBe(5);
  });
});
