/**
 * Background exports (issue 11): above the threshold an export is a job of kind `export` on the one
 * job engine, run by a real worker — in this process, and as an `ecd worker` process killed with
 * SIGKILL mid-export, whose task another worker process retries from scratch. The bundle is the
 * one the synchronous path writes, byte for byte.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createPairOnNode } from "../../test/fixtures/pairs.ts";
import { exited, killAll, spawnWorker, until } from "../../test/worker-processes.ts";
import { createWorker, getJob, isFinished, type JobWorker } from "../jobs/index.ts";
import { backgroundExportThreshold, cancelExport, listExportJobs, startExport } from "./export/background.ts";
import { createExport, getExportBundle } from "./index.ts";

const { db, url } = createTestDb();
const exportDir = mkdtempSync(path.join(os.tmpdir(), "ecd-bg-export-"));
const previousDir = process.env.ECD_EXPORT_DIR;
process.env.ECD_EXPORT_DIR = exportDir;
const workers: JobWorker[] = [];
const PAIRS = 40;
let datasetId = 0;
let userId = 0;

afterAll(async () => {
  killAll();
  await Promise.all(workers.map((w) => w.stop({ graceMs: 100 })));
  delete process.env.ECD_EXPORT_PAUSE_MS;
  if (previousDir === undefined) delete process.env.ECD_EXPORT_DIR;
  else process.env.ECD_EXPORT_DIR = previousDir;
  rmSync(exportDir, { recursive: true, force: true });
});

beforeAll(async () => {
  userId = (await db.user.create({ data: { email: "bg@example.com", passwordHash: "x", role: "researcher" } })).id;
  datasetId = (await db.dataset.create({ data: { name: "Background", settings: {} } })).id;
  for (let i = 0; i < PAIRS; i++) {
    const seed = await db.seed.create({
      data: { datasetId, instruction: `Describe harbour ${i}.`, contentHash: `bg${i}`, source: "plain", metadata: {} },
    });
    const node = await db.node.create({
      data: { datasetId, seedId: seed.id, depth: 0, instruction: `Describe harbour ${i}.`, constraints: [] },
    });
    await createPairOnNode(db, {
      datasetId,
      nodeId: node.id,
      chosen: { text: `Harbour ${i} is calm at dawn, with boats in rows.`, model: "gpt-4o" },
      rejected: { text: `A harbour.`, model: "llama" },
      method: "manual",
    });
  }
});

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const finished = async (jobId: number) => isFinished((await getJob(db, jobId)).status);
const taskOf = (jobId: number) => db.task.findFirstOrThrow({ where: { jobId } });

function inProcessWorker() {
  const worker = createWorker(db, { pollMs: 20, leaseMs: 1_000, retryDelayMs: 10 }).start();
  workers.push(worker);
  return worker;
}

/** The stored bundle's data file and metadata.jsonl, each checked against its recorded sha256. */
async function storedBundle(exportId: number) {
  const bundle = await getExportBundle(db, datasetId, exportId);
  for (const f of bundle.files) expect(sha(readFileSync(f.path)), f.name).toBe(f.sha256);
  const [data, metadata] = bundle.files;
  return { data: readFileSync(data!.path, "utf8"), metadata: readFileSync(metadata!.path, "utf8"), bundle };
}

describe("the threshold", () => {
  it("is 100,000 pairs unless ECD_EXPORT_BACKGROUND_OVER says otherwise; a bad value is named", () => {
    expect(backgroundExportThreshold({})).toBe(100_000);
    expect(backgroundExportThreshold({ ECD_EXPORT_BACKGROUND_OVER: "25" })).toBe(25);
    expect(() => backgroundExportThreshold({ ECD_EXPORT_BACKGROUND_OVER: "many" })).toThrow(
      /ECD_EXPORT_BACKGROUND_OVER must be a whole number of pairs \(got "many"\)/,
    );
  });

  it("keeps an export at or below it synchronous: no job, the Export row at once", async () => {
    const started = await startExport(db, { datasetId, format: "trl-dpo", filters: { status: "all" } }, PAIRS);
    expect(started.kind).toBe("stored");
    expect(await db.job.count({ where: { kind: "export" } })).toBe(0);
  });
});

