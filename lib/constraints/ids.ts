/**
 * The 25 verifiable-constraint ids of IFEval (spec §2). The group is the part before `:`.
 * Everything in lib/constraints is keyed by these.
 */
export const CONSTRAINT_IDS = [
  "keywords:existence",
  "keywords:frequency",
  "keywords:forbidden_words",
  "keywords:letter_frequency",
  "language:response_language",
  "length_constraints:number_sentences",
  "length_constraints:number_paragraphs",
  "length_constraints:number_words",
  "length_constraints:nth_paragraph_first_word",
  "detectable_content:number_placeholders",
  "detectable_content:postscript",
  "detectable_format:number_bullet_lists",
  "detectable_format:constrained_response",
  "detectable_format:number_highlighted_sections",
  "detectable_format:multiple_sections",
  "detectable_format:json_format",
  "detectable_format:title",
  "combination:two_responses",
  "combination:repeat_prompt",
  "startend:end_checker",
  "change_case:capital_word_frequency",
  "change_case:english_capital",
  "change_case:english_lowercase",
  "punctuation:no_comma",
  "startend:quotation",
] as const;

export type ConstraintId = (typeof CONSTRAINT_IDS)[number];

export function isConstraintId(value: string): value is ConstraintId {
  return (CONSTRAINT_IDS as readonly string[]).includes(value);
}

/** kwargs as they arrive from data: plain JSON values keyed by IFEval's argument names. */
export type Kwargs = Record<string, unknown>;
