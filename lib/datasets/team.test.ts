import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createFixtureDataset, createFixturePair, createFixtureUser } from "../../test/fixtures/pairs.ts";
import { OPERATOR } from "../auth/dataset-access.ts";
import { insertSyntheticPairs } from "../db/synthetic-sql.ts";
import { DomainError } from "../errors.ts";
import { createWorker, getJob } from "../jobs/index.ts";
import type { JobWorker } from "../jobs/worker.ts";
import { ensureDemo } from "../jobs/demo.ts";
import { decide } from "../review/index.ts";
import { DATASET_DELETE, requestDatasetDeletion } from "./delete.ts";
import { guidelinesNotice, listGuidelineVersions } from "./guidelines.ts";
import { createDataset, datasetSettingsSchema, findDatasetByName, getDataset, listDatasets } from "./index.ts";
import { updateDatasetSettings } from "./settings.ts";

const { db } = createTestDb();
const workers: JobWorker[] = [];
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop({ graceMs: 100 })));
});

function startWorker() {
  const worker = createWorker(db, { slots: 2, leaseMs: 5_000, pollMs: 10, retryDelayMs: 10 }).start();
  workers.push(worker);
  return worker;
}

async function until(predicate: () => Promise<boolean>, timeoutMs = 60_000) {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
const finished = async (jobId: number) => !["queued", "running"].includes((await getJob(db, jobId)).status);

async function vote(user: { id: number; role: string }, pairId: number, decision: "accept" | "reject") {
  const { version, datasetId } = await db.pair.findUniqueOrThrow({ where: { id: pairId } });
  return decide(db, user, { pairId, version, decision, durationMs: 1200 }, { datasetId });
}

async function settingsAudit(datasetId: number) {
  const events = await db.auditEvent.findMany({
    where: { action: "dataset.settings", entityId: String(datasetId) },
    orderBy: { id: "asc" },
  });
  return events.map((e) => e.data);
}

describe("updateDatasetSettings: the one write path", () => {
  it("writes each setting through the shared schema and audits every change with before and after", async () => {
    const res = await createFixtureUser(db, { role: "researcher" });
    const ds = await createDataset(db, { name: "Team settings" }, res.id);
    const result = await updateDatasetSettings(
      db,
      ds.id,
      { reviewsPerPair: 3, blind: true, licence: "CC-BY-4.0", heldoutShare: 0.1, description: "for the team" },
      res.id,
    );
    expect(result.changed).toEqual(["description", "reviewsPerPair", "blind", "licence", "heldoutShare"]);
    const stored = await getDataset(db, ds.id);
    expect(datasetSettingsSchema.parse(stored.settings)).toEqual({
      reviewsPerPair: 3,
      adjudication: false,
      blind: true,
      mode: "labelled",
      licence: "CC-BY-4.0",
      heldoutShare: 0.1,
    });
    expect(await settingsAudit(ds.id)).toEqual([
      { field: "description", before: "", after: "for the team" },
      { field: "reviewsPerPair", before: 1, after: 3 },
      { field: "blind", before: false, after: true },
      { field: "licence", before: "", after: "CC-BY-4.0" },
      { field: "heldoutShare", before: 0, after: 0.1 },
    ]);
    // Saving the same values again changes (and audits) nothing.
    expect((await updateDatasetSettings(db, ds.id, { reviewsPerPair: 3, blind: true }, res.id)).changed).toEqual([]);
    expect(await settingsAudit(ds.id)).toHaveLength(5);
  });

  it("refuses A/B with blind off, an out-of-range value and a taken name, naming the field, and changes nothing", async () => {
    const ds = await createDataset(db, { name: "Team refusals" }, null);
    await createDataset(db, { name: "Taken name" }, null);
    const before = await getDataset(db, ds.id);
    const refusal = await updateDatasetSettings(db, ds.id, { mode: "ab", blind: false }, null).catch((e) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ field: "blind", message: expect.stringMatching(/A\/B mode .* blind/) });
    const range = await updateDatasetSettings(db, ds.id, { reviewsPerPair: 11 }, null).catch((e) => e);
    expect(String(range)).toMatch(/reviewsPerPair must be a whole number from 1 to 10/);
    const taken = await updateDatasetSettings(db, ds.id, { name: "Taken name" }, null).catch((e) => e);
    expect(taken).toMatchObject({ field: "name", message: 'A dataset named "Taken name" already exists' });
    expect(await getDataset(db, ds.id)).toEqual(before);
    expect(await settingsAudit(ds.id)).toEqual([]);
    // A/B with blind on is fine.
    await updateDatasetSettings(db, ds.id, { mode: "ab", blind: true }, null);
    expect(datasetSettingsSchema.parse((await getDataset(db, ds.id)).settings).mode).toBe("ab");
  });

  it("renames in place: the id (and so every link) stays, the old name is free", async () => {
    const ds = await createDataset(db, { name: "Old team name" }, null);
    await updateDatasetSettings(db, ds.id, { name: "New team name" }, null);
    expect((await findDatasetByName(db, "New team name", OPERATOR)).id).toBe(ds.id);
    await expect(findDatasetByName(db, "Old team name", OPERATOR)).rejects.toThrow(/No dataset named/);
    expect(await settingsAudit(ds.id)).toEqual([{ field: "name", before: "Old team name", after: "New team name" }]);
  });
});

