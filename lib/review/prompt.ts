/**
 * The pair's prompt (pure, browser-safe): THE rule for what a pair's prompt is (pairPrompt), and
 * the check the review screen runs live while the prompt is edited.
 */
import type { StoredConstraint } from "./types.ts";
import { jsonColumn } from "./verdict-record.ts";

/** The prompt a pair is reviewed and exported with (THE rule): a reviewer's edit, else the node's instruction. */
export function pairPrompt(metadata: unknown, instruction: string): string {
  const value = jsonColumn(metadata);
  const edited =
    value && typeof value === "object" && !Array.isArray(value)
      ? (value as { editedPrompt?: unknown }).editedPrompt
      : undefined;
  return typeof edited === "string" && edited.length > 0 ? edited : instruction;
}

/**
 * Sentences of constraints that an edited prompt no longer contains: the pair keeps its node's
 * constraints, which the prompt may no longer state, so the reviewer is warned.
 */
export function constraintsMissingFromPrompt(prompt: string, constraints: readonly StoredConstraint[]): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();
  const text = norm(prompt);
  return constraints.map((c) => c.text.trim()).filter((sentence) => sentence && !text.includes(norm(sentence)));
}
