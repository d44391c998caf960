import { z } from "zod";
import { recordAudit } from "../audit.ts";
import type { Db } from "../db/client.ts";
import { DomainError } from "../errors.ts";
import { cancelJob, enqueueJob, type StartedJob } from "../jobs/commands.ts";
import type { TaskHandler } from "../jobs/handlers.ts";
import { PermanentTaskError } from "../jobs/worker.ts";
import { getDataset } from "./index.ts";
import { deleteExportBundles } from "../io/export/export.ts";

/**
 * Deleting a dataset. `requestDatasetDeletion` marks it deleted (from that moment it is in no list
 * and no page: lib/auth/dataset-access.ts and getDataset filter on `deletedAt`), frees its name, and
 * starts a `dataset-delete` job. The job's one task removes the rows in batches of short
 * transactions, so other requests keep answering while it runs, and the Dataset row last. The job
 * outlives the dataset (Job.datasetId is set to null by the database). Evaluation runs do not
 * belong to a dataset and keep their results; the demo, once deleted, is not recreated (demo.ts
 * checks for its `demo.create` audit event).
 */

export const DATASET_DELETE = "dataset-delete";

/** Rows per batch: small enough that a batch is a few milliseconds, so requests interleave. */
export const DELETE_BATCH = 2000;

export async function requestDatasetDeletion(
  db: Db,
  datasetId: number,
  confirmName: string,
  actorId: number | null,
): Promise<StartedJob> {
  const dataset = await getDataset(db, datasetId);
  if (confirmName.trim() !== dataset.name)
    throw new DomainError(`confirm: type the dataset's name "${dataset.name}" to delete it`, "invalid", "confirm");
  await db.$transaction(async (tx) => {
    const marked = await tx.dataset.updateMany({
      where: { id: datasetId, deletedAt: null },
      // The name is free again at once; the row keeps its old name readable until it goes.
      data: { deletedAt: new Date(), name: `deleted #${datasetId}: ${dataset.name}` },
    });
    if (marked.count !== 1) throw new DomainError(`Dataset ${datasetId} does not exist`, "not_found");
    await recordAudit(tx, {
      userId: actorId,
      action: "dataset.delete",
      entityType: "dataset",
      entityId: datasetId,
      data: { name: dataset.name },
    });
  });
  // Its running jobs stop (their leftovers go with the dataset row at the end).
  const running = await db.job.findMany({
    where: { datasetId, status: { in: ["queued", "running"] } },
    select: { id: true },
  });
  for (const job of running)
    await cancelJob(db, job.id, actorId).catch((error: unknown) => {
      if (!(error instanceof DomainError)) throw error; // finished meanwhile
    });
  try {
    return await enqueueJob(
      db,
      {
        kind: DATASET_DELETE,
        datasetId,
        params: { concurrency: 1, name: dataset.name },
        maxAttempts: 5,
        createdById: actorId,
      },
      [{ kind: DATASET_DELETE, payload: { datasetId } }],
    );
  } catch (error) {
    // No job, no deletion: the dataset comes back as it was.
    await db.dataset.update({ where: { id: datasetId }, data: { deletedAt: null, name: dataset.name } });
    throw error;
  }
}

const payloadSchema = z.object({ datasetId: z.number().int().positive() });

type Counted = { count: number };
type RangeTable = {
  name: string;
  /** The id range of the dataset's rows in this table. */
  range: (db: Db, datasetId: number) => Promise<{ min: number | null; max: number | null }>;
  /** Deletes the dataset's rows with ids in [from, to). */
  remove: (db: Db, datasetId: number, from: number, to: number) => Promise<Counted>;
};

const ids = (from: number, to: number) => ({ gte: from, lt: to });

/**
 * Children before parents, each table in id-range batches. Reviews go with their pairs (a cascade
 * of at most a few rows per pair), tasks with their jobs, LLM calls keep their rows (jobId set null).
 */