describe("guideline versions", () => {
  it("keeps every version with its author, records the version on each vote, and tells a reviewer when it changed", async () => {
    const res = await createFixtureUser(db, { role: "researcher", email: "guide-author@team.test" });
    const ann = await createFixtureUser(db, { role: "annotator" });
    const ds = await createFixtureDataset(db, { members: [ann] });
    const first = await createFixturePair(db, { datasetId: ds.id });
    const second = await createFixturePair(db, { datasetId: ds.id });

    // A vote before any guidelines records none.
    await vote(ann, first.pairId, "accept");
    await updateDatasetSettings(
      db,
      ds.id,
      { guidelines: "Accept pairs whose chosen response follows **every** constraint." },
      res.id,
    );
    expect(await guidelinesNotice(db, ds.id, ann.id)).toEqual({ current: 1, lastVoted: null, changed: true });

    await vote(ann, second.pairId, "reject");
    expect(await guidelinesNotice(db, ds.id, ann.id)).toEqual({ current: 1, lastVoted: 1, changed: false });

    const update = await updateDatasetSettings(db, ds.id, { guidelines: "Version two: reject curt answers." }, res.id);
    expect(update.guidelineVersion).toBe(2);
    expect(await guidelinesNotice(db, ds.id, ann.id)).toEqual({ current: 2, lastVoted: 1, changed: true });

    const votes = await db.review.findMany({ where: { userId: ann.id }, orderBy: { id: "asc" } });
    expect(votes.map((v) => v.guidelineVersion)).toEqual([null, 1]);
    const versions = await listGuidelineVersions(db, ds.id);
    expect(versions.map((v) => [v.version, v.author, v.text.slice(0, 12)])).toEqual([
      [2, "guide-author@team.test", "Version two:"],
      [1, "guide-author@team.test", "Accept pairs"],
    ]);
    expect((await getDataset(db, ds.id)).guidelines).toBe("Version two: reject curt answers.");
    expect(await settingsAudit(ds.id)).toEqual([
      { field: "guidelines", before: null, after: 1 },
      { field: "guidelines", before: 1, after: 2 },
    ]);
  });
});

describe("a settings change re-settles pending pairs in a background job", () => {
  it("settles pending pairs under the new reviews per pair; pairs in adjudication stay", async () => {
    const ann = await createFixtureUser(db, { role: "annotator" });
    const bob = await createFixtureUser(db, { role: "annotator" });
    const ds = await createFixtureDataset(db, { reviewsPerPair: 2, members: [ann, bob] });
    await updateDatasetSettings(db, ds.id, { adjudication: true }, null);
    const oneVote = await createFixturePair(db, { datasetId: ds.id });
    const disputed = await createFixturePair(db, { datasetId: ds.id });
    const untouched = await createFixturePair(db, { datasetId: ds.id });
    await vote(ann, oneVote.pairId, "accept");
    await vote(ann, disputed.pairId, "accept");
    await vote(bob, disputed.pairId, "reject");
    const status = async (id: number) => (await db.pair.findUniqueOrThrow({ where: { id } })).status;
    expect([await status(oneVote.pairId), await status(disputed.pairId)]).toEqual(["pending", "adjudication"]);

    const result = await updateDatasetSettings(db, ds.id, { reviewsPerPair: 1 }, null);
    expect(result.resettleJobId).not.toBeNull();
    startWorker();
    await until(() => finished(result.resettleJobId!));
    expect((await getJob(db, result.resettleJobId!)).status).toBe("succeeded");
    expect(await status(oneVote.pairId)).toBe("accepted");
    expect(await status(disputed.pairId)).toBe("adjudication");
    expect(await status(untouched.pairId)).toBe("pending");
    const counts = await db.pairCount.findMany({ where: { datasetId: ds.id } });
    expect(Object.fromEntries(counts.filter((c) => c.count).map((c) => [c.status, c.count]))).toEqual({
      accepted: 1,
      adjudication: 1,
      pending: 1,
    });
    // A change that does not touch the settling rules starts no job.
    expect((await updateDatasetSettings(db, ds.id, { licence: "MIT" }, null)).resettleJobId).toBeNull();
  });
});

/** 1M pairs by default, as the issue asks; ECD_DELETE_TEST_PAIRS makes it smaller on a slow machine. */
const LARGE = Number(process.env.ECD_DELETE_TEST_PAIRS ?? 1_000_000);

