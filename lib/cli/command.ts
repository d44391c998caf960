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
