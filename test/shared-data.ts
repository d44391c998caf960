import { existsSync } from "node:fs";
import path from "node:path";
import { describe } from "vitest";

/** `../shared/data` beside the repository (or SHARED_DATA_DIR). */
export const SHARED_DATA_DIR = process.env.SHARED_DATA_DIR ?? path.resolve(__dirname, "../../shared/data");

/**
 * Conformance suites read the public reference data in ../shared/data. Without it they skip
 * with a message — except under CI=true, where a missing folder is a failure.
 */
export function describeWithSharedData(name: string, fn: () => void): void {
  const present = existsSync(SHARED_DATA_DIR);
  if (!present && process.env.CI === "true") {
    throw new Error(`${name}: shared data folder ${SHARED_DATA_DIR} is missing (required under CI=true)`);
  }
  if (!present) console.warn(`skipping "${name}": shared data folder ${SHARED_DATA_DIR} is missing`);
  describe.skipIf(!present)(name, fn);
}

export function sharedDataPath(...parts: string[]): string {
  return path.join(SHARED_DATA_DIR, ...parts);
}
