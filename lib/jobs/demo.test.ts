import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { repairDamage, requiredTexts, type ConstraintSpec } from "../constraints/index.ts";
import { ensureDemo } from "./demo.ts";
import { DEMO_SEEDS } from "./demo-seeds.ts";
import { createWorker, getJob, isFinished } from "./index.ts";

const { db } = createTestDb();

describe("the demo", () => {
  it("has varied seeds whose reference responses are 60–250 words", () => {
    expect(DEMO_SEEDS.length).toBeGreaterThanOrEqual(55);
    expect(new Set(DEMO_SEEDS.map((s) => s.category))).toEqual(
      new Set(["writing", "explaining", "planning", "coding", "lists", "advice"]),
    );
    expect(new Set(DEMO_SEEDS.map((s) => s.instruction)).size).toBe(DEMO_SEEDS.length);
    for (const seed of DEMO_SEEDS) {
      const words = seed.response.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
      expect(words, seed.instruction).toBeGreaterThanOrEqual(60);
      expect(words, seed.instruction).toBeLessThanOrEqual(250);
    }
  });

  it("is created once on an empty database, and both rule-based jobs finish with trees and pairs", async () => {
    expect(await ensureDemo(db, { env: { ECD_DEMO: "off" } })).toBeNull();
    const demo = await ensureDemo(db);
    expect(demo).toMatchObject({ seeds: DEMO_SEEDS.length, jobIds: [expect.any(Number), expect.any(Number)] });
    expect(await ensureDemo(db)).toBeNull();

    const started = Date.now();
    const worker = createWorker(db, { pollMs: 20 }).start();
    try {
      for (;;) {
        const jobs = await Promise.all(demo!.jobIds.map((id) => getJob(db, id)));
        if (jobs.every((j) => isFinished(j.status))) break;
        if (Date.now() - started > 60_000)
          throw new Error(
            `demo jobs not finished in 60 s: ${jobs.map((j) => `${j.status} ${j.tasksDone}/${j.tasksTotal}`).join(", ")}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
    const [ecd, c2s] = await Promise.all(demo!.jobIds.map((id) => getJob(db, id)));
    console.log(`demo: ecd ${ecd.pairs} pairs, c2s ${c2s.pairs} pairs in ${Date.now() - started} ms`);
    expect(ecd).toMatchObject({ status: "succeeded", tasksDone: DEMO_SEEDS.length, tasksFailed: 0 });
    expect(c2s).toMatchObject({ status: "succeeded", tasksDone: DEMO_SEEDS.length, tasksFailed: 0 });
    expect(ecd.pairs).toBeGreaterThan(DEMO_SEEDS.length);
    expect(c2s.pairs).toBeGreaterThan(DEMO_SEEDS.length / 2);
    // Every pair is counted, and everything made is labelled rule-based.
    const counts = await db.pairCount.findMany({ where: { datasetId: demo!.datasetId } });
    expect(counts.reduce((sum, c) => sum + c.count, 0)).toBe(ecd.pairs + c2s.pairs);
    const providers = await db.response.groupBy({
      by: ["provider"],
      where: { jobId: { in: demo!.jobIds } },
      _count: { _all: true },
    });
    expect(providers.map((p) => p.provider).sort()).toEqual(["rule-based", "seed"]);
    // Every chosen response keeps every word of what it was repaired from and glues nothing on
    // (ECD: the rejected parent response; C2S: the student's answer the fixes started from).
    const pairs = await db.pair.findMany({
      where: { datasetId: demo!.datasetId },
      include: { chosen: true, rejected: true, node: { include: { responses: { where: { role: "student" } } } } },
    });
    expect(pairs.length).toBe(ecd.pairs + c2s.pairs);
    const damaged = pairs.flatMap((p) => {
      const source = p.method === "c2s" ? p.node.responses[0]!.text : p.rejected.text;
      const specs = (p.node.constraints as unknown as ConstraintSpec[]).filter((c) => "id" in c);
      const damage = repairDamage(source, p.chosen.text, requiredTexts(specs));
      return damage.lost.length || damage.fragments.length ? [{ pair: p.id, method: p.method, ...damage }] : [];
    });
    expect(damaged).toEqual([]);
    // Depth-2 ECD nodes hang under depth-1 nodes of the same seed, under the seed's node 0.
    const deep = await db.node.findFirst({
      where: { jobId: ecd.id, depth: 2, status: "kept" },
      include: { parent: { include: { parent: true } } },
    });
    expect(deep?.parent?.parent).toMatchObject({ depth: 0, jobId: null, seedId: deep!.seedId });
  }, 90_000);
});
