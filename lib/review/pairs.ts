import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { insertPairsSql, pairCountAddSql, pairsByRunKeySql } from "../db/review-sql.ts";
import { PAIR_METHODS, PAIR_STATUSES, type PairStatus } from "../domain.ts";
import { DomainError } from "../errors.ts";
import { parseConstraints } from "./types.ts";
import { verdictColumns } from "./verdict-record.ts";
import { verdictsOf } from "./verdict-store.ts";

/**
 * Creating pairs: THE write path for new Pair rows (the generation engine, imports and fixtures
 * use it), so PairCount stays right. Every status change after creation goes through decide.ts.
 */

// Defined once in lib/db/client.ts; re-exported for lib/review's callers.
export type { DbOrTx, Tx } from "../db/client.ts";

const positiveId = z.number().int().positive();

export const newPairSchema = z
  .object({
    datasetId: positiveId,
    nodeId: positiveId,
    chosenId: positiveId,
    rejectedId: positiveId,
    method: z.enum(PAIR_METHODS),
    /** Ignored: whether the rejected response is a hard negative is computed from the verdict record. */
    hardNegative: z.boolean().nullish(),
    /** Pipeline details (failed constraint, verification summaries…). */
    metadata: z.record(z.string(), z.unknown()).default({}),
    jobId: positiveId.nullish(),
    /** Stable key within the job: creating the same (jobId, runKey) again returns the existing pair. */
    runKey: z.string().min(1).max(500).nullish(),
  })
  .refine((p) => p.chosenId !== p.rejectedId, {
    message: "Chosen and rejected must be different responses",
    path: ["rejectedId"],
  });
export type NewPair = z.input<typeof newPairSchema>;

export type CreatedPair = { id: number; created: boolean };

/** What createPairs needs of a pair's node and responses (what it otherwise reads). */
export type WrittenPairSources = {
  nodes: readonly {
    id: number;
    datasetId: number;
    depth: number;
    constraints: unknown;
    contaminated: boolean;
    parent: { constraints: unknown } | null;
  }[];
  responses: readonly {
    id: number;
    text: string;
    role: string;
    nodeId: number;
    verification: unknown;
    node: { datasetId: number };
  }[];
};

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one. (A transaction
 * client has `$transaction` too, for savepoints, but no `$connect`: joining costs nothing.)
 */
export async function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if ("$connect" in db && typeof db.$connect === "function") {
    return (db as Db).$transaction(fn, { maxWait: 15_000, timeout: 60_000 });
  }
  return fn(db as Tx);
}

/** Adds `delta` to the count of pairs with `status` in the dataset (same transaction as the change). */
export async function addToPairCount(tx: Tx, datasetId: number, status: PairStatus, delta: number): Promise<void> {
  if (delta === 0) return;
  await tx.$executeRaw(pairCountAddSql(datasetId, status, delta));
}

/** Space-separated verifiable constraint ids of a node (Pair.constraintIds, for filtering). */
export function constraintIdsOf(constraints: unknown): string {
  const ids = new Set<string>();
  for (const c of parseConstraints(constraints)) if (c.kind === "verifiable") ids.add(c.id);
  return [...ids].join(" ");
}

/**
 * Creates one pending pair (depth and constraint ids are taken from its node) and counts it.
 * Pass the generation task's transaction to make the pair part of it. Checks that the node and
 * both responses belong to the dataset. Idempotent on (jobId, runKey).
 */
export async function createPair(db: DbOrTx, input: NewPair): Promise<CreatedPair> {
  const [pair] = await createPairs(db, [input]);
  return pair;
}

/**
 * Creates several pairs of one dataset in one transaction (all or none), in a fixed number of
 * statements however many pairs there are (the generation runner writes a task's pairs this way):
 * one read of the nodes and responses they point at, one INSERT that skips pairs already stored
 * under their (jobId, runKey), and the PairCount update. Results are in input order.
 *
 * `written`: the nodes and responses as the caller wrote them in this same transaction (the
 * generation runner: values as stored, contamination flags as set), so they are not read back;
 * they are checked like read rows.
 */