describe("an export above the threshold", () => {
  it("runs as an `export` job in the worker, reports progress, and stores the same bundle as the synchronous path", async () => {
    const started = await startExport(
      db,
      { datasetId, format: "trl-dpo", filters: { status: "all" }, actorId: userId, batchSize: 7 },
      10,
    );
    if (started.kind !== "background") throw new Error("expected a background export");
    expect(started.total).toBe(PAIRS);
    const exportsBefore = await db.export.count();
    expect(await listExportJobs(db, datasetId)).toMatchObject([
      { jobId: started.jobId, status: "queued", format: "trl-dpo", read: 0, total: PAIRS },
    ]);

    const worker = inProcessWorker();
    await until("the export job to finish", () => finished(started.jobId), 30_000, []);
    await worker.stop();
    expect((await getJob(db, started.jobId)).status).toBe("succeeded");
    expect((await taskOf(started.jobId)).progress).toEqual({ read: PAIRS, written: PAIRS, total: PAIRS });
    // Done: listed as its Export, no longer as a job.
    expect(await listExportJobs(db, datasetId)).toEqual([]);
    expect(await db.export.count()).toBe(exportsBefore + 1);
    const row = await db.export.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(row.dir).toBe(`export-job-${started.jobId}`);
    const background = await storedBundle(row.id);
    expect(background.data.trim().split("\n")).toHaveLength(PAIRS);

    const { exportId } = await createExport(db, { datasetId, format: "trl-dpo", filters: { status: "all" } });
    const synchronous = await storedBundle(exportId);
    expect(background.data).toBe(synchronous.data);
    expect(background.metadata).toBe(synchronous.metadata);
  });

  it("can be cancelled while it runs: no Export row, no files left", async () => {
    process.env.ECD_EXPORT_PAUSE_MS = "150";
    try {
      const started = await startExport(
        db,
        { datasetId, format: "sft", filters: { status: "all" }, actorId: userId, batchSize: 2 },
        10,
      );
      if (started.kind !== "background") throw new Error("expected a background export");
      const exportsBefore = await db.export.count();
      const worker = inProcessWorker();
      await until(
        "the export to make progress",
        async () => ((await taskOf(started.jobId)).progress as { read?: number }).read! > 0,
        30_000,
        [],
      );
      expect(await listExportJobs(db, datasetId)).toMatchObject([{ jobId: started.jobId, status: "running" }]);
      await cancelExport(db, datasetId, started.jobId, userId);
      await until("the task to stop", async () => (await taskOf(started.jobId)).status === "cancelled", 30_000, []);
      await worker.stop();
      expect(await db.export.count()).toBe(exportsBefore);
      expect(existsSync(path.join(exportDir, `export-job-${started.jobId}`))).toBe(false);
      expect(await listExportJobs(db, datasetId)).toMatchObject([{ jobId: started.jobId, status: "cancelled" }]);
      // Only this dataset's export jobs can be cancelled from its page.
      await expect(cancelExport(db, datasetId + 1000, started.jobId, userId)).rejects.toThrow(/does not exist/);
    } finally {
      delete process.env.ECD_EXPORT_PAUSE_MS;
    }
  });

  it("fails with a clear message when its dataset is gone", async () => {
    const doomed = await db.dataset.create({ data: { name: "Doomed", settings: {} } });
    const seed = await db.seed.create({
      data: { datasetId: doomed.id, instruction: "Doomed.", contentHash: "doomed", source: "plain", metadata: {} },
    });
    const node = await db.node.create({
      data: { datasetId: doomed.id, seedId: seed.id, depth: 0, instruction: "Doomed.", constraints: [] },
    });
    await createPairOnNode(db, {
      datasetId: doomed.id,
      nodeId: node.id,
      chosen: { text: "Yes.", model: "m" },
      rejected: { text: "No.", model: "m" },
      method: "manual",
    });
    const started = await startExport(db, { datasetId: doomed.id, format: "trl-dpo", filters: { status: "all" } }, 0);
    if (started.kind !== "background") throw new Error("expected a background export");
    await db.dataset.update({ where: { id: doomed.id }, data: { deletedAt: new Date() } });
    const worker = inProcessWorker();
    await until("the export job to finish", () => finished(started.jobId), 30_000, []);
    await worker.stop();
    const [item] = await listExportJobs(db, doomed.id);
    expect(item).toMatchObject({ status: "failed", error: expect.stringMatching(/Dataset \d+ does not exist/) });
  });
});