describe("deleting a dataset", () => {
  it(`removes a ${LARGE.toLocaleString("en-US")}-pair dataset in batches: gone from lists at once, requests answer meanwhile, no row left, the job stays`, async () => {
    const res = await createFixtureUser(db, { role: "researcher" });
    const ann = await createFixtureUser(db, { role: "annotator" });
    const other = await createFixtureDataset(db, { members: [ann] });
    const otherPair = await createFixturePair(db, { datasetId: other.id });
    const doomed = await createFixtureDataset(db, { name: "Doomed", members: [ann] });
    const fx = await createFixturePair(db, { datasetId: doomed.id, depth: 2 });
    await insertSyntheticPairs(db, {
      datasetId: doomed.id,
      nodeId: fx.nodeId,
      chosenId: fx.chosenId,
      rejectedId: fx.rejectedId,
      count: LARGE,
      reviewerId: ann.id,
      reviewEvery: 10,
    });
    await db.export.create({
      data: {
        datasetId: doomed.id,
        format: "trl-dpo",
        filters: {},
        counts: {},
        sha256: "x",
        fileName: "d.jsonl",
        manifest: {},
        appVersion: "t",
      },
    });
    await updateDatasetSettings(db, doomed.id, { guidelines: "Be strict." }, res.id);

    await expect(requestDatasetDeletion(db, doomed.id, "doomed", res.id)).rejects.toThrow(
      /type the dataset's name "Doomed"/,
    );
    const job = await requestDatasetDeletion(db, doomed.id, "Doomed", res.id);
    // Gone from every list and lookup at once, and its name is free again.
    expect((await listDatasets(db, OPERATOR)).map((d) => d.id)).not.toContain(doomed.id);
    expect((await listDatasets(db, ann)).map((d) => d.id)).not.toContain(doomed.id);
    await expect(getDataset(db, doomed.id)).rejects.toThrow(`Dataset ${doomed.id} does not exist`);
    await createDataset(db, { name: "Doomed" }, null);

    startWorker();
    await until(async () => (await getJob(db, job.id)).status === "running");
    await until(async () => (await db.pair.count({ where: { datasetId: doomed.id } })) < LARGE);
    // A request issued while the delete runs answers before the delete is done.
    const order: string[] = [];
    const request = Promise.all([listDatasets(db, ann), vote(ann, otherPair.pairId, "accept")]).then(() =>
      order.push("request"),
    );
    const deletion = until(() => finished(job.id), 600_000).then(() => order.push("delete"));
    await Promise.all([request, deletion]);
    expect(order).toEqual(["request", "delete"]);

    const done = await getJob(db, job.id);
    expect(done).toMatchObject({ status: "succeeded", kind: DATASET_DELETE });
    const leftover = {
      dataset: await db.dataset.count({ where: { id: doomed.id } }),
      pairs: await db.pair.count({ where: { datasetId: doomed.id } }),
      reviews: await db.review.count({ where: { pair: { datasetId: doomed.id } } }),
      nodes: await db.node.count({ where: { datasetId: doomed.id } }),
      responses: await db.response.count({ where: { nodeId: fx.nodeId } }),
      seeds: await db.seed.count({ where: { datasetId: doomed.id } }),
      exports: await db.export.count({ where: { datasetId: doomed.id } }),
      members: await db.datasetMember.count({ where: { datasetId: doomed.id } }),
      guidelines: await db.guidelineVersion.count({ where: { datasetId: doomed.id } }),
      counts: await db.pairCount.count({ where: { datasetId: doomed.id } }),
      otherJobs: await db.job.count({ where: { datasetId: doomed.id } }),
    };
    expect(leftover).toEqual({
      dataset: 0,
      pairs: 0,
      reviews: 0,
      nodes: 0,
      responses: 0,
      seeds: 0,
      exports: 0,
      members: 0,
      guidelines: 0,
      counts: 0,
      otherJobs: 0,
    });
    // The job outlives its dataset; the other dataset is untouched.
    expect(await db.job.findUnique({ where: { id: job.id } })).toMatchObject({ datasetId: null, status: "succeeded" });
    expect(await db.pair.count({ where: { datasetId: other.id } })).toBe(1);
  }, 900_000);

  it("a deleted demo is not created again", async () => {
    const { db: fresh } = { db };
    // An empty installation gets the demo once…
    await fresh.dataset.deleteMany({});
    await fresh.auditEvent.deleteMany({ where: { action: "demo.create" } });
    const demo = await ensureDemo(fresh, { env: { ECD_DEMO: "on" } });
    expect(demo).not.toBeNull();
    const demoId = (await findDatasetByName(fresh, "Demo", OPERATOR)).id;
    const job = await requestDatasetDeletion(fresh, demoId, "Demo", null);
    await until(() => finished(job.id));
    expect(await fresh.dataset.count()).toBe(0);
    // …and a start on the now empty database does not bring it back.
    expect(await ensureDemo(fresh, { env: { ECD_DEMO: "on" } })).toBeNull();
    expect(await fresh.dataset.count()).toBe(0);
  });
});
