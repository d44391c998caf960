import { z } from "zod";
import { PyRegexError, pyRegex, type PyRegexFlags } from "../python";

/** IFEval's two comparison relations: "less than" ⇒ actual < N, "at least" ⇒ actual ≥ N. */
export const relationSchema = z.enum(["less than", "at least"], { error: `must be "less than" or "at least"` });
export type Relation = z.infer<typeof relationSchema>;

export function compare(actual: number, relation: Relation, threshold: number): boolean {
  return relation === "less than" ? actual < threshold : actual >= threshold;
}

/** A non-negative integer count or threshold (the data's numbers are all JSON integers). */
export const countSchema = z.number().int().nonnegative();

/**
 * A user-supplied string that the reference hands to `re` unescaped. It must compile as a Python
 * regular expression (or Python would raise `re.error` at check time); `wrap` builds the full
 * pattern the check compiles.
 */
export function regexStringSchema(wrap: (s: string) => string, flags: PyRegexFlags) {
  return z.string().superRefine((value, ctx) => {
    try {
      pyRegex(wrap(value), flags);
    } catch (err) {
      if (!(err instanceof PyRegexError)) throw err;
      ctx.addIssue({ code: "custom", message: `not a valid regular expression (${err.message})` });
    }
  });
}
