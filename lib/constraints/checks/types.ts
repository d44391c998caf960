import type { z } from "zod";
import type { ConstraintId } from "../ids";

/** One IFEval instruction: how its kwargs look and how a text is checked against them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface CheckDefinition<K = any> {
  id: ConstraintId;
  /** zod schema of the kwargs, with IFEval's argument names; rejects values the reference rejects. */
  kwargsSchema: z.ZodType<K>;
  /** The raw check on a given text (no blank-response rule: that is the evaluator's job). */
  check(text: string, kwargs: K): boolean;
}
