import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A file of the shared reference data (`../shared/data` beside the repository, or
 * SHARED_DATA_DIR); exits with a one-line reason when it is missing, naming the bench.
 */
export function sharedDataFile(bench: string, ...parts: string[]): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dataDir = process.env.SHARED_DATA_DIR ?? path.resolve(here, "../../shared/data");
  const file = path.join(dataDir, ...parts);
  if (!existsSync(file)) {
    process.stderr.write(`bench/${bench}: ${file} not found (set SHARED_DATA_DIR to the shared data folder)\n`);
    process.exit(1);
  }
  return file;
}
