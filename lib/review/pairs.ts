import { z } from "zod";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { pairCountAddSql } from "../db/review-sql.ts";
import { DomainError } from "../errors.ts";
import { PAIR_METHODS, PAIR_STATUSES, parseConstraints, type PairStatus } from "./types.ts";

/**
 * Creating pairs: THE write path for new Pair rows (the generation engine, imports and fixtures
 * use it), so PairCount stays right. Every status change after creation goes through decide.ts.
 */

export type Tx = Prisma.TransactionClient;
export type DbOrTx = Db | Tx;

const positiveId = z.number().int().positive();

export const newPairSchema = z
  .object({
    datasetId: positiveId,
    nodeId: positiveId,
    chosenId: positiveId,
    rejectedId: positiveId,
    method: z.enum(PAIR_METHODS),
    /** ECD: the rejected response passes every old constraint. */
    hardNegative: z.boolean().nullish(),
    /** Pipeline details (failed constraint, verification summaries…). */
    metadata: z.record(z.string(), z.unknown()).default({}),
    jobId: positiveId.nullish(),
    /** Stable key within the job: creating the same (jobId, runKey) again returns the existing pair. */
    runKey: z.string().min(1).max(500).nullish(),
  })
  .refine((p) => p.chosenId !== p.rejectedId, { message: "Chosen and rejected must be different responses", path: ["rejectedId"] });
export type NewPair = z.input<typeof newPairSchema>;

export type CreatedPair = { id: number; created: boolean };

/** Runs `fn` in a transaction, or inside the caller's when `db` already is one. */
export async function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if ("$transaction" in db && typeof db.$transaction === "function") {
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
  const data = newPairSchema.parse(input);
  return inTransaction(db, async (tx) => {
    if (data.jobId && data.runKey) {
      const existing = await tx.pair.findUnique({ where: { jobId_runKey: { jobId: data.jobId, runKey: data.runKey } }, select: { id: true } });
      if (existing) return { id: existing.id, created: false };
    }
    const node = await tx.node.findUnique({ where: { id: data.nodeId }, select: { datasetId: true, depth: true, constraints: true } });
    if (!node || node.datasetId !== data.datasetId) throw new DomainError(`Node ${data.nodeId} is not in dataset ${data.datasetId}`, "invalid", "nodeId");
    const responses = await tx.response.findMany({
      where: { id: { in: [data.chosenId, data.rejectedId] } },
      select: { id: true, node: { select: { datasetId: true } } },
    });
    for (const field of ["chosenId", "rejectedId"] as const) {
      const response = responses.find((r) => r.id === data[field]);
      if (!response || response.node.datasetId !== data.datasetId) {
        throw new DomainError(`Response ${data[field]} is not in dataset ${data.datasetId}`, "invalid", field);
      }
    }
    const pair = await tx.pair.create({
      data: {
        datasetId: data.datasetId,
        nodeId: data.nodeId,
        chosenId: data.chosenId,
        rejectedId: data.rejectedId,
        method: data.method,
        depth: node.depth,
        constraintIds: constraintIdsOf(node.constraints),
        hardNegative: data.hardNegative ?? null,
        metadata: data.metadata as Prisma.InputJsonValue,
        jobId: data.jobId ?? null,
        runKey: data.runKey ?? null,
      },
      select: { id: true },
    });
    await addToPairCount(tx, data.datasetId, "pending", 1);
    return { id: pair.id, created: true };
  });
}

/**
 * Creates several pairs of one dataset in one transaction (all or none), with the same checks and
 * idempotency as createPair but a fixed number of statements however many pairs there are (the
 * generation runner writes a task's pairs this way). Results are in input order.
 */