/**
 * A background export (`format`, 2 pairs per page) half written by an `ecd worker` process that
 * pauses 250 ms between pages: the process is still running, its task has read at least 6 pairs.
 */
async function halfWrittenExport(format: "trl-dpo" | "trl-dpo-conversational") {
  const started = await startExport(
    db,
    { datasetId, format, filters: { status: "all" }, actorId: userId, batchSize: 2 },
    10,
  );
  if (started.kind !== "background") throw new Error("expected a background export");
  const output: string[] = [];
  const env = { ECD_EXPORT_DIR: exportDir, ECD_EXPORT_PAUSE_MS: "250" };
  const worker = spawnWorker({ databaseUrl: url, llmUrl: "http://127.0.0.1:9", output, env });
  await until(
    "the export to be half written",
    async () => ((await taskOf(started.jobId)).progress as { read?: number }).read! >= 6,
    60_000,
    output,
  );
  return { jobId: started.jobId, folder: path.join(exportDir, `export-job-${started.jobId}`), worker, output, env };
}

describe("a worker process killed mid-export", () => {
  // Two `ecd worker` processes start and one is killed: allow for a loaded machine.
  it("leaves no Export row; the retried task rewrites the bundle from scratch", { timeout: 180_000 }, async () => {
    const exportsBefore = await db.export.count();
    const { jobId, folder, worker: first, output, env } = await halfWrittenExport("trl-dpo-conversational");
    first.kill("SIGKILL");
    expect(await exited(first)).toEqual({ code: null, signal: "SIGKILL" });
    // Half-written files on disk, and nothing listed as done.
    expect(readdirSync(folder)).toEqual(expect.arrayContaining(["metadata.jsonl"]));
    expect(readdirSync(folder)).not.toContain("manifest.json");
    expect(await db.export.count()).toBe(exportsBefore);
    expect((await listExportJobs(db, datasetId))[0]).toMatchObject({ jobId: jobId, status: "running" });

    const second = spawnWorker({
      databaseUrl: url,
      llmUrl: "http://127.0.0.1:9",
      output,
      env: { ...env, ECD_EXPORT_PAUSE_MS: "0" },
    });
    await until("the retried export to finish", () => finished(jobId), 60_000, output);
    second.kill("SIGKILL");
    expect((await getJob(db, jobId)).status).toBe("succeeded");
    expect((await taskOf(jobId)).attempts).toBe(2);
    expect(await db.export.count()).toBe(exportsBefore + 1);
    const row = await db.export.findFirstOrThrow({ orderBy: { id: "desc" } });
    const { data, metadata, bundle } = await storedBundle(row.id);
    expect(readdirSync(folder).sort()).toEqual(bundle.files.map((f) => f.name).sort());
    expect(data.trim().split("\n")).toHaveLength(PAIRS);
    expect(
      metadata
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { pair_id: number }).pair_id),
    ).toEqual(
      (await db.pair.findMany({ where: { datasetId }, orderBy: { id: "asc" }, select: { id: true } })).map((p) => p.id),
    );
  });
});

describe("a worker process killed on the export's last attempt", () => {
  it("fails the job, and the next sweep removes its half-written folder", { timeout: 180_000 }, async () => {
    const exportsBefore = await db.export.count();
    const { jobId, folder, worker, output } = await halfWrittenExport("trl-dpo");
    // As if this were the task's last attempt: the engine will not run it again.
    const task = await taskOf(jobId);
    await db.task.update({ where: { id: task.id }, data: { attempts: task.maxAttempts } });
    worker.kill("SIGKILL");
    expect(await exited(worker)).toEqual({ code: null, signal: "SIGKILL" });
    expect(readdirSync(folder)).toEqual(expect.arrayContaining(["metadata.jsonl"]));

    // Another worker's sweep fails the task once its lease expired, then removes the folder.
    const sweeper = inProcessWorker();
    await until("the export job to fail", () => finished(jobId), 60_000, output);
    expect((await getJob(db, jobId)).status).toBe("failed");
    await until("the folder to be removed", async () => !existsSync(folder), 30_000, output);
    await sweeper.stop();
    expect(await db.export.count()).toBe(exportsBefore);
    // The folders of exports that were recorded stay.
    for (const row of await db.export.findMany({ select: { dir: true } }))
      expect(existsSync(path.join(exportDir, row.dir)), row.dir).toBe(true);
  });
});
