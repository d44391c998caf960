import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { runJobToEnd } from "../../test/fixtures/run-job.ts";
import { createFixtureUser } from "../../test/fixtures/pairs.ts";
import { describeWithSharedData, sharedDataPath } from "../../test/shared-data.ts";
import { addBenchmarkSet, readIfevalPrompts, removeBenchmarkSet } from "../eval/benchmarks.ts";
import { createExport, importSeeds } from "../io/index.ts";
import { normalisePrompt } from "../io/decontam.ts";
import { startJob } from "../jobs/index.ts";
import { editPair } from "../review/decide.ts";
import { createPairs } from "../review/pairs.ts";
import { countPairs } from "../review/query.ts";
import { loadSeedTree } from "../review/tree.ts";
import { lockBenchmarkSets } from "../db/benchmark-lock.ts";
import {
  checkImportedSeeds,
  checkNewNodes,
  checkWrittenNodes,
  loadCheckedSets,
  matchImportedSeeds,
  storeNodeCheck,
} from "./index.ts";

/**
 * Stored decontamination, through the real entry points: the import (seeds), the generation
 * runner (evolved nodes), a person's prompt edit, and the export that leaves contaminated pairs out.
 */
const { db } = createTestDb();
const tmp = mkdtempSync(path.join(os.tmpdir(), "ecd-decontam-"));
process.env.ECD_EXPORT_DIR = path.join(tmp, "exports");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const UNRELATED = [
  "Describe how a bicycle gear system works to a ten year old who loves football and climbing trees.",
  "List three reasons why sourdough bread rises more slowly than bread made with commercial yeast.",
];

