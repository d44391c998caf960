import { type DatasetViewer, OPERATOR } from "../auth/dataset-access.ts";
import { hasScope, type Scope } from "../auth/roles.ts";

/**
 * The shape every `ecd` sub-command implements. `main.ts` dispatches on the first argument;
 * a command parses the rest itself (zod), prints to stdout, and throws `CliError` for bad input
 * so `main.ts` can print one line and exit non-zero.
 */
export interface CliCommand {
  name: string;
  /** One line shown in `ecd help`. */
  summary: string;
  /** Usage text shown in `ecd help NAME` and after a usage error. */
  usage: string;
  run(args: string[], io: CliIO): Promise<number | void>;
}

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (used for passwords). */
  readStdin: () => Promise<string>;
  /** `--as EMAIL`: that user's role and memberships; absent: the operator, with full rights. */
  viewer?: DatasetViewer;
}

/** Who the command acts as (lib/auth/dataset-access.ts). */
export function viewerOf(io: CliIO): DatasetViewer {
  return io.viewer ?? OPERATOR;
}

/** With `--as`, the user's role must grant `scope` (the same scopes as the web app's). */
export function requireCliScope(io: CliIO, scope: Scope): void {
  const viewer = viewerOf(io);
  if (viewer !== OPERATOR && !hasScope(viewer.role, scope))
    throw new CliError(`--as: the ${viewer.role} role may not do this (needs ${scope})`, 1);
}

/** An expected failure: bad input or a missing thing. Printed as one line, exit code 2 by default. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}
