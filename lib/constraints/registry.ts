/**
 * The constraint registry: for every id, everything lib/constraints knows about it — kwargs
 * schema, check, instruction text, conflicts, and the rule-based repair when there is one.
 * Assembled from checks/, describe.ts, conflicts.ts and repair/.
 */
import type { z } from "zod";
import { CHECKS } from "./checks/index";
import { CONFLICTS } from "./conflicts";
import { describeConstraint, renderConstraint, TEXTS } from "./describe";
import { CONSTRAINT_IDS, type ConstraintId, type Kwargs } from "./ids";
import { FIXERS, repair, type RepairOptions } from "./repair/index";
import type { RepairResult } from "./repair/types";
import type { Rng } from "./rng";

export interface ConstraintDefinition {
  id: ConstraintId;
  /** The part of the id before ":" (IFEval's instruction group). */
  group: string;
  /** zod schema of the kwargs (IFEval's argument names). */
  kwargsSchema: z.ZodType;
  /** The raw check on a text with parsed kwargs (no blank-response rule: see followsStrict). */
  check(text: string, kwargs: unknown): boolean;
  /** IFEval's instruction sentence, in our words. */
  describe(kwargs: Kwargs): string;
  /** Paraphrase templates with `<argname>` slots. */
  templates: readonly string[];
  /** One random template with its slots filled. */
  render(kwargs: Kwargs, rng: Rng): string;
  /** Ids that may not share a prompt with this one (itself included). */
  conflicts: readonly ConstraintId[];
  /** Rule-based repair (re-checked; never a false success). Absent when no rule can do it. */
  repair?: (response: string, kwargs: Kwargs, options?: RepairOptions) => RepairResult;
}

function definition(id: ConstraintId): ConstraintDefinition {
  const check = CHECKS[id];
  const def: ConstraintDefinition = {
    id,
    group: id.slice(0, id.indexOf(":")),
    kwargsSchema: check.kwargsSchema,
    check: (text, kwargs) => check.check(text, kwargs),
    describe: (kwargs) => describeConstraint(id, kwargs),
    templates: TEXTS[id].templates,
    render: (kwargs, rng) => renderConstraint(id, kwargs, rng),
    conflicts: CONFLICTS[id],
  };
  if (FIXERS[id]) def.repair = (response, kwargs, options) => repair(id, response, kwargs, options);
  return def;
}

export const REGISTRY: { readonly [I in ConstraintId]: ConstraintDefinition } = Object.fromEntries(
  CONSTRAINT_IDS.map((id) => [id, definition(id)]),
) as unknown as { [I in ConstraintId]: ConstraintDefinition };