function jsonlFile(name: string, rows: object[]): string {
  const file = path.join(tmp, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return file;
}

/** One manual pair on each depth-0 node of the dataset, written through the pairs' write path. */
async function pairEveryRoot(datasetId: number) {
  const roots = await db.node.findMany({
    where: { datasetId, depth: 0 },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  for (let i = 0; i < roots.length; i += 200) {
    const slice = roots.slice(i, i + 200);
    const responses = await db.response.createManyAndReturn({
      data: slice.flatMap((n) => [
        {
          nodeId: n.id,
          text: "A careful answer.",
          role: "responder",
          provider: "openai",
          model: "m",
          verification: [],
        },
        { nodeId: n.id, text: "A worse answer.", role: "responder", provider: "openai", model: "m", verification: [] },
      ]),
      select: { id: true, nodeId: true },
    });
    await createPairs(
      db,
      slice.map((n) => {
        const [chosen, rejected] = responses.filter((r) => r.nodeId === n.id);
        return { datasetId, nodeId: n.id, chosenId: chosen!.id, rejectedId: rejected!.id, method: "manual" as const };
      }),
    );
  }
}

describe("evolved instructions and edited prompts", () => {
  let datasetId: number;
  beforeAll(async () => {
    datasetId = (await db.dataset.create({ data: { name: "Evolved", settings: {} } })).id;
    const report = await importSeeds(
      db,
      datasetId,
      createReadStream(
        jsonlFile(
          "clean.jsonl",
          UNRELATED.map((instruction) => ({ instruction })),
        ),
      ),
      {
        fileName: "clean.jsonl",
      },
    );
    expect(report.overlaps).toEqual([]);
  });

  it("a node that keeps a 13-gram of a benchmark task is flagged with its set and overlap, an unrelated one is not, and children inherit", async () => {
    const task = readIfevalPrompts()[0]!.prompt;
    const kept = normalisePrompt(task).split(" ").slice(0, 16).join(" ");
    const root = await db.node.findFirstOrThrow({ where: { datasetId, depth: 0 }, orderBy: { id: "asc" } });
    const child = (parentId: number, depth: number, instruction: string) =>
      db.node.create({
        data: { datasetId, seedId: root.seedId, parentId, depth, instruction, constraints: [] },
        select: { id: true },
      });
    const paraphrase = await child(root.id, 1, `Please help me out: ${kept}. Thanks a lot, and keep it friendly.`);
    const unrelated = await child(root.id, 1, `${UNRELATED[0]} Answer in exactly three sentences.`);
    const grandchild = await child(paraphrase.id, 2, `${UNRELATED[1]} Use no commas.`);
    await db.$transaction((tx) =>
      checkWrittenNodes(tx, datasetId, root.seedId, [paraphrase.id, unrelated.id, grandchild.id]),
    );

    const rows = await db.contamination.findMany({ where: { datasetId }, include: { set: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ nodeId: paraphrase.id, position: 0, exact: false, set: { name: "ifeval" } });
    expect(rows[0]!.overlap).toBeGreaterThan(0);
    expect(rows[0]!.overlap).toBeLessThanOrEqual(1);
    const flags = await db.node.findMany({ where: { seedId: root.seedId }, select: { id: true, contaminated: true } });
    expect(Object.fromEntries(flags.map((n) => [n.id, n.contaminated]))).toEqual({
      [root.id]: false,
      [paraphrase.id]: true,
      [unrelated.id]: false,
      [grandchild.id]: true,
    });
    // The tree shows the matched set and overlap on the node and what its descendants inherit.
    const tree = await loadSeedTree(db, datasetId, root.seedId);
    const flag = (id: number) => tree.nodes.find((n) => n.id === id)!.contamination;
    expect(flag(paraphrase.id)).toEqual([{ set: "ifeval", position: 0, overlap: rows[0]!.overlap, from: "node" }]);
    expect(flag(grandchild.id)).toEqual([{ set: "ifeval", position: 0, overlap: rows[0]!.overlap, from: "ancestor" }]);
    expect(flag(unrelated.id)).toEqual([]);
    expect(flag(root.id)).toEqual([]);
  });

  it("a prompt a person edits is checked on save: an IFEval prompt flags the pair, a clean edit clears it", async () => {
    await pairEveryRoot(datasetId);
    const pair = await db.pair.findFirstOrThrow({ where: { datasetId, node: { depth: 0 } }, orderBy: { id: "asc" } });
    expect(pair.contaminated).toBe(false);
    const admin = await createFixtureUser(db, { role: "admin" });
    const ifeval = readIfevalPrompts()[5]!.prompt;
    await editPair(db, admin, { pairId: pair.id, version: pair.version, prompt: ifeval, durationMs: 1000 });
    expect(await db.pair.findUniqueOrThrow({ where: { id: pair.id } })).toMatchObject({ contaminated: true });
    expect(await db.contamination.count({ where: { pairId: pair.id, exact: true } })).toBe(1);
    expect(await countPairs(db, datasetId, { contamination: "contaminated" })).toBe(1);

    await editPair(db, admin, {
      pairId: pair.id,
      version: pair.version + 1,
      prompt: UNRELATED[0]! + " Be brief.",
      durationMs: 1000,
    });
    expect(await db.pair.findUniqueOrThrow({ where: { id: pair.id } })).toMatchObject({ contaminated: false });
    expect(await countPairs(db, datasetId, { contamination: "contaminated" })).toBe(0);
    expect(await countPairs(db, datasetId, { contamination: "not-contaminated" })).toBe(2);
  });
});

describe("the generation runner", () => {
  it("nodes evolved from a contaminated seed inherit the flag, and so do their pairs", async () => {
    const ds = await db.dataset.create({ data: { name: "Generated", settings: {} } });
    const ifeval = readIfevalPrompts()[10]!.prompt;
    const file = jsonlFile("gen.jsonl", [
      { instruction: ifeval, output: "A reference answer written by hand for the test." },
      { instruction: UNRELATED[1], output: "Sourdough uses wild yeast, which works more slowly." },
    ]);
    const report = await importSeeds(db, ds.id, createReadStream(file), { fileName: "gen.jsonl" });
    expect(report.overlaps).toEqual([{ set: "ifeval", seeds: 1 }]);
    const rb = { provider: "rule-based", model: "" };
    const job = await startJob(db, {
      datasetId: ds.id,
      pipeline: "ecd",
      params: { rounds: 2, branches: 1, randomSeed: 7 },
      models: { evolver: rb, responder: rb, judge: rb },
    });
    expect((await runJobToEnd(db, job.id)).status).toBe("succeeded");
    const nodes = await db.node.findMany({ where: { datasetId: ds.id }, include: { seed: true } });
    expect(nodes.filter((n) => n.depth > 0).length).toBeGreaterThan(0);
    for (const n of nodes) expect(n.contaminated).toBe(n.seed.instruction === ifeval);
    const pairs = await db.pair.findMany({
      where: { datasetId: ds.id },
      include: { node: { include: { seed: true } } },
    });
    expect(pairs.length).toBeGreaterThan(1);
    for (const p of pairs) expect(p.contaminated).toBe(p.node.seed.instruction === ifeval);
  });

  it("a set another process added before the check, which this process has not loaded, is matched by the write", async () => {
    await loadCheckedSets(db); // this process's sets, loaded before the upload
    const ds = await db.dataset.create({ data: { name: "Stale sets", settings: {} } });
    const seed = await db.seed.create({
      data: { datasetId: ds.id, instruction: UNRELATED[0]!, contentHash: "stale", source: "plain", metadata: {} },
    });
    const root = await db.node.create({
      data: { datasetId: ds.id, seedId: seed.id, depth: 0, instruction: seed.instruction, constraints: [] },
    });
    const otherTask =
      "Describe a night market in a river town where every stall sells a different kind of lantern made by hand";
    // Another process's upload: straight into the tables, so this process's loaded sets know nothing of it.
    const set = await db.benchmarkSet.create({
      data: {
        name: "other-process",
        source: "upload",
        prompts: { create: [{ position: 0, prompt: otherTask, instructionIds: [], kwargs: [] }] },
      },
    });
    try {
      const nodes = [{ key: "a", instruction: `${otherTask}. Use no commas.`, constraints: [] }];
      const check = await checkNewNodes(db, nodes);
      const node = await db.node.create({
        data: {
          datasetId: ds.id,
          seedId: seed.id,
          parentId: root.id,
          depth: 1,
          instruction: nodes[0]!.instruction,
          constraints: [],
        },
      });
      await db.$transaction((tx) =>
        storeNodeCheck(tx, check, { datasetId: ds.id, seedId: seed.id, nodeIds: new Map([["a", node.id]]) }),
      );
      const rows = await db.contamination.findMany({ where: { datasetId: ds.id }, include: { set: true } });
      expect(rows.map((r) => [r.nodeId, r.set.name])).toEqual([[node.id, "other-process"]]);
      expect((await db.node.findUniqueOrThrow({ where: { id: node.id } })).contaminated).toBe(true);
    } finally {
      await removeBenchmarkSet(db, set.name);
    }
  });

  it("matches are made before the write; a set added in between is checked inside the write", async () => {
    await loadCheckedSets(db); // stores the built-in set
    const ds = await db.dataset.create({ data: { name: "Checked early", settings: {} } });
    const seed = await db.seed.create({
      data: { datasetId: ds.id, instruction: UNRELATED[0]!, contentHash: "early", source: "plain", metadata: {} },
    });
    const root = await db.node.create({
      data: { datasetId: ds.id, seedId: seed.id, depth: 0, instruction: seed.instruction, constraints: [] },
    });
    const ifevalTask = normalisePrompt(readIfevalPrompts()[3]!.prompt).split(" ").slice(0, 16).join(" ");
    const lateTask =
      "Write a ballad about a lighthouse keeper who counts the ships that pass his rock every single night of the winter";
    const nodes = [
      { key: "a", instruction: `Please: ${ifevalTask}. Keep it short.`, constraints: [] },
      { key: "b", instruction: `${lateTask}. Use no commas.`, constraints: [] },
      { key: "c", instruction: `${UNRELATED[1]} Use no commas.`, constraints: [] },
    ];
    const check = await checkNewNodes(db, nodes);
    expect(check.matches.map((m) => [m.key, m.set])).toEqual([["a", "ifeval"]]);
    // Uploaded after the check, before the write: the write re-checks against it.
    const late = await addBenchmarkSet(db, {
      name: "late-set",
      prompts: [{ key: null, prompt: lateTask, instructionIds: [], kwargs: [] }],
    });
    try {
      const ids = new Map<string, number>();
      for (const n of nodes)
        ids.set(
          n.key,
          (
            await db.node.create({
              data: {
                datasetId: ds.id,
                seedId: seed.id,
                parentId: root.id,
                depth: 1,
                instruction: n.instruction,
                constraints: [],
              },
            })
          ).id,
        );
      await db.$transaction((tx) => storeNodeCheck(tx, check, { datasetId: ds.id, seedId: seed.id, nodeIds: ids }));
      const rows = await db.contamination.findMany({ where: { datasetId: ds.id }, include: { set: true } });
      expect(rows.map((r) => [r.nodeId, r.set.name]).sort()).toEqual(
        [
          [ids.get("a"), "ifeval"],
          [ids.get("b"), late.name],
        ].sort(),
      );
      const flags = await db.node.findMany({ where: { seedId: seed.id }, select: { id: true, contaminated: true } });
      expect(Object.fromEntries(flags.map((n) => [n.id, n.contaminated]))).toEqual({
        [root.id]: false,
        [ids.get("a")!]: true,
        [ids.get("b")!]: true,
        [ids.get("c")!]: false,
      });
    } finally {
      await removeBenchmarkSet(db, late.name);
    }
  });
});

describe("an import batch", () => {
  it("is checked against a set uploaded after the batch was matched, before it was written", async () => {
    await loadCheckedSets(db);
    const ds = await db.dataset.create({ data: { name: "Import meets upload", settings: {} } });
    const lateTask =
      "Compose a sea shanty about a cargo ship that loses its anchor off the coast of Norway in a violent storm";
    const seeds = [
      { contentHash: "late-1", text: `${lateTask}. Answer in French.`, constraintTexts: [] },
      { contentHash: "clean-1", text: UNRELATED[0]!, constraintTexts: [] },
    ];
    const check = await matchImportedSeeds(db, seeds);
    expect(check.matched.size).toBe(0);
    const late = await addBenchmarkSet(db, {
      name: "uploaded-mid-import",
      prompts: [{ key: null, prompt: lateTask, instructionIds: [], kwargs: [] }],
    });
    try {
      const perSet = await db.$transaction(async (tx) => {
        const ids = new Map<string, number>();
        for (const seed of seeds) {
          const row = await tx.seed.create({
            data: {
              datasetId: ds.id,
              instruction: seed.text,
              contentHash: seed.contentHash,
              source: "plain",
              metadata: {},
            },
          });
          ids.set(seed.contentHash, row.id);
        }
        return checkImportedSeeds(tx, ds.id, check, ids);
      });
      expect([...perSet]).toEqual([[late.name, 1]]);
      const flagged = await db.seed.findMany({
        where: { datasetId: ds.id },
        select: { contentHash: true, contaminated: true },
      });
      expect(Object.fromEntries(flagged.map((s) => [s.contentHash, s.contaminated]))).toEqual({
        "late-1": true,
        "clean-1": false,
      });
    } finally {
      await removeBenchmarkSet(db, late.name);
    }
  });

  it.runIf(process.env.TEST_DB === "postgres")(
    "holds off a set's upload until its own transaction commits (PostgreSQL: the benchmark-sets lock)",
    async () => {
      const order: string[] = [];
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const batch = db.$transaction(async (tx) => {
        await lockBenchmarkSets(tx, "check");
        locked();
        await new Promise((resolve) => setTimeout(resolve, 500));
        order.push("batch committed");
      });
      await holding;
      const upload = addBenchmarkSet(db, {
        name: "waits-for-batch",
        prompts: [{ key: null, prompt: UNRELATED[1]!, instructionIds: [], kwargs: [] }],
      }).then((set) => {
        order.push("set added");
        return set;
      });
      await batch;
      const set = await upload;
      await removeBenchmarkSet(db, set.name);
      expect(order).toEqual(["batch committed", "set added"]);
    },
  );
});

describeWithSharedData("IFEval's input_data.jsonl imported as seeds", () => {
  let datasetId: number;
  beforeAll(async () => {
    datasetId = (await db.dataset.create({ data: { name: "IFEval seeds", settings: {} } })).id;
  });

  it("the import reports 541 overlaps with the IFEval set; an export leaves them all out by default and the card says so", async () => {
    const report = await importSeeds(db, datasetId, createReadStream(sharedDataPath("ifeval", "input_data.jsonl")), {
      fileName: "input_data.jsonl",
    });
    expect(report.imported).toBe(541);
    expect(report.overlaps).toEqual([{ set: "ifeval", seeds: 541 }]);
    const clean = await importSeeds(
      db,
      datasetId,
      createReadStream(
        jsonlFile(
          "more.jsonl",
          UNRELATED.map((instruction) => ({ instruction })),
        ),
      ),
      {
        fileName: "more.jsonl",
      },
    );
    expect(clean.overlaps).toEqual([]);
    expect(await db.seed.count({ where: { datasetId, contaminated: true } })).toBe(541);
    await pairEveryRoot(datasetId);
    expect(await countPairs(db, datasetId, { contamination: "contaminated" })).toBe(541);

    const { manifest, dir } = await createExport(db, { datasetId, format: "trl-dpo", filters: { status: "all" } });
    expect(manifest.counts.pairs).toBe(2);
    expect(manifest.decontamination).toMatchObject({
      allowContaminated: false,
      contaminatedPairs: 541,
      removedPairs: 541,
      pairsBySet: { ifeval: 541 },
    });
    expect(manifest.decontamination!.sets).toEqual([
      { name: "ifeval", prompts: 541, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    const lines = readFileSync(path.join(dir, manifest.fileName), "utf8").trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { prompt: string }).prompt).sort()).toEqual([...UNRELATED].sort());
    const card = readFileSync(path.join(dir, "README.md"), "utf8");
    expect(card).toContain("## Decontamination");
    expect(card).toContain("Checked against ifeval (541 prompts)");
    expect(card).toContain("541 contaminated pairs removed (per set: ifeval 541)");
    expect(card).toContain("pairs_removed: 541");

    const kept = await createExport(db, {
      datasetId,
      format: "trl-dpo",
      filters: { status: "all", "allow-contaminated": true },
    });
    expect(kept.manifest.counts.pairs).toBe(543);
    expect(kept.manifest.decontamination).toMatchObject({ allowContaminated: true, removedPairs: 0 });
    expect(readFileSync(path.join(kept.dir, "README.md"), "utf8")).toContain("541 contaminated pairs kept");
  });
});
