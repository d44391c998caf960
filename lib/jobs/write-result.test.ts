/**
 * writeResult: a seed's pipeline result stored idempotently under (jobId, runKey). A first run
 * inserts everything; storing it again (a task re-run) adds nothing and hands back the same ids;
 * a result that extends what is stored adds only the new rows, wired to the stored ones.
 */
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { pairCounts } from "../review/pairs.ts";
import type {
  Constraint,
  GeneratedNode,
  GeneratedPair,
  GeneratedResponse,
  PipelineResult,
} from "../evolution/index.ts";
import { writeResult } from "./runner.ts";

const { db } = createTestDb();

const NO_COMMA: Constraint = {
  kind: "verifiable",
  id: "punctuation:no_comma",
  kwargs: {},
  text: "Do not use any commas",
};
const LOWER: Constraint = {
  kind: "verifiable",
  id: "change_case:english_lowercase",
  kwargs: {},
  text: "Write in lowercase only",
};

function node(
  key: string,
  parentKey: string | null,
  depth: number,
  constraints = [NO_COMMA],
  status: "kept" | "dropped" = "kept",
): GeneratedNode {
  return {
    key,
    parentKey,
    depth,
    instruction: `instruction ${key}`,
    constraints,
    operation: parentKey ? "add_verifiable" : null,
    status,
    ...(status === "dropped" ? { drop: { code: "constraint_conflict", detail: "conflicts" } } : {}),
  };
}
function response(key: string, nodeKey: string, parentKey?: string): GeneratedResponse {
  return {
    key,
    nodeKey,
    text: `answer ${key}`,
    role: parentKey ? "repair" : "responder",
    provider: "local",
    model: "m",
    verification: [],
    ...(parentKey ? { parentKey } : {}),
  };
}
function pair(key: string, nodeKey: string, chosenKey: string, rejectedKey: string): GeneratedPair {
  return { key, nodeKey, chosenKey, rejectedKey, method: "ecd", hardNegative: true, metadata: { note: key } };
}

const ROUND_1: PipelineResult = {
  nodes: [node("n0", null, 0, []), node("n1", "n0", 1), node("n1x", "n0", 1, [NO_COMMA], "dropped")],
  responses: [response("r0", "n0"), response("r1", "n1"), response("r1b", "n1", "r1")],
  pairs: [pair("p1", "n1", "r1b", "r0")],
  log: [],
};
const ROUND_2: PipelineResult = {
  nodes: [...ROUND_1.nodes, node("n2", "n1", 2, [NO_COMMA, LOWER])],
  responses: [...ROUND_1.responses, response("r2", "n2"), response("r2b", "n2", "r2")],
  pairs: [...ROUND_1.pairs, pair("p2", "n2", "r2b", "r1b")],
  log: [],
};

async function setup() {
  const dataset = await db.dataset.create({ data: { name: `write-${Math.random()}`, settings: {} } });
  const seed = await db.seed.create({
    data: {
      datasetId: dataset.id,
      instruction: "Describe a lighthouse.",
      contentHash: "h",
      source: "plain",
      metadata: {},
    },
  });
  const root = await db.node.create({
    data: { datasetId: dataset.id, seedId: seed.id, depth: 0, instruction: "Describe a lighthouse.", constraints: [] },
  });
  const job = await db.job.create({ data: { datasetId: dataset.id, pipeline: "ecd", params: {}, models: {} } });
  const write = (result: PipelineResult) =>
    db.$transaction((tx) =>
      writeResult(tx, {
        jobId: job.id,
        datasetId: dataset.id,
        seedId: seed.id,
        rootNodeId: root.id,
        pipeline: "ecd",
        result,
      }),
    );
  const snapshot = async () => ({
    nodes: await db.node.findMany({
      where: { jobId: job.id },
      orderBy: { id: "asc" },
      select: { id: true, runKey: true, parentId: true, depth: true, status: true, dropCode: true, dropReason: true },
    }),
    responses: await db.response.findMany({
      where: { jobId: job.id },
      orderBy: { id: "asc" },
      select: { id: true, runKey: true, nodeId: true, parentId: true },
    }),
    pairs: await db.pair.findMany({
      where: { jobId: job.id },
      orderBy: { id: "asc" },
      select: {
        id: true,
        runKey: true,
        nodeId: true,
        chosenId: true,
        rejectedId: true,
        depth: true,
        constraintIds: true,
      },
    }),
  });
  return { dataset, seed, root, job, write, snapshot };
}

