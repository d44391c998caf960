import { beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import {
  AT_LEAST_10_WORDS,
  createFixtureDataset,
  createFixturePair,
  createFixtureUser,
  LOWERCASE,
  NO_COMMA,
  type FixturePair,
} from "../../test/fixtures/pairs.ts";
import { bulkDecide } from "./bulk.ts";
import { decide } from "./decide.ts";
import { pairCounts } from "./pairs.ts";
import { countPairs, listPairs, pairQuerySchema, parsePairQuery, pairQueryToParams, type PairQuery } from "./query.ts";
import { reviewOverview } from "./stats.ts";

const { db } = createTestDb();

let datasetId: number;
let pairs: FixturePair[];
let ann: { id: number; email: string };
let bob: { id: number; email: string };

const q = (input: Partial<Record<keyof PairQuery, unknown>> = {}): PairQuery =>
  pairQuerySchema.parse({ size: 10, ...input });

beforeAll(async () => {
  const ds = await createFixtureDataset(db);
  datasetId = ds.id;
  ann = await createFixtureUser(db);
  bob = await createFixtureUser(db);
  const job = await db.job.create({ data: { datasetId, pipeline: "ecd", params: {}, models: {} } });
  pairs = [];
  for (let i = 0; i < 36; i += 1) {
    pairs.push(
      await createFixturePair(db, {
        datasetId,
        method: i % 3 === 2 ? "c2s" : "ecd",
        depth: 1 + (i % 3),
        constraints: i % 2 ? [LOWERCASE] : [NO_COMMA, AT_LEAST_10_WORDS],
        seedInstruction: i === 7 ? "Write about Zebras in the savanna." : `Seed ${i}.`,
        chosen: i % 4 === 0 ? "Has, commas and Capitals" : "plain lowercase text without any commas here at all today",
        jobId: i < 6 ? job.id : null,
      }),
    );
  }
  // Decisions: ann accepts 0..5, bob rejects 6..8.
  for (const p of pairs.slice(0, 6))
    await decide(db, ann, { pairId: p.pairId, version: 1, decision: "accept", override: true });
  for (const p of pairs.slice(6, 9)) await decide(db, bob, { pairId: p.pairId, version: 1, decision: "reject" });
});

async function allPages(query: PairQuery): Promise<number[]> {
  const ids: number[] = [];
  let page = await listPairs(db, datasetId, query);
  ids.push(...page.rows.map((r) => r.id));
  for (let guard = 0; page.nextCursor && guard < 100; guard += 1) {
    page = await listPairs(db, datasetId, { ...query, after: page.nextCursor, before: undefined });
    ids.push(...page.rows.map((r) => r.id));
  }
  return ids;
}

describe("listPairs", () => {
  it("pages with cursors forward and back, newest first by default, with totals from the counters", async () => {
    const first = await listPairs(db, datasetId, q());
    expect(first.rows.map((r) => r.id)).toEqual(
      pairs
        .slice(-10)
        .reverse()
        .map((p) => p.pairId),
    );
    expect(first.prevCursor).toBeNull();
    expect(first.total).toBe(36);
    const second = await listPairs(db, datasetId, q({ after: first.nextCursor }));
    expect(second.rows.map((r) => r.id)).toEqual(
      pairs
        .slice(-20, -10)
        .reverse()
        .map((p) => p.pairId),
    );
    const back = await listPairs(db, datasetId, q({ before: second.prevCursor }));
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.prevCursor).toBeNull();
    expect(await allPages(q())).toEqual(pairs.map((p) => p.pairId).reverse());
  });

  it("sorts by depth (then id) in both directions without losing or repeating rows", async () => {
    const asc = await allPages(q({ sort: "depth", dir: "asc", size: 10 }));
    expect(asc).toHaveLength(36);
    expect(new Set(asc).size).toBe(36);
    const depthOf = new Map(pairs.map((p, i) => [p.pairId, 1 + (i % 3)]));
    const depths = asc.map((id) => depthOf.get(id)!);
    expect(depths).toEqual([...depths].sort((a, b) => a - b));
    const desc = await allPages(q({ sort: "depth", dir: "desc" }));
    expect(desc).toEqual([...asc].reverse());
    // Backward from the third page of the ascending walk gives the second page.
    const p1 = await listPairs(db, datasetId, q({ sort: "depth", dir: "asc" }));
    const p2 = await listPairs(db, datasetId, q({ sort: "depth", dir: "asc", after: p1.nextCursor }));
    const p3 = await listPairs(db, datasetId, q({ sort: "depth", dir: "asc", after: p2.nextCursor }));
    const back = await listPairs(db, datasetId, q({ sort: "depth", dir: "asc", before: p3.prevCursor }));
    expect(back.rows.map((r) => r.id)).toEqual(p2.rows.map((r) => r.id));
  });

  it("filters by status, method, depth, constraint ids, verification outcome, reviewer, job and text", async () => {
    const ids = (list: FixturePair[]) => list.map((p) => p.pairId).sort((a, b) => a - b);
    const run = async (filter: Partial<Record<keyof PairQuery, unknown>>) =>
      (await allPages(q(filter))).sort((a, b) => a - b);
    expect(await run({ status: ["accepted"] })).toEqual(ids(pairs.slice(0, 6)));
    expect(await run({ status: ["accepted", "rejected"] })).toEqual(ids(pairs.slice(0, 9)));
    expect(await run({ method: ["c2s"] })).toEqual(ids(pairs.filter((_, i) => i % 3 === 2)));
    expect(await run({ depth: [2] })).toEqual(ids(pairs.filter((_, i) => i % 3 === 1)));
    expect(await run({ cid: ["change_case:english_lowercase"] })).toEqual(ids(pairs.filter((_, i) => i % 2 === 1)));
    expect(await run({ cid: ["punctuation:no_comma", "length_constraints:number_words"] })).toEqual(
      ids(pairs.filter((_, i) => i % 2 === 0)),
    );
    // Chosen fails when it has commas (even i divisible by 4) or capitals (odd i with "Has, commas and Capitals" → i%4==0 only).
    expect(await run({ chosen: "fail" })).toEqual(ids(pairs.filter((_, i) => i % 4 === 0)));
    expect(await run({ chosen: "pass" })).toEqual(ids(pairs.filter((_, i) => i % 4 !== 0)));
    expect(await run({ reviewer: bob.id })).toEqual(ids(pairs.slice(6, 9)));
    expect(await run({ job: (await db.job.findFirstOrThrow({ where: { datasetId } })).id })).toEqual(
      ids(pairs.slice(0, 6)),
    );
    expect(await run({ q: "zebras" })).toEqual(ids([pairs[7]!]));
    expect(await run({ q: `#${pairs[3]!.pairId}` })).toEqual(ids([pairs[3]!]));
    expect(await run({ q: "100%_" })).toEqual([]);
    expect(await run({ method: ["ecd"], depth: [1], status: ["accepted"] })).toEqual(
      ids(pairs.slice(0, 6).filter((_, i) => i % 3 === 0)),
    );
    // Totals are known for status-only filters, unknown (null) otherwise.
    expect((await listPairs(db, datasetId, q({ status: ["accepted", "rejected"] }))).total).toBe(9);
    expect((await listPairs(db, datasetId, q({ method: ["ecd"] }))).total).toBeNull();
    expect(await countPairs(db, datasetId, q({ method: ["ecd"] }))).toBe(24);
  });

  it("describes rows: verification summaries, last review, prompt", async () => {
    const page = await listPairs(db, datasetId, q({ q: `#${pairs[0]!.pairId}` }));
    expect(page.rows[0]).toMatchObject({
      status: "accepted",
      method: "ecd",
      depth: 1,
      constraintIds: ["punctuation:no_comma", "length_constraints:number_words"],
      chosen: { passed: 0, total: 2 },
      lastReview: { user: ann.email, decision: "accept" },
    });
  });
});

