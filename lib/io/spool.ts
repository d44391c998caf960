import { readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * An import spools validated records to a temporary folder named after its process
 * (`ecd-import-<pid>-XXXXXX`). A process that dies mid-import leaves it behind; the next start
 * removes the folders of processes that no longer run.
 */
const PREFIX = "ecd-import-";

/** The mkdtemp prefix for this process's spool folders. */
export function spoolDirPrefix(tmp = os.tmpdir()): string {
  return path.join(tmp, `${PREFIX}${process.pid}-`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, owned by someone else
  }
}

/** Removes spool folders left by processes that are gone; returns their paths. */
export async function removeOrphanSpools(tmp = os.tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(tmp).catch(() => [] as string[])) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!match || isRunning(Number(match[1]))) continue;
    const dir = path.join(tmp, name);
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
