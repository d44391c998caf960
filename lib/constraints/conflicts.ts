/**
 * Which constraints may not be combined in one prompt: FollowComplexInstruction's effective
 * table, made symmetric (spec §8.3). Every id conflicts with itself (no duplicates in a prompt).
 *
 * This is the table composition uses; it deliberately differs from IFEval's own table in three
 * places (multiple_sections × number_paragraphs conflict; json_format is compatible with
 * frequency; two_responses is compatible with quotation).
 */
import { CONSTRAINT_IDS, type ConstraintId } from "./ids";

/** Ids that combine with nothing but the listed ones. */
const COMPATIBLE_ONLY_WITH: Partial<Record<ConstraintId, readonly ConstraintId[]>> = {
  "detectable_format:constrained_response": [],
  "detectable_format:json_format": ["keywords:existence", "keywords:frequency", "keywords:forbidden_words"],
  "combination:two_responses": [
    "keywords:existence",
    "keywords:forbidden_words",
    "language:response_language",
    "detectable_format:title",
    "punctuation:no_comma",
    "startend:quotation",
  ],
  "combination:repeat_prompt": ["keywords:existence", "detectable_format:title", "punctuation:no_comma"],
};

/** Further pairwise exclusions (each applies in both directions). */
const EXCLUDED: Partial<Record<ConstraintId, readonly ConstraintId[]>> = {
  "language:response_language": [
    "keywords:existence",
    "keywords:frequency",
    "keywords:forbidden_words",
    "detectable_format:multiple_sections",
    "startend:end_checker",
    "change_case:english_capital",
    "change_case:english_lowercase",
  ],
  "length_constraints:number_paragraphs": [
    "length_constraints:number_sentences",
    "length_constraints:nth_paragraph_first_word",
    "detectable_format:multiple_sections",
  ],
  "detectable_format:multiple_sections": ["detectable_format:number_highlighted_sections"],
  "change_case:capital_word_frequency": ["change_case:english_capital", "change_case:english_lowercase"],
  "change_case:english_capital": ["change_case:english_lowercase"],
  "detectable_format:title": ["startend:quotation"],
};

function buildTable(): Map<ConstraintId, Set<ConstraintId>> {
  const table = new Map<ConstraintId, Set<ConstraintId>>(CONSTRAINT_IDS.map((id) => [id, new Set([id])]));
  const add = (a: ConstraintId, b: ConstraintId) => {
    table.get(a)!.add(b);
    table.get(b)!.add(a);
  };
  for (const [id, allowed] of Object.entries(COMPATIBLE_ONLY_WITH) as [ConstraintId, readonly ConstraintId[]][]) {
    for (const other of CONSTRAINT_IDS) if (other !== id && !allowed.includes(other)) add(id, other);
  }
  for (const [id, excluded] of Object.entries(EXCLUDED) as [ConstraintId, readonly ConstraintId[]][]) {
    for (const other of excluded) add(id, other);
  }
  return table;
}

const TABLE = buildTable();

/** The ids that conflict with `id`, itself included, in CONSTRAINT_IDS order. */
export const CONFLICTS: { readonly [I in ConstraintId]: readonly ConstraintId[] } = Object.fromEntries(
  CONSTRAINT_IDS.map((id) => [id, CONSTRAINT_IDS.filter((other) => TABLE.get(id)!.has(other))]),
) as unknown as { [I in ConstraintId]: readonly ConstraintId[] };

/** True when `a` and `b` may not appear in the same prompt (symmetric; `conflicts(a, a)` is true). */
export function conflicts(a: ConstraintId, b: ConstraintId): boolean {
  return TABLE.get(a)!.has(b);
}

/** True when `id` conflicts with any of the already chosen ids. */
export function conflictsWithAny(id: ConstraintId, chosen: Iterable<ConstraintId>): boolean {
  const set = TABLE.get(id)!;
  for (const other of chosen) if (set.has(other)) return true;
  return false;
}
