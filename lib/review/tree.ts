import type { Db } from "../db/client.ts";
import { seedSearchSql } from "../db/search-sql.ts";
import { type NodeContamination, treeContamination } from "../decontam/index.ts";
import { DomainError } from "../errors.ts";
import { diffWords } from "./diff.ts";
import { parseConstraints, type ConstraintView, type PairStatus, type ResponseView } from "./types.ts";
import { newConstraintFlags, parsePairVerdicts } from "./verdict-record.ts";
import { toConstraintViews } from "./verdicts.ts";
import { responseSelect, toResponseView } from "./view.ts";
import { VISIBLE_NODE, VISIBLE_SEED } from "../db/visibility.ts";

/** The evolution tree browser: a seed and its descendants, and one node in detail. */

export type TreeNode = {
  id: number;
  parentId: number | null;
  depth: number;
  /** First line of the instruction, shortened. */
  title: string;
  /** What this node added to its parent's instruction (words), shortened; null for the seed. */
  added: string | null;
  operation: string | null;
  status: string;
  /** A dropped candidate's code (lib/evolution/drop-reasons.ts). */
  dropCode: string | null;
  dropReason: string | null;
  jobId: number | null;
  constraintCount: number;
  pairs: { id: number; status: PairStatus }[];
  /** Benchmark matches that make this node contaminated (its own, its seed's, an ancestor's); [] when clean. */
  contamination: NodeContamination[];
};

export type SeedTree = {
  seed: { id: number; datasetId: number; instruction: string; externalId: string | null; source: string };
  nodes: TreeNode[];
};

