import { parseArgs } from "node:util";
import { z } from "zod";
import { describeZodIssues } from "../errors.ts";
import { CliError } from "./command.ts";

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/**
 * `--slots -1` is `--slots=-1`: node's parser would call it ambiguous; the value is then
 * refused by the flag's schema with a plain message.
 */
function joinNegativeValues(args: string[], spec: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : undefined;
    if (name && spec[name]?.type === "string" && /^-[\d.]/.test(args[i + 1] ?? "")) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

/**
 * A numeric flag: plain decimal only (no 1e9, 0x10 or Infinity), within [min, max], whole unless
 * `fraction`. Every numeric flag has an upper bound, so a typo cannot ask for a billion slots.
 */
export function numberFlag(min: number, max: number, { fraction = false } = {}) {
  const show = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 6 });
  const what = `${fraction ? "a number" : "a whole number"} from ${show(min)} to ${show(max)}`;
  return z.string().transform((raw, ctx) => {
    const value = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(raw) ? Number(raw) : NaN;
    if (Number.isNaN(value) || (!fraction && !Number.isInteger(value)) || value < min || value > max) {
      const negative = value < 0 ? "; negative numbers are not allowed" : "";
      ctx.addIssue({ code: "custom", message: `must be ${what} (got "${raw}")${negative}` });
      return z.NEVER;
    }
    return value;
  });
}

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
    parsed = parseArgs({ args: joinNegativeValues(args, spec), strict: true, options: spec, allowPositionals: true });
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
