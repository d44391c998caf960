/**
 * An import's rows are invisible to every reader until its one commit write; a failed or abandoned
 * import's rows are removed by whichever process finds it; two imports of the same seeds at once
 * end with each seed once. Real database (SQLite, or PostgreSQL with TEST_DB=postgres).
 */
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { countSeeds, datasetStats } from "../datasets/index.ts";
import { insertImportedSeeds } from "../db/import-sql.ts";
import { listSeeds, loadSeedTree } from "../review/tree.ts";
import { startJob } from "../jobs/index.ts";
import { contentHash, seedText } from "./hash.ts";
import { bytesOf, ImportError, importSeeds } from "./index.ts";
import { beginImport, commitImport, type ImportLease, renewLease, sweepAbandonedImports } from "./import-lease.ts";

const { db } = createTestDb();

async function freshDataset(name: string) {
  return (await db.dataset.create({ data: { name, settings: {} } })).id;
}

function seedRows(words: string, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const instruction = `Describe the ${words} number ${i} in detail.`;
    return {
      externalId: `line:${i + 1}`,
      instruction,
      input: "",
      referenceResponse: null,
      contentHash: contentHash(instruction, ""),
      metadata: {},
      nodeInstruction: seedText(instruction, ""),
      constraints: [],
    };
  });
}

/** One batch of an import, as importSeeds writes it: the lease renewed, the rows inserted. */
function writeBatch(datasetId: number, lease: ImportLease, rows: ReturnType<typeof seedRows>) {
  return db.$transaction(async (tx) => {
    await renewLease(tx, lease);
    return insertImportedSeeds(tx, { datasetId, importId: lease.id, source: "plain" }, rows, new Date());
  });
}

/** What a reader sees of a dataset: counts, the seed list, the seed search, a tree, the job planner. */
async function seen(datasetId: number, word: string, seedId: number) {
  const stats = await datasetStats(db, datasetId);
  const tree = await loadSeedTree(db, datasetId, seedId).then(
    (t) => t.nodes.length,
    () => "not found",
  );
  const job = await startJob(db, {
    datasetId,
    pipeline: "ecd",
    params: { rounds: 1, concurrency: 1 },
    models: {
      evolver: { provider: "rule-based" },
      responder: { provider: "rule-based" },
      judge: { provider: "rule-based" },
    },
    limit: 1,
  }).then(
    () => "started",
    (error: Error) => error.message,
  );
  return {
    count: await countSeeds(db, datasetId),
    stats: [stats.seeds, stats.nodes],
    list: (await listSeeds(db, datasetId)).rows.length,
    search: (await listSeeds(db, datasetId, { q: word })).rows.length,
    tree,
    job,
  };
}

describe("an import's rows before and after its commit", () => {
  it("are invisible to counts, lists, search, trees and the job planner until the commit write", async () => {
    const id = await freshDataset("visibility");
    const lease = await beginImport(db, { datasetId: id, fileName: "a.jsonl", sha256: "0".repeat(64) });
    const ids = await writeBatch(id, lease, seedRows("lighthouse", 30));
    expect(ids.size).toBe(30);
    const seedId = [...ids.values()][0]!;
    // The rows are there (the import's own), but no reader sees them.
    expect(await db.seed.count({ where: { importId: lease.id } })).toBe(30);
    expect(await seen(id, "lighthouse", seedId)).toEqual({
      count: 0,
      stats: [0, 0],
      list: 0,
      search: 0,
      tree: "not found",
      job: "This dataset has no seeds yet: import some first",
    });

    await db.$transaction((tx) => commitImport(tx, lease, 30));
    expect(await seen(id, "lighthouse", seedId)).toEqual({
      count: 30,
      stats: [30, 30],
      list: 30,
      search: 30,
      tree: 1,
      job: "started",
    });
  });

  it("an abandoned import (lease run out) has its rows removed by another process's sweep, and its importer is stopped", async () => {
    const id = await freshDataset("abandoned");
    const lease = await beginImport(db, { datasetId: id, fileName: null, sha256: "1".repeat(64) }, 60_000);
    await writeBatch(id, lease, seedRows("glacier", 2500));
    // Not expired yet: a sweep leaves it alone.
    expect(await sweepAbandonedImports(db)).toBe(0);
    expect(await db.seed.count({ where: { datasetId: id } })).toBe(2500);
    // A minute later, with no renewal: its process is taken for dead.
    expect(await sweepAbandonedImports(db, new Date(Date.now() + 61_000))).toBe(2500);
    expect(await db.seed.count({ where: { datasetId: id } })).toBe(0);
    expect(await db.node.count({ where: { datasetId: id } })).toBe(0);
    expect(await db.seedImport.count({ where: { id: lease.id } })).toBe(0);
    // The importer, had it only been paused, finds its lease gone: its next batch is refused.
    await expect(db.$transaction((tx) => renewLease(tx, lease))).rejects.toThrow(/lease ran out/);
    // The same seeds can be imported again (the full-text entries went with the rows).
    const again = await importSeeds(
      db,
      id,
      bytesOf(
        seedRows("glacier", 5)
          .map((r) => JSON.stringify({ instruction: r.instruction }))
          .join("\n"),
      ),
    );
    expect(again.imported).toBe(5);
    expect((await listSeeds(db, id, { q: "glacier" })).rows.length).toBe(5);
  });

  it("two imports of the same file at once: each seed once, and the loser fails cleanly or reports duplicates", async () => {
    const id = await freshDataset("twice");
    const file = seedRows("harbour", 400)
      .map((r) => JSON.stringify({ instruction: r.instruction }))
      .join("\n");
    const results = await Promise.allSettled([0, 1].map(() => importSeeds(db, id, bytesOf(file), { batchSize: 20 })));
    const done = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.reduce((n, r) => n + r.imported, 0)).toBe(400);
    for (const report of done) expect(report.imported + report.duplicates).toBe(400);
    for (const error of failed) {
      expect(error).toBeInstanceOf(ImportError);
      expect(error.message).toMatch(
        /another import into this dataset .* is writing the same seed .* Nothing was imported\./,
      );
    }
    expect(await countSeeds(db, id)).toBe(400);
    expect(await db.seed.count({ where: { datasetId: id } })).toBe(400);
    // Nothing pending or failed is left behind.
    expect(await db.seedImport.findMany({ where: { datasetId: id }, select: { status: true } })).toEqual(
      done.map(() => ({ status: "committed" })),
    );
  });
});
