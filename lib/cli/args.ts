import { parseArgs } from "node:util";
import { z } from "zod";
import { describeZodIssues } from "../errors.ts";
import { CliError } from "./command.ts";

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/**
 * Parses `--flag value` arguments strictly (unknown flags are errors) and validates them with a
 * zod schema, so a bad flag comes back as one line naming it.
 */
export function parseCommandArgs<S extends z.ZodType>(
  args: string[],
  spec: OptionSpec,
  schema: S,
  positionalNames: string[] = [],
): z.output<S> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec, strict: true, allowPositionals: true });
  } catch (error) {
    // Node appends advice on further lines ("To specify…", "Did you forget…"): keep the first sentence.
    throw new CliError((error as Error).message.replace(/\.?\s*(Did you forget|To specify).*$/s, ""));
  }
  const { values, positionals } = parsed;
  if (positionals.length > positionalNames.length) {
    throw new CliError(`unexpected argument "${positionals[positionalNames.length]}"`);
  }
  const input: Record<string, unknown> = { ...values };
  positionalNames.forEach((name, i) => {
    if (positionals[i] !== undefined) input[name] = positionals[i];
  });
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      ...issue,
      path: issue.path.map((p) => (positionalNames.includes(String(p)) ? String(p).toUpperCase() : `--${String(p)}`)),
    }));
    throw new CliError(describeZodIssues(issues));
  }
  return result.data;
}
