import { type ExportTaskProgress, exportTaskPayloadSchema } from "../io/export/background.ts";
import { recordExport, writeBundle } from "../io/export/export.ts";
import { jobFolder } from "./export-folders.ts";
import { saveTaskProgress } from "./commands.ts";
import type { TaskHandler } from "./handlers.ts";
import { PermanentTaskError } from "./worker.ts";

/** How often a running export stores its progress (the export page refreshes every second). */
const PROGRESS_EVERY_MS = 500;

/**
 * Pause between pages of a background export (ECD_EXPORT_PAUSE_MS, default 0): lets the e2e spec
 * watch the progress bar of a small export, and a small machine give the database to others.
 */
function pauseMs(): number {
  const value = Number(process.env.ECD_EXPORT_PAUSE_MS ?? 0);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * The `export` handler (lib/io/export/background.ts starts these jobs): writes the bundle with
 * writeBundle, the code the synchronous export runs, into a folder named after the job — removed
 * first, so a retried task (its worker killed mid-export) rewrites the files from scratch — and
 * records the Export row in the completing transaction, so an export is listed as done only once
 * every file is written. Progress: pairs read / matched when the job started.
 */
export const exportHandler: TaskHandler = async (db, task, context) => {
  const parsed = exportTaskPayloadSchema.safeParse(task.payload);
  if (!parsed.success) throw new PermanentTaskError(`export task ${task.id} has a bad payload`);
  const { total, ...request } = parsed.data;
  const pause = pauseMs();
  let savedAt = 0;
  const bundle = await writeBundle(db, request, {
    dirName: jobFolder(task.jobId),
    replace: true,
    signal: context.signal,
    onProgress: async ({ read, written }) => {
      if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
      if (Date.now() - savedAt < PROGRESS_EVERY_MS) return;
      savedAt = Date.now();
      const progress: ExportTaskProgress = { read, written, total };
      await saveTaskProgress(db, { taskId: task.id, owner: context.owner, progress });
    },
  });
  const counts = bundle.manifest.counts;
  return {
    progress: { read: total, written: counts.lines, total } satisfies ExportTaskProgress,
    write: async (tx) => {
      await recordExport(tx, bundle);
    },
  };
};
