/**
 * The one list of reasons a generated candidate is dropped, shared by ECD, C2S, the job page,
 * `ecd jobs show`, the tree and the exports. A drop stores its code (Node.dropCode) and a detail
 * a person can read (Node.dropReason). Codes are stable: never rename one, add a new one.
 */

export const DROP_REASONS = {
  // ECD: the evolution step
  evolver_failed: "the evolver's call failed or its reply could not be read",
  empty_instruction: "the evolved instruction is empty",
  equal_to_parent: "the evolved instruction equals its parent",
  template_leak: "the evolved instruction leaks words of the prompt template",
  no_new_requirement: "the evolution added no requirement (or no verifiable one when asked to)",
  invalid_constraint: "an added constraint has an unknown id, invalid kwargs or no text",
  constraint_conflict: "an added constraint conflicts with an earlier one",
  text_kwargs_disagree: "the written instruction says something else than the added constraint's kwargs",
  over_word_budget: "the evolution added more words than the job's word budget allows",
  // ECD: the response step
  responder_failed: "the responder's call failed or returned nothing",
  content_lost: "a rule-based repair dropped words of its source",
  fragment_inserted: "a rule-based repair inserted a fragment",
  chosen_fails: "the chosen response fails a constraint of its instruction",
  refusal: "the model's reply declines the request (Evol-Instruct's elimination step)",
  degenerate: "the model's reply loops or repeats a few words (Evol-Instruct's elimination step)",
  rejected_not_negative: "the rejected response is not shown to fail a new constraint",
  // C2S
  student_failed: "the student's call failed or returned nothing",
  nothing_to_correct: "the student's response follows every constraint",
  no_fix_applied: "no correction by the teacher could be applied",
  final_fails: "the corrected response still fails a constraint",
  rejected_equals_chosen: "every pair had its rejected response equal to its chosen one",
} as const;

export type DropCode = keyof typeof DROP_REASONS;

export const DROP_CODES = Object.keys(DROP_REASONS) as DropCode[];

/** A drop: its code from the list and a detail naming what exactly went wrong. */
export interface Drop {
  code: DropCode;
  detail: string;
}

export function isDropCode(value: unknown): value is DropCode {
  return typeof value === "string" && Object.hasOwn(DROP_REASONS, value);
}

/** One line for logs and warnings: "code: detail". */
export function describeDrop(drop: Drop): string {
  return `${drop.code}: ${drop.detail}`;
}
