import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { getDataset } from "../../datasets/index.ts";
import { DomainError } from "../../errors.ts";
import { cancelJob, enqueueJob } from "../../jobs/commands.ts";
import { EXPORT_FORMATS } from "./formats.ts";
import { createExport, type ExportRequest, parseExportFilters, parseExportFormat } from "./export.ts";
import { countPairs, exportFiltersSchema } from "./select.ts";

/**
 * Exports of more than ECD_EXPORT_BACKGROUND_OVER pairs (default 100,000) run as a background job
 * on the one job engine (kind `export`, lib/jobs/export.ts): the same bundle code (writeBundle),
 * progress as pairs read / matched, shown on the export page; the Export row is written in the
 * task's completing transaction, so a crashed worker never leaves an export listed as done.
 */
export const EXPORT_JOB = "export";

export const DEFAULT_BACKGROUND_OVER = 100_000;

const thresholdSchema = z.coerce
  .number({ error: "ECD_EXPORT_BACKGROUND_OVER must be a whole number of pairs" })
  .int("ECD_EXPORT_BACKGROUND_OVER must be a whole number of pairs")
  .min(0, "ECD_EXPORT_BACKGROUND_OVER must be 0 or more");

/** Exports of more pairs than this run in the background (ECD_EXPORT_BACKGROUND_OVER). */
export function backgroundExportThreshold(env: Record<string, string | undefined> = process.env): number {
  const raw = env.ECD_EXPORT_BACKGROUND_OVER;
  if (raw === undefined || raw.trim() === "") return DEFAULT_BACKGROUND_OVER;
  const parsed = thresholdSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${parsed.error.issues[0]!.message} (got "${raw}")`);
  return parsed.data;
}

/** A background export task's payload: what createExport would have been asked, and the pairs matched when it started. */
export const exportTaskPayloadSchema = z.object({
  datasetId: z.number().int().positive(),
  format: z.enum(EXPORT_FORMATS),
  filters: exportFiltersSchema,
  actorId: z.number().int().positive().nullable(),
  total: z.number().int().min(0),
  /** Pairs read per query (tests use small pages). */
  batchSize: z.number().int().positive().optional(),
});
export type ExportTaskPayload = z.output<typeof exportTaskPayloadSchema>;

/** A background export task's progress (Task.progress). */
export type ExportTaskProgress = { read: number; written: number; total: number };

export type StartedExport = { kind: "stored"; exportId: number } | { kind: "background"; jobId: number; total: number };

/**
 * Starts an export: written at once (createExport) when it matches at most the threshold of pairs,
 * else queued as a background job whose progress the export page shows.
 */
export async function startExport(
  db: Db,
  request: Omit<ExportRequest, "fileName">,
  threshold = backgroundExportThreshold(),
): Promise<StartedExport> {
  const format = parseExportFormat(request.format);
  const filters = parseExportFilters(request.filters ?? {});
  const dataset = await getDataset(db, request.datasetId);
  const total = await countPairs(db, dataset.id, filters);
  if (total <= threshold) {
    const { exportId } = await createExport(db, { ...request, format, filters });
    return { kind: "stored", exportId };
  }
  const payload: ExportTaskPayload = {
    datasetId: dataset.id,
    format,
    filters,
    actorId: request.actorId ?? null,
    total,
    ...(request.batchSize ? { batchSize: request.batchSize } : {}),
  };
  const job = await enqueueJob(
    db,
    {
      kind: EXPORT_JOB,
      datasetId: dataset.id,
      params: { concurrency: 1, format, filters, total },
      maxAttempts: 3,
      createdById: request.actorId ?? null,
      audit: { format, pairs: total },
    },
    [{ kind: EXPORT_JOB, payload }],
  );
  return { kind: "background", jobId: job.id, total };
}

export type ExportJobItem = {
  jobId: number;
  /** queued | running | failed | cancelled (a succeeded job is listed as its Export). */
  status: string;
  format: string;
  read: number;
  written: number;
  total: number;
  /** Why it failed, in the task's words. */
  error: string | null;
  createdAt: Date;
  createdBy: string | null;
};

/** A dataset's background exports that have not (yet) made an export, newest first. */
export async function listExportJobs(db: Db, datasetId: number, take = 20): Promise<ExportJobItem[]> {
  const jobs = await db.job.findMany({
    where: { datasetId, kind: EXPORT_JOB, status: { not: "succeeded" } },
    orderBy: { id: "desc" },
    take,
    select: {
      id: true,
      status: true,
      params: true,
      error: true,
      createdAt: true,
      createdBy: { select: { email: true } },
      tasks: { take: 1, orderBy: { id: "asc" }, select: { progress: true, error: true, status: true } },
    },
  });
  return jobs.map((job) => {
    const params = (job.params ?? {}) as { format?: string; total?: number };
    const task = job.tasks[0];
    const progress = (task?.progress ?? {}) as Partial<ExportTaskProgress>;
    return {
      jobId: job.id,
      status: job.status,
      format: params.format ?? "",
      read: progress.read ?? 0,
      written: progress.written ?? 0,
      total: progress.total ?? params.total ?? 0,
      error: job.status === "failed" || job.status === "cancelled" ? (task?.error ?? job.error) : null,
      createdAt: job.createdAt,
      createdBy: job.createdBy?.email ?? null,
    };
  });
}

/** Cancels a background export of this dataset (its bundle folder is removed by the task as it stops). */
export async function cancelExport(db: Db, datasetId: number, jobId: number, actorId: number | null) {
  const job = await db.job.findFirst({ where: { id: jobId, datasetId, kind: EXPORT_JOB }, select: { id: true } });
  if (!job) throw new DomainError(`Export job ${jobId} does not exist`, "not_found", "jobId");
  return cancelJob(db, job.id, actorId);
}