describe("URL state", () => {
  it("round-trips a query through search params and reports bad values by field", () => {
    const query = q({
      status: "pending,adjudication",
      method: ["c2s"],
      depth: "1,2",
      cid: "punctuation:no_comma",
      chosen: "fail",
      q: "zebra",
      sort: "depth",
      dir: "asc",
    });
    const params = pairQueryToParams(query);
    const back = parsePairQuery(Object.fromEntries(params));
    expect(back.errors).toEqual([]);
    expect(back.query).toEqual(query);
    const bad = parsePairQuery({ status: "maybe", depth: "x", method: "ecd" });
    expect(bad.errors.join("; ")).toMatch(/status: status must be one of pending, accepted, rejected, adjudication/);
    expect(bad.errors.join("; ")).toMatch(/depth: depth must be a number/);
    expect(bad.query.method).toEqual(["ecd"]);
    expect(bad.query.status).toBeUndefined();
  });
});

describe("bulkDecide", () => {
  it("refuses when the confirmed count no longer matches, then applies to exactly the selection", async () => {
    const researcher = await createFixtureUser(db, { role: "researcher" });
    const filter = { method: ["c2s"], status: ["pending"] } as const;
    const count = await countPairs(db, datasetId, pairQuerySchema.parse(filter));
    expect(count).toBe(9); // c2s pairs are i = 2, 5, …, 35 (12); 2 and 5 were accepted, 8 rejected
    await expect(
      bulkDecide(db, researcher, { datasetId, decision: "reject", filter, expectedCount: count + 1 }),
    ).rejects.toThrow(/The selection changed: 9 pairs match now, you confirmed 10/);
    const before = await pairCounts(db, datasetId);
    const result = await bulkDecide(db, researcher, {
      datasetId,
      decision: "reject",
      filter,
      expectedCount: count,
      reasonText: "student too weak",
    });
    expect(result).toEqual({ count: 9, byStatus: { rejected: 9 }, skipped: { final: 0, adjudication: 0, ids: [] } });
    const after = await pairCounts(db, datasetId);
    expect(after).toMatchObject({ pending: before.pending - 9, rejected: before.rejected + 9, total: before.total });
    const reviews = await db.review.findMany({ where: { userId: researcher.id } });
    expect(reviews).toHaveLength(9);
    expect(
      reviews.every((r) => r.decision === "reject" && r.reason === "bulk" && r.reasonText === "student too weak"),
    ).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "pair.bulk_review" } });
    expect(audit.data).toMatchObject({ decision: "reject", count: 9 });
  });

  it("applies to ticked ids only", async () => {
    const researcher = await createFixtureUser(db, { role: "researcher" });
    const ids = [pairs[9]!.pairId, pairs[10]!.pairId];
    const result = await bulkDecide(db, researcher, {
      datasetId,
      decision: "accept",
      filter: { ids },
      expectedCount: 2,
    });
    expect(result.count).toBe(2);
    const rows = await db.pair.findMany({ where: { id: { in: ids } } });
    expect(rows.map((r) => r.status)).toEqual(["accepted", "accepted"]);
  });
});

