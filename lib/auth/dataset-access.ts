import type { DbOrTx } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { DomainError } from "../errors.ts";
import { hasScope } from "./roles.ts";

/**
 * Who may see which dataset — THE rule, for every page, action, route, list, queue, export and
 * CLI command: a dataset being deleted is seen by nobody; researchers and admins (`datasets:all`)
 * see every other dataset; an annotator only the datasets they are a member of. A dataset one may
 * not see answers exactly as a missing one does ("does not exist", 404), so existence does not leak.
 * Read from the database on every call: a new member gains access on their next request, a removed
 * one loses it on theirs.
 */

/** A signed-in user, or the CLI operator (no `--as`): full rights, as the shell always had. */
export type DatasetViewer = { id: number; role: string } | typeof OPERATOR;
export const OPERATOR = "operator" as const;

/** The Prisma filter for the datasets `viewer` may see (lists). */
export function visibleDatasetsWhere(viewer: DatasetViewer): Prisma.DatasetWhereInput {
  if (viewer === OPERATOR || hasScope(viewer.role, "datasets:all")) return { deletedAt: null };
  return { deletedAt: null, members: { some: { userId: viewer.id } } };
}

export async function canAccessDataset(db: DbOrTx, viewer: DatasetViewer, datasetId: number): Promise<boolean> {
  const found = await db.dataset.findFirst({
    where: { id: datasetId, ...visibleDatasetsWhere(viewer) },
    select: { id: true },
  });
  return found !== null;
}

/** The message of a dataset one may not see, the same as for a missing one. */
export function datasetNotFound(datasetId: number): DomainError {
  return new DomainError(`Dataset ${datasetId} does not exist`, "not_found");
}

/** Throws "Dataset N does not exist" (not_found) unless `viewer` may see the dataset. */
export async function assertDatasetAccess(db: DbOrTx, viewer: DatasetViewer, datasetId: number): Promise<void> {
  if (!(await canAccessDataset(db, viewer, datasetId))) throw datasetNotFound(datasetId);
}

/** The dataset a job belongs to (null: none, or no such job): a job is seen by whoever sees its dataset. */
export async function jobDatasetId(db: DbOrTx, jobId: number): Promise<number | null> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { datasetId: true } });
  return job?.datasetId ?? null;
}

/**
 * Whether `viewer` may see the job: jobs of no dataset are seen by everyone the page's scope admits;
 * researchers and admins see every job, also the deletion job of a dataset being deleted. A job
 * that does not exist is seen by no one, so the job page's layout answers its 404 before the
 * loading skeleton streams (it was a 200 for a missing job).
 */
export async function canAccessJob(db: DbOrTx, viewer: DatasetViewer, jobId: number): Promise<boolean> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { datasetId: true } });
  if (!job) return false;
  if (viewer === OPERATOR || hasScope(viewer.role, "datasets:all")) return true;
  return job.datasetId === null || canAccessDataset(db, viewer, job.datasetId);
}