describe("writeResult", () => {
  it("stores a result once: writing it again adds nothing and keeps the ids", async () => {
    const { dataset, seed, root, write, snapshot } = await setup();
    expect(await write(ROUND_2)).toEqual({ nodes: 3, responses: 5, pairs: 2 });
    const first = await snapshot();
    const nodeId = (key: string) => first.nodes.find((n) => n.runKey === `${seed.id}:${key}`)!.id;
    const responseId = (key: string) => first.responses.find((r) => r.runKey === `${seed.id}:${key}`)!.id;
    expect(first.nodes.map((n) => [n.runKey, n.parentId, n.depth, n.status, n.dropCode, n.dropReason])).toEqual([
      [`${seed.id}:n1`, root.id, 1, "kept", null, null],
      [`${seed.id}:n1x`, root.id, 1, "dropped", "constraint_conflict", "conflicts"],
      [`${seed.id}:n2`, nodeId("n1"), 2, "kept", null, null],
    ]);
    expect(first.responses.find((r) => r.runKey === `${seed.id}:r2b`)).toMatchObject({
      nodeId: nodeId("n2"),
      parentId: responseId("r2"),
    });
    expect(first.pairs.map((p) => [p.runKey, p.nodeId, p.chosenId, p.rejectedId, p.depth, p.constraintIds])).toEqual([
      [`${seed.id}:p1`, nodeId("n1"), responseId("r1b"), responseId("r0"), 1, "punctuation:no_comma"],
      [
        `${seed.id}:p2`,
        nodeId("n2"),
        responseId("r2b"),
        responseId("r1b"),
        2,
        "punctuation:no_comma change_case:english_lowercase",
      ],
    ]);

    expect(await write(ROUND_2)).toEqual({ nodes: 0, responses: 0, pairs: 0 });
    expect(await snapshot()).toEqual(first);
    expect(await pairCounts(db, dataset.id)).toMatchObject({ total: 2, pending: 2 });
  });

  it("adds only what is new when a result extends the stored one, wired to the stored rows", async () => {
    const { dataset, seed, write, snapshot } = await setup();
    expect(await write(ROUND_1)).toEqual({ nodes: 2, responses: 3, pairs: 1 });
    const before = await snapshot();
    expect(await write(ROUND_2)).toEqual({ nodes: 1, responses: 2, pairs: 1 });
    const after = await snapshot();
    expect(after.nodes.slice(0, 2)).toEqual(before.nodes);
    const n1 = before.nodes.find((n) => n.runKey === `${seed.id}:n1`)!.id;
    const r1b = before.responses.find((r) => r.runKey === `${seed.id}:r1b`)!.id;
    expect(after.nodes[2]).toMatchObject({ runKey: `${seed.id}:n2`, parentId: n1 });
    expect(after.pairs[1]).toMatchObject({ runKey: `${seed.id}:p2`, rejectedId: r1b });
    expect(await pairCounts(db, dataset.id)).toMatchObject({ total: 2, pending: 2 });
  });

  it("writes nothing when the result is inconsistent (the transaction rolls back)", async () => {
    const { job, write } = await setup();
    const broken: PipelineResult = { ...ROUND_1, pairs: [pair("p1", "n1", "r1b", "missing")] };
    await expect(write(broken)).rejects.toThrow(/pair p1 refers to an unknown node or response/);
    expect(await db.node.count({ where: { jobId: job.id } })).toBe(0);
    expect(await db.response.count({ where: { jobId: job.id } })).toBe(0);
  });
});