export async function loadSeedTree(db: Db, datasetId: number, seedId: number): Promise<SeedTree> {
  const seed = await db.seed.findUnique({
    where: { id: seedId, ...VISIBLE_SEED },
    select: { id: true, datasetId: true, instruction: true, externalId: true, source: true },
  });
  if (!seed || seed.datasetId !== datasetId)
    throw new DomainError(`Seed ${seedId} does not exist in this dataset`, "not_found");
  const nodes = await db.node.findMany({
    where: { seedId },
    orderBy: [{ depth: "asc" }, { id: "asc" }],
    select: {
      id: true,
      parentId: true,
      depth: true,
      instruction: true,
      operation: true,
      status: true,
      dropCode: true,
      dropReason: true,
      jobId: true,
      constraints: true,
    },
  });
  // The tree's pairs in one query by seed: a relation include would list every node id as a
  // parameter, beyond SQLite's limit in a tree of 1,000 nodes.
  const pairsByNode = new Map<number, { id: number; status: PairStatus }[]>();
  for (const pair of await db.pair.findMany({
    where: { node: { seedId } },
    select: { id: true, status: true, nodeId: true },
    orderBy: { id: "asc" },
  })) {
    const list = pairsByNode.get(pair.nodeId) ?? [];
    list.push({ id: pair.id, status: pair.status as PairStatus });
    pairsByNode.set(pair.nodeId, list);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const contamination = await treeContamination(db, seedId);
  const shorten = (text: string) => (text.length > 140 ? `${text.slice(0, 140)}…` : text);
  return {
    seed,
    nodes: nodes.map((n) => {
      const firstLine = n.instruction.split("\n", 1)[0] ?? "";
      const parent = n.parentId !== null ? byId.get(n.parentId) : undefined;
      const added = parent
        ? diffWords(parent.instruction, n.instruction)
            .filter((c) => c.op === "add")
            .map((c) => c.text.trim())
            .filter(Boolean)
            .join(" … ")
        : null;
      return {
        added: added === null ? null : shorten(added),
        id: n.id,
        parentId: n.parentId,
        depth: n.depth,
        title: shorten(firstLine),
        operation: n.operation,
        status: n.status,
        dropCode: n.dropCode,
        dropReason: n.dropReason,
        jobId: n.jobId,
        constraintCount: parseConstraints(n.constraints).length,
        pairs: pairsByNode.get(n.id) ?? [],
        contamination: contamination.get(n.id) ?? [],
      };
    }),
  };
}

export type NodeDetail = {
  id: number;
  seedId: number;
  parentId: number | null;
  depth: number;
  instruction: string;
  parentInstruction: string | null;
  operation: string | null;
  status: string;
  dropCode: string | null;
  dropReason: string | null;
  /** A dropped candidate's evolver reply as the model wrote it (capped), when a model answered. */
  rawReply: string | null;
  jobId: number | null;
  constraints: ConstraintView[];
  parentConstraints: ConstraintView[];
  responses: ResponseView[];
  /** Pairs made on the edge into this node, with their review status. */
  pairs: {
    id: number;
    status: PairStatus;
    method: string;
    chosenId: number;
    rejectedId: number;
    version: number;
    reviewCount: number;
    edited: boolean;
    /** From the pair's stored verdict record. */
    chosenOutcome: string;
    rejectedOutcome: string;
    rejectedFailsNew: boolean;
    hardNegative: boolean | null;
    lengthRatio: number | null;
  }[];
};

export async function loadNodeDetail(db: Db, seedId: number, nodeId: number): Promise<NodeDetail> {
  const node = await db.node.findUnique({
    where: { id: nodeId, ...VISIBLE_NODE },
    include: {
      parent: { select: { instruction: true, constraints: true } },
      responses: {
        orderBy: { id: "asc" },
        select: responseSelect,
      },
      pairs: {
        orderBy: { id: "asc" },
        select: {
          id: true,
          status: true,
          method: true,
          chosenId: true,
          rejectedId: true,
          version: true,
          reviewCount: true,
          edited: true,
          chosenOutcome: true,
          rejectedOutcome: true,
          rejectedFailsNew: true,
          hardNegative: true,
          lengthRatio: true,
          verdicts: true,
        },
      },
    },
  });
  if (!node || node.seedId !== seedId) throw new DomainError(`Node ${nodeId} is not in this tree`, "not_found");
  const constraints = parseConstraints(node.constraints);
  const parentConstraints = node.parent ? parseConstraints(node.parent.constraints) : null;
  // What is new at this node: the stored record of a pair on it, else the same rule for a node alone.
  const record = node.pairs.map((p) => parsePairVerdicts(p.verdicts)).find((r) => r !== null);
  const isNew = record
    ? record.constraints.map((c) => c.isNew)
    : newConstraintFlags("ecd", constraints, parentConstraints);
  return {
    id: node.id,
    seedId: node.seedId,
    parentId: node.parentId,
    depth: node.depth,
    instruction: node.instruction,
    parentInstruction: node.parent?.instruction ?? null,
    operation: node.operation,
    status: node.status,
    dropCode: node.dropCode,
    dropReason: node.dropReason,
    rawReply: node.status === "dropped" ? node.rawReply : null,
    jobId: node.jobId,
    constraints: toConstraintViews(constraints, isNew),
    parentConstraints: parentConstraints ? toConstraintViews(parentConstraints, []) : [],
    responses: node.responses.map((r) => toResponseView(r, constraints)),
    pairs: node.pairs.map(({ verdicts: _verdicts, ...p }) => ({ ...p, status: p.status as PairStatus })),
  };
}

export type SeedListRow = {
  id: number;
  instruction: string;
  externalId: string | null;
  source: string;
  nodes: number;
  pairs: number;
};

/** Seeds of a dataset in id order, a page at a time (keyset on id). */
export async function listSeeds(
  db: Db,
  datasetId: number,
  options: { afterId?: number; limit?: number; q?: string } = {},
): Promise<{ rows: SeedListRow[]; nextAfter: number | null }> {
  const limit = options.limit ?? 50;
  // A search walks the full-text index (lib/db/search-sql.ts): the page's ids, then their rows.
  const matching = options.q
    ? (
        await db.$queryRaw<{ id: number | bigint }[]>(
          seedSearchSql(datasetId, options.q, options.afterId ?? 0, limit + 1),
        )
      ).map((row) => Number(row.id))
    : null;
  const seeds = await db.seed.findMany({
    where: {
      datasetId,
      id: matching ? { in: matching } : options.afterId ? { gt: options.afterId } : undefined,
      ...VISIBLE_SEED,
    },
    orderBy: { id: "asc" },
    take: limit + 1,
    select: { id: true, instruction: true, externalId: true, source: true, _count: { select: { nodes: true } } },
  });
  const page = seeds.slice(0, limit);
  const pairCounts = page.length
    ? await db.pair.groupBy({
        by: ["nodeId"],
        where: { node: { seedId: { in: page.map((s) => s.id) } } },
        _count: { _all: true },
      })
    : [];
  const nodeSeed = page.length
    ? new Map(
        (
          await db.node.findMany({
            where: { id: { in: pairCounts.map((p) => p.nodeId) } },
            select: { id: true, seedId: true },
          })
        ).map((n) => [n.id, n.seedId]),
      )
    : new Map<number, number>();
  const pairsBySeed = new Map<number, number>();
  for (const row of pairCounts) {
    const seedId = nodeSeed.get(row.nodeId);
    if (seedId !== undefined) pairsBySeed.set(seedId, (pairsBySeed.get(seedId) ?? 0) + row._count._all);
  }
  return {
    rows: page.map((s) => ({
      id: s.id,
      instruction: s.instruction.length > 200 ? `${s.instruction.slice(0, 200)}…` : s.instruction,
      externalId: s.externalId,
      source: s.source,
      nodes: s._count.nodes,
      pairs: pairsBySeed.get(s.id) ?? 0,
    })),
    nextAfter: seeds.length > limit ? page[page.length - 1]!.id : null,
  };
}
