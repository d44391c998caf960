import { readdir, rm } from "node:fs/promises";
import type { Db } from "../db/client.ts";
import { EXPORT_JOB } from "../io/export/background.ts";
import { bundlePath, exportRoot } from "../io/export/store.ts";

/** The folder a background export job writes its bundle into, under ECD_EXPORT_DIR. */
export function jobFolder(jobId: number): string {
  return `export-job-${jobId}`;
}

/**
 * Removes the folders of background exports that ended without an Export row, and returns how
 * many. A worker killed outright (SIGKILL) on the task's last attempt leaves its half-written
 * folder, and the engine then fails the task without running it again, so nothing else would
 * remove it. Only `export-job-<id>` folders whose job has failed or was cancelled, and that no
 * Export row names, are removed: a running, queued or retried job keeps its folder. The worker's
 * periodic sweep calls this.
 */
export async function removeAbandonedExportFolders(db: Db): Promise<number> {
  let names: string[];
  try {
    names = await readdir(exportRoot());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  const ids = names.flatMap((name) => {
    const match = /^export-job-(\d+)$/.exec(name);
    return match ? [Number(match[1])] : [];
  });
  if (ids.length === 0) return 0;
  const ended = await db.job.findMany({
    where: { id: { in: ids }, kind: EXPORT_JOB, status: { in: ["failed", "cancelled"] } },
    select: { id: true },
  });
  const folders = ended.map((job) => jobFolder(job.id));
  const recorded = new Set(
    (await db.export.findMany({ where: { dir: { in: folders } }, select: { dir: true } })).map((row) => row.dir),
  );
  let removed = 0;
  for (const folder of folders) {
    if (recorded.has(folder)) continue;
    await rm(bundlePath(folder), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
