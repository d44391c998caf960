/**
 * The check every response made by a rule-based repair passes before it becomes a chosen
 * response: nothing of its source lost, nothing glued on (lib/constraints `repairDamage`).
 * A candidate that fails is dropped with a reason that starts with a stable code.
 */
import { repairDamage, requiredTexts, type ConstraintSpec } from "../constraints/index";
import type { Constraint } from "./types";

/** Drop-reason code: the repair lost a word of 4+ letters of its source. */
export const CONTENT_LOST = "content_lost";
/** Drop-reason code: the repair inserted a fragment (not a sentence or a formatting element). */
export const FRAGMENT_INSERTED = "fragment_inserted";

const MAX_LISTED = 5;

function list(items: readonly string[], quote: boolean): string {
  const shown = items.slice(0, MAX_LISTED).map((i) => (quote ? JSON.stringify(i) : i));
  return shown.join(", ") + (items.length > MAX_LISTED ? ` and ${items.length - MAX_LISTED} more` : "");
}

/** The text the node's constraints require verbatim (an end phrase, the repeated request). */
export function requiredTextsOf(constraints: readonly Constraint[]): string[] {
  const specs: ConstraintSpec[] = constraints.flatMap((c) => (c.kind === "verifiable" ? [c] : []));
  return requiredTexts(specs);
}

/**
 * Why a repair of `source` into `repaired`, for a node with `constraints`, may not be used
 * ("content_lost: …" / "fragment_inserted: …"), or null.
 */
export function repairProblem(source: string, repaired: string, constraints: readonly Constraint[]): string | null {
  const { lost, fragments } = repairDamage(source, repaired, requiredTextsOf(constraints));
  if (lost.length > 0) return `${CONTENT_LOST}: the repair drops ${list(lost, true)}`;
  if (fragments.length > 0) return `${FRAGMENT_INSERTED}: ${list(fragments, false)}`;
  return null;
}
