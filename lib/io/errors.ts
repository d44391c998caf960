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

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