describe("reviewOverview", () => {
  it("reports progress, per-reviewer counts and acceptance by depth, method and constraint", async () => {
    const ds = await createFixtureDataset(db, { reviewsPerPair: 2 });
    const a = await createFixtureUser(db);
    const b = await createFixtureUser(db);
    const p1 = await createFixturePair(db, { datasetId: ds.id, depth: 1, constraints: [NO_COMMA] });
    const p2 = await createFixturePair(db, {
      datasetId: ds.id,
      depth: 2,
      method: "c2s",
      constraints: [NO_COMMA, LOWERCASE],
    });
    const p3 = await createFixturePair(db, { datasetId: ds.id, depth: 2, constraints: [LOWERCASE] });
    await decide(db, a, { pairId: p1.pairId, version: 1, decision: "accept", durationMs: 2000 });
    await decide(db, a, { pairId: p2.pairId, version: 1, decision: "reject", durationMs: 4000 });
    // A second opinion on p1 (agreeing) and on p2 (disagreeing).
    await decide(db, b, { pairId: p1.pairId, version: 2, decision: "accept" });
    await decide(db, b, { pairId: p2.pairId, version: 2, decision: "accept" });
    const o = await reviewOverview(db, ds.id);
    // p1: two accepts → accepted; p2: reject + accept → a tie, still pending; p3 untouched.
    expect(o.progress).toMatchObject({ total: 3, pending: 2, accepted: 1, rejected: 0 });
    expect(o.reviewers.find((r) => r.userId === a.id)).toMatchObject({
      total: 2,
      decisions: { accept: 1, reject: 1 },
      meanMs: 3000,
    });
    expect(o.byDepth.map((r) => [r.key, r.total, r.acceptance])).toEqual([
      ["1", 1, 1],
      ["2", 2, null],
    ]);
    expect(o.byMethod.find((r) => r.key === "ecd")).toMatchObject({ total: 2, accepted: 1, pending: 1, acceptance: 1 });
    expect(o.byConstraint.find((r) => r.key === "punctuation:no_comma")).toMatchObject({ total: 2 });
    expect(o.agreement).toMatchObject({ pairs: 2, observed: 0.5 });
    void p3;
  });
});
