/** explainJob: drops by reason code with examples, and the warning on a finished job. */
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { explainJob } from "./explain.ts";
import { getJob } from "./read-models.ts";

const { db } = createTestDb();

async function jobWithNodes(status: string, nodes: { status: string; dropCode?: string; dropReason?: string }[]) {
  const dataset = await db.dataset.create({ data: { name: `explain-${Math.random()}`, settings: {} } });
  const seed = await db.seed.create({
    data: { datasetId: dataset.id, instruction: "i", contentHash: "h", source: "plain", metadata: {} },
  });
  const job = await db.job.create({ data: { datasetId: dataset.id, pipeline: "ecd", params: {}, models: {}, status } });
  for (const [i, n] of nodes.entries())
    await db.node.create({
      data: {
        datasetId: dataset.id,
        seedId: seed.id,
        depth: 1,
        instruction: "x",
        constraints: [],
        jobId: job.id,
        runKey: `k${i}`,
        ...n,
      },
    });
  return { job: await getJob(db, job.id), seed };
}

describe("explainJob", () => {
  it("counts drops by code, most frequent first, with examples, and warns when a finished job made no pairs", async () => {
    const { job, seed } = await jobWithNodes("succeeded", [
      { status: "dropped", dropCode: "chosen_fails", dropReason: "a" },
      { status: "dropped", dropCode: "template_leak", dropReason: "b" },
      { status: "dropped", dropCode: "chosen_fails", dropReason: "c" },
      { status: "dropped", dropReason: "old text" },
    ]);
    const explained = await explainJob(db, job);
    expect(explained).toMatchObject({ candidates: 4, kept: 0, dropped: 4, llm: [] });
    expect(explained.dropReasons.map((r) => [r.code, r.count, r.examples.map((e) => e.detail)])).toEqual([
      ["chosen_fails", 2, ["a", "c"]],
      [null, 1, ["old text"]],
      ["template_leak", 1, ["b"]],
    ]);
    expect(explained.dropReasons[0]!.examples[0]!.seedId).toBe(seed.id);
    expect(explained.warning).toBe(
      "This job made no pairs from 4 candidates. Top reasons: chosen_fails (2), uncoded (1), template_leak (1).",
    );
  });

  it("warns when most candidates were dropped, and not while the job runs", async () => {
    const nodes = [
      { status: "kept" },
      { status: "dropped", dropCode: "rejected_not_negative", dropReason: "r" },
      { status: "dropped", dropCode: "rejected_not_negative", dropReason: "r" },
    ];
    const running = await jobWithNodes("running", nodes);
    expect((await explainJob(db, running.job)).warning).toBeNull();
    const done = await jobWithNodes("succeeded", nodes);
    // The pair count comes from the job summary: pretend the kept node made one.
    expect((await explainJob(db, { ...done.job, pairs: 1 })).warning).toBe(
      "This job dropped 2 of 3 candidates (67%). Top reasons: rejected_not_negative (2).",
    );
    const fine = await jobWithNodes("succeeded", [{ status: "kept" }, nodes[1]!]);
    expect((await explainJob(db, { ...fine.job, pairs: 1 })).warning).toBeNull();
  });
});
