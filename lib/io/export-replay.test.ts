import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { DEMO_SEEDS } from "../jobs/demo-seeds.ts";
import { createWorker, getJob, isFinished, startJob, type StartJobInput } from "../jobs/index.ts";
import { createExport, type ExportManifest, importSeeds } from "./index.ts";

/**
 * The manifest makes a dataset reproducible: a rule-based job re-run from what the manifest names
 * (its pipeline, parameters and models, and the seed file checked by its sha256) gives the same pairs.
 */
const { db } = createTestDb();
const tmp = mkdtempSync(path.join(os.tmpdir(), "ecd-replay-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function runToEnd(jobId: number) {
  // One slot: tasks run in seed order, so pair ids (the export's order) follow the seeds on both
  // databases. With concurrent slots a replay makes the same pairs, in the order they finished.
  const worker = createWorker(db, { pollMs: 20, slots: 1 }).start();
  try {
    const started = Date.now();
    while (!isFinished((await getJob(db, jobId)).status)) {
      if (Date.now() - started > 60_000) throw new Error(`job ${jobId} did not finish in 60 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await worker.stop();
  }
  expect((await getJob(db, jobId)).status).toBe("succeeded");
}

async function exportPairs(datasetId: number) {
  const { manifest, dir } = await createExport(db, {
    datasetId,
    format: "openai-dpo",
    filters: { status: "all" },
  });
  return { manifest, data: readFileSync(path.join(dir, manifest.fileName)) };
}

describe("replaying a rule-based job from the manifest", () => {
  it("names the job, its models, template hashes and seed file, and a re-run gives byte-identical pairs", async () => {
    const seedFile = path.join(tmp, "seeds.jsonl");
    writeFileSync(
      seedFile,
      DEMO_SEEDS.slice(0, 6)
        .map((s) => JSON.stringify({ instruction: s.instruction, input: s.input ?? "", output: s.response }))
        .join("\n") + "\n",
    );
    const original = await db.dataset.create({ data: { name: "Original", settings: {} } });
    await importSeeds(db, original.id, createReadStream(seedFile), { fileName: "seeds.jsonl", format: "jsonl" });
    const rb = { provider: "rule-based", model: "" };
    const job = await startJob(db, {
      datasetId: original.id,
      pipeline: "ecd",
      params: { rounds: 2, branches: 1, randomSeed: 42 },
      models: { evolver: rb, responder: rb, judge: rb },
    });
    await runToEnd(job.id);
    const first = await exportPairs(original.id);
    const manifest = first.manifest as Required<ExportManifest>;
    expect(manifest.counts.pairs).toBeGreaterThan(6);
    expect(manifest.jobs.map((j) => j.id)).toEqual([job.id]);
    expect(manifest.jobs[0]).toMatchObject({
      pipeline: "ecd",
      params: { rounds: 2, branches: 1, randomSeed: 42 },
      models: { evolver: rb, responder: rb },
      providers: [{ name: "rule-based", baseUrlHost: null }],
    });
    expect(Object.keys(manifest.promptTemplates)).toEqual(
      expect.arrayContaining(["responder", "judge", "student", "correction"]),
    );
    for (const hash of Object.values(manifest.promptTemplates)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const fileSha = createHash("sha256").update(readFileSync(seedFile)).digest("hex");
    expect(manifest.seedSources).toEqual([
      expect.objectContaining({ fileName: "seeds.jsonl", sha256: fileSha, format: "jsonl", rows: 6, imported: 6 }),
    ]);
    expect(manifest.counts.byGenerator).toEqual({ "rule-based": manifest.counts.pairs });

    // The replay: only what the manifest says, plus the seed file it names (checked by its sha256).
    const [source] = manifest.seedSources;
    expect(createHash("sha256").update(readFileSync(seedFile)).digest("hex")).toBe(source!.sha256);
    const replay = await db.dataset.create({ data: { name: "Replay", settings: {} } });
    await importSeeds(db, replay.id, createReadStream(seedFile), { fileName: source!.fileName!, format: "jsonl" });
    const [recorded] = manifest.jobs;
    const again = await startJob(db, {
      datasetId: replay.id,
      pipeline: recorded!.pipeline as StartJobInput["pipeline"],
      params: recorded!.params as StartJobInput["params"],
      models: recorded!.models,
    });
    await runToEnd(again.id);
    const second = await exportPairs(replay.id);
    expect(second.manifest.counts.pairs).toBe(manifest.counts.pairs);
    expect(second.data.toString("utf8")).toBe(first.data.toString("utf8"));
    expect(second.manifest.sha256).toBe(manifest.sha256);
  });
});
