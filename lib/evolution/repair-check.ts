/**
 * The check every response made by a rule-based repair passes before it becomes a chosen
 * response: nothing of its source lost, nothing glued on (lib/constraints `repairDamage`).
 * A candidate that fails is dropped with code `content_lost` or `fragment_inserted` (drop-reasons.ts).
 */
import { repairDamage, requiredTexts, type ConstraintSpec } from "../constraints/index";
import type { Drop } from "./drop-reasons";
import type { Constraint } from "./types";

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
 * (a word of 4+ letters lost: `content_lost`; a fragment inserted: `fragment_inserted`), or null.
 */
export function repairProblem(source: string, repaired: string, constraints: readonly Constraint[]): Drop | null {
  const { lost, fragments } = repairDamage(source, repaired, requiredTextsOf(constraints));
  if (lost.length > 0) return { code: "content_lost", detail: `the repair drops ${list(lost, true)}` };
  if (fragments.length > 0) return { code: "fragment_inserted", detail: list(fragments, false) };
  return null;
}
