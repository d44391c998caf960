/**
 * An expected failure whose message is written for the person who caused it (bad input, a
 * missing thing, a conflict). Actions, routes and the CLI show its message as is; any other
 * error is logged and replaced by a generic message with a reference.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: "invalid" | "not_found" | "conflict" | "forbidden" = "invalid",
    /** The input field the message is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Formats a zod error as "field: message; field: message". */
export function describeZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
