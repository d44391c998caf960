/**
 * Results of an eval run broken down by the number of constraints a prompt carries: prompt-level
 * accuracy, strict and loose, for the prompts with 1, 2, 3, … constraints (a model that follows one
 * instruction well may still fail when several are composed, which is what ECD trains for).
 */
import type { PromptResult, Tally } from "../constraints/evaluate.ts";

export interface ConstraintCountRow {
  /** How many verifiable constraints each of these prompts carries. */
  constraints: number;
  strict: Tally;
  loose: Tally;
}

function tally(correct: number, total: number): Tally {
  return { correct, total, accuracy: total === 0 ? NaN : correct / total };
}

/** One row per constraint count present, ascending; `strict[i]` and `loose[i]` describe the same prompt. */
export function byConstraintCount(
  strict: readonly PromptResult[],
  loose: readonly PromptResult[],
): ConstraintCountRow[] {
  if (strict.length !== loose.length) throw new Error("strict and loose results must describe the same prompts");
  const counts = new Map<number, { strict: number; loose: number; total: number }>();
  strict.forEach((s, i) => {
    const n = s.instruction_id_list.length;
    const entry = counts.get(n) ?? { strict: 0, loose: 0, total: 0 };
    entry.total += 1;
    if (s.follow_instruction_list.every(Boolean)) entry.strict += 1;
    if (loose[i]!.follow_instruction_list.every(Boolean)) entry.loose += 1;
    counts.set(n, entry);
  });
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([constraints, c]) => ({ constraints, strict: tally(c.strict, c.total), loose: tally(c.loose, c.total) }));
}