const TABLES: RangeTable[] = [
  {
    name: "pairs",
    range: async (db, datasetId) =>
      rangeOf(await db.pair.aggregate({ where: { datasetId }, _min: { id: true }, _max: { id: true } })),
    remove: (db, datasetId, from, to) => db.pair.deleteMany({ where: { datasetId, id: ids(from, to) } }),
  },
  {
    name: "responses",
    range: async (db, datasetId) =>
      rangeOf(await db.response.aggregate({ where: { node: { datasetId } }, _min: { id: true }, _max: { id: true } })),
    remove: (db, datasetId, from, to) => db.response.deleteMany({ where: { node: { datasetId }, id: ids(from, to) } }),
  },
  {
    // Deepest first, so a batch never cascades into a subtree.
    name: "nodes",
    range: async (db, datasetId) =>
      rangeOf(await db.node.aggregate({ where: { datasetId }, _min: { id: true }, _max: { id: true } })),
    remove: async (db, datasetId, from, to) => {
      let count = 0;
      const depth = await db.node.aggregate({ where: { datasetId, id: ids(from, to) }, _max: { depth: true } });
      for (let d = depth._max.depth ?? -1; d >= 0; d--)
        count += (await db.node.deleteMany({ where: { datasetId, depth: d, id: ids(from, to) } })).count;
      return { count };
    },
  },
  {
    name: "tasks",
    range: async (db, datasetId) =>
      rangeOf(
        await db.task.aggregate({
          where: { job: { datasetId, kind: { not: DATASET_DELETE } } },
          _min: { id: true },
          _max: { id: true },
        }),
      ),
    remove: (db, datasetId, from, to) =>
      db.task.deleteMany({ where: { job: { datasetId, kind: { not: DATASET_DELETE } }, id: ids(from, to) } }),
  },
  {
    name: "seeds",
    range: async (db, datasetId) =>
      rangeOf(await db.seed.aggregate({ where: { datasetId }, _min: { id: true }, _max: { id: true } })),
    remove: (db, datasetId, from, to) => db.seed.deleteMany({ where: { datasetId, id: ids(from, to) } }),
  },
  {
    name: "exports",
    range: async (db, datasetId) =>
      rangeOf(await db.export.aggregate({ where: { datasetId }, _min: { id: true }, _max: { id: true } })),
    // The stored bundle folders go with the rows.
    remove: (db, datasetId, from, to) => deleteExportBundles(db, datasetId, from, to),
  },
];

function rangeOf(aggregate: { _min: { id: number | null }; _max: { id: number | null } }) {
  return { min: aggregate._min.id, max: aggregate._max.id };
}

/** Removes every row of a dataset marked deleted, in batches; returns how many rows per table. */
export async function purgeDataset(
  db: Db,
  datasetId: number,
  options: { batch?: number; signal?: AbortSignal; onBatch?: (table: string, removed: number) => void } = {},
): Promise<Record<string, number>> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { deletedAt: true } });
  if (!dataset) return {};
  if (!dataset.deletedAt) throw new PermanentTaskError(`dataset ${datasetId} is not marked deleted`);
  const batch = options.batch ?? DELETE_BATCH;
  const removed: Record<string, number> = {};
  for (const table of TABLES) {
    const { min, max } = await table.range(db, datasetId);
    removed[table.name] = 0;
    if (min === null || max === null) continue;
    for (let from = min; from <= max; from += batch) {
      options.signal?.throwIfAborted();
      const { count } = await table.remove(db, datasetId, from, from + batch);
      removed[table.name] += count;
      options.onBatch?.(table.name, count);
      // Let waiting requests run between batches (the SQLite driver is synchronous).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return removed;
}

/** The `dataset-delete` task: batches first, then (in the completing transaction) the small rest and the row. */
export const datasetDeleteHandler: TaskHandler = async (db, task, context) => {
  const payload = payloadSchema.safeParse(task.payload);
  if (!payload.success) throw new PermanentTaskError(`dataset-delete task ${task.id} has no dataset id`);
  const { datasetId } = payload.data;
  const removed = await purgeDataset(db, datasetId, { signal: context.signal });
  return {
    progress: removed,
    write: async (tx) => {
      // Generation and other jobs of the dataset (their tasks are gone); this job stays (SetNull).
      await tx.job.deleteMany({ where: { datasetId, kind: { not: DATASET_DELETE } } });
      await tx.dataset.deleteMany({ where: { id: datasetId, deletedAt: { not: null } } });
    },
  };
};