export async function createPairs(db: DbOrTx, inputs: readonly NewPair[]): Promise<CreatedPair[]> {
  if (inputs.length === 0) return [];
  const data = inputs.map((input) => newPairSchema.parse(input));
  const datasetId = data[0].datasetId;
  if (data.some((d) => d.datasetId !== datasetId)) throw new DomainError("createPairs: all pairs must belong to one dataset", "invalid", "datasetId");
  return inTransaction(db, async (tx) => {
    const keyed = data.filter((d) => d.jobId && d.runKey);
    const existing = keyed.length
      ? await tx.pair.findMany({
          where: { OR: keyed.map((d) => ({ jobId: d.jobId!, runKey: d.runKey! })) },
          select: { id: true, jobId: true, runKey: true },
        })
      : [];
    const existingId = new Map(existing.map((p) => [`${p.jobId}\u0000${p.runKey}`, p.id]));
    const idOf = (d: (typeof data)[number]) => (d.jobId && d.runKey ? existingId.get(`${d.jobId}\u0000${d.runKey}`) : undefined);
    const fresh = data.filter((d) => idOf(d) === undefined);

    const nodes = new Map(
      (await tx.node.findMany({ where: { id: { in: [...new Set(fresh.map((d) => d.nodeId))] } }, select: { id: true, datasetId: true, depth: true, constraints: true } })).map((n) => [n.id, n]),
    );
    const responseIds = [...new Set(fresh.flatMap((d) => [d.chosenId, d.rejectedId]))];
    const responseDataset = new Map(
      (await tx.response.findMany({ where: { id: { in: responseIds } }, select: { id: true, node: { select: { datasetId: true } } } })).map((r) => [r.id, r.node.datasetId]),
    );
    for (const d of fresh) {
      if (nodes.get(d.nodeId)?.datasetId !== datasetId) throw new DomainError(`Node ${d.nodeId} is not in dataset ${datasetId}`, "invalid", "nodeId");
      for (const field of ["chosenId", "rejectedId"] as const) {
        if (responseDataset.get(d[field]) !== datasetId) throw new DomainError(`Response ${d[field]} is not in dataset ${datasetId}`, "invalid", field);
      }
    }
    const made = fresh.length
      ? await tx.pair.createManyAndReturn({
          data: fresh.map((d) => {
            const node = nodes.get(d.nodeId)!;
            return {
              datasetId,
              nodeId: d.nodeId,
              chosenId: d.chosenId,
              rejectedId: d.rejectedId,
              method: d.method,
              depth: node.depth,
              constraintIds: constraintIdsOf(node.constraints),
              hardNegative: d.hardNegative ?? null,
              metadata: d.metadata as Prisma.InputJsonValue,
              jobId: d.jobId ?? null,
              runKey: d.runKey ?? null,
            };
          }),
          select: { id: true },
        })
      : [];
    if (made.length) await addToPairCount(tx, datasetId, "pending", made.length);
    // createManyAndReturn returns rows in insertion order.
    let next = 0;
    return data.map((d) => {
      const id = idOf(d);
      return id !== undefined ? { id, created: false } : { id: made[next++].id, created: true };
    });
  });
}

/**
 * Rebuilds a dataset's PairCount rows from the pairs themselves (a repair tool: the write paths
 * keep the counts right, this is for data changed behind their back). Returns the counts.
 */
export async function recountPairs(db: Db, datasetId: number): Promise<Record<PairStatus, number>> {
  return db.$transaction(async (tx) => {
    const rows = await tx.pair.groupBy({ by: ["status"], where: { datasetId }, _count: { _all: true } });
    const counts = Object.fromEntries(PAIR_STATUSES.map((s) => [s, 0])) as Record<PairStatus, number>;
    for (const row of rows) if (row.status in counts) counts[row.status as PairStatus] = row._count._all;
    await tx.pairCount.deleteMany({ where: { datasetId } });
    await tx.pairCount.createMany({ data: PAIR_STATUSES.map((status) => ({ datasetId, status, count: counts[status] })) });
    return counts;
  }, { timeout: 120_000 });
}

/** Pairs per status from the counters (no COUNT over the pairs). */
export async function pairCounts(db: DbOrTx, datasetId: number): Promise<Record<PairStatus, number> & { total: number }> {
  const rows = await db.pairCount.findMany({ where: { datasetId } });
  const counts = { total: 0, pending: 0, accepted: 0, rejected: 0, edited: 0 };
  for (const row of rows) {
    if (row.status in counts && row.status !== "total") {
      counts[row.status as PairStatus] = row.count;
      counts.total += row.count;
    }
  }
  return counts;
}
