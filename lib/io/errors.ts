import { DomainError } from "../errors.ts";

/**
 * A problem with an import file. `line` is the 1-based physical line it is about (for a record
 * spanning several lines, the line it starts on). The message always starts with "line N: "
 * when there is a line, so every surface (CLI, upload page, tests) shows it the same way.
 */
export class ImportError extends DomainError {
  constructor(
    readonly reason: string,
    readonly line?: number,
  ) {
    super(line === undefined ? reason : `line ${line}: ${reason}`, "invalid", "file");
    this.name = "ImportError";
  }
}

/** A problem with one record: skippable with `onError: "skip"`, fatal otherwise. */
export type RecordIssue = { line: number; reason: string };

// Defined in lib/format.ts; re-exported for lib/io's callers.
export { formatBytes } from "../format.ts";