export async function createPairs(
  db: DbOrTx,
  inputs: readonly NewPair[],
  written?: WrittenPairSources,
): Promise<CreatedPair[]> {
  if (inputs.length === 0) return [];
  const data = inputs.map((input) => newPairSchema.parse(input));
  const datasetId = data[0].datasetId;
  if (data.some((d) => d.datasetId !== datasetId))
    throw new DomainError("createPairs: all pairs must belong to one dataset", "invalid", "datasetId");
  return inTransaction(db, async (tx) => {
    const nodeIds = [...new Set(data.map((d) => d.nodeId))];
    const responseIds = [...new Set(data.flatMap((d) => [d.chosenId, d.rejectedId]))];
    const [nodeRows, responseRows] = written
      ? [written.nodes, written.responses]
      : await Promise.all([
          tx.node.findMany({
            where: { id: { in: nodeIds } },
            select: {
              id: true,
              datasetId: true,
              depth: true,
              constraints: true,
              contaminated: true,
              parent: { select: { constraints: true } },
            },
          }),
          tx.response.findMany({
            where: { id: { in: responseIds } },
            select: {
              id: true,
              text: true,
              role: true,
              nodeId: true,
              verification: true,
              node: { select: { datasetId: true } },
            },
          }),
        ]);
    const nodes = new Map(nodeRows.map((n) => [n.id, n]));
    const responses = new Map(responseRows.map((r) => [r.id, r]));
    for (const d of data) {
      if (nodes.get(d.nodeId)?.datasetId !== datasetId)
        throw new DomainError(`Node ${d.nodeId} is not in dataset ${datasetId}`, "invalid", "nodeId");
      for (const field of ["chosenId", "rejectedId"] as const) {
        if (responses.get(d[field])?.node.datasetId !== datasetId)
          throw new DomainError(`Response ${d[field]} is not in dataset ${datasetId}`, "invalid", field);
      }
    }

    const rows = data.map((d) => {
      const node = nodes.get(d.nodeId)!;
      const record = verdictsOf({
        method: d.method,
        nodeId: d.nodeId,
        metadata: d.metadata,
        node,
        chosen: responses.get(d.chosenId)!,
        rejected: responses.get(d.rejectedId)!,
      });
      return {
        datasetId,
        nodeId: d.nodeId,
        chosenId: d.chosenId,
        rejectedId: d.rejectedId,
        method: d.method,
        depth: node.depth,
        contaminated: node.contaminated,
        constraintIds: constraintIdsOf(node.constraints),
        metadata: d.metadata,
        jobId: d.jobId ?? null,
        runKey: d.runKey ?? null,
        ...verdictColumns(record),
      };
    });
    const inserted = await tx.$queryRaw<
      { id: number | bigint; jobId: number | bigint | null; runKey: string | null }[]
    >(insertPairsSql(rows, new Date()));
    if (inserted.length) await addToPairCount(tx, datasetId, "pending", inserted.length);

    const keyOf = (jobId: unknown, runKey: string) => `${Number(jobId)}\u0000${runKey}`;
    const made = new Map<string, number>();
    // Pairs without a run key never conflict: they are all inserted, ids ascending in input order.
    const unkeyed: number[] = [];
    for (const row of inserted) {
      if (row.jobId !== null && row.runKey !== null) made.set(keyOf(row.jobId, row.runKey), Number(row.id));
      else unkeyed.push(Number(row.id));
    }
    unkeyed.sort((a, b) => a - b);
    const skipped = data.filter((d) => d.jobId && d.runKey && !made.has(keyOf(d.jobId, d.runKey)));
    const existing = new Map<string, number>();
    if (skipped.length) {
      const found = await tx.$queryRaw<{ id: number | bigint; jobId: number | bigint; runKey: string }[]>(
        pairsByRunKeySql(skipped.map((d) => ({ jobId: d.jobId!, runKey: d.runKey! }))),
      );
      for (const row of found) existing.set(keyOf(row.jobId, row.runKey), Number(row.id));
    }
    let next = 0;
    const claimed = new Set<string>();
    return data.map((d) => {
      if (!d.jobId || !d.runKey) return { id: unkeyed[next++], created: true };
      const key = keyOf(d.jobId, d.runKey);
      const id = made.get(key);
      // The first input with a key made the pair; a repeat of the key in the same batch reuses it.
      if (id !== undefined && !claimed.has(key)) {
        claimed.add(key);
        return { id, created: true };
      }
      return { id: id ?? existing.get(key)!, created: false };
    });
  });
}

/**
 * Rebuilds a dataset's PairCount rows from the pairs themselves (a repair tool: the write paths
 * keep the counts right, this is for data changed behind their back). Returns the counts.
 */
export async function recountPairs(db: Db, datasetId: number): Promise<Record<PairStatus, number>> {
  return db.$transaction(
    async (tx) => {
      const rows = await tx.pair.groupBy({ by: ["status"], where: { datasetId }, _count: { _all: true } });
      const counts = emptyStatusCounts();
      for (const row of rows) if (row.status in counts) counts[row.status as PairStatus] = row._count._all;
      await tx.pairCount.deleteMany({ where: { datasetId } });
      await tx.pairCount.createMany({
        data: PAIR_STATUSES.map((status) => ({ datasetId, status, count: counts[status] })),
      });
      return counts;
    },
    { timeout: 120_000 },
  );
}

/** Pairs per status from the counters (no COUNT over the pairs). */
export async function pairCounts(
  db: DbOrTx,
  datasetId: number,
): Promise<Record<PairStatus, number> & { total: number }> {
  const rows = await db.pairCount.findMany({ where: { datasetId } });
  const counts = { total: 0, ...emptyStatusCounts() };
  for (const row of rows) {
    if (row.status in counts && row.status !== "total") {
      counts[row.status as PairStatus] = row.count;
      counts.total += row.count;
    }
  }
  return counts;
}

/** A zero for every status of lib/domain.ts. */
export function emptyStatusCounts(): Record<PairStatus, number> {
  return Object.fromEntries(PAIR_STATUSES.map((s) => [s, 0])) as Record<PairStatus, number>;
}
