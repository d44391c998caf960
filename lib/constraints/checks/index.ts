/**
 * The IFEval checker: one definition per instruction id (spec §2). Verdicts copy the reference
 * evaluator, quirks included; `evaluate.ts` adds the blank-response rule and loose mode.
 */
import type { z } from "zod";
import type { ConstraintId, Kwargs } from "../ids";
import { capitalWordFrequency, englishCapital, englishLowercase, responseLanguage } from "./language";
import { twoResponses, repeatPrompt } from "./combination";
import { numberPlaceholders, postscript } from "./content";
import {
  constrainedResponse,
  jsonFormat,
  multipleSections,
  numberBulletLists,
  numberHighlightedSections,
  title,
} from "./format";
import { existence, forbiddenWords, frequency, letterFrequency } from "./keywords";
import { nthParagraphFirstWord, numberParagraphs, numberSentences, numberWords } from "./length";
import { endChecker, noComma, quotation } from "./startend";
import type { CheckDefinition } from "./types";

export type { CheckDefinition } from "./types";
export { LANGUAGE_NAMES } from "./language";
export { countWords } from "./length";
export { countHighlights } from "./format";

export const CHECKS: { [I in ConstraintId]: CheckDefinition } = {
  "keywords:existence": existence,
  "keywords:frequency": frequency,
  "keywords:forbidden_words": forbiddenWords,
  "keywords:letter_frequency": letterFrequency,
  "language:response_language": responseLanguage,
  "length_constraints:number_sentences": numberSentences,
  "length_constraints:number_paragraphs": numberParagraphs,
  "length_constraints:number_words": numberWords,
  "length_constraints:nth_paragraph_first_word": nthParagraphFirstWord,
  "detectable_content:number_placeholders": numberPlaceholders,
  "detectable_content:postscript": postscript,
  "detectable_format:number_bullet_lists": numberBulletLists,
  "detectable_format:constrained_response": constrainedResponse,
  "detectable_format:number_highlighted_sections": numberHighlightedSections,
  "detectable_format:multiple_sections": multipleSections,
  "detectable_format:json_format": jsonFormat,
  "detectable_format:title": title,
  "combination:two_responses": twoResponses,
  "combination:repeat_prompt": repeatPrompt,
  "startend:end_checker": endChecker,
  "change_case:capital_word_frequency": capitalWordFrequency,
  "change_case:english_capital": englishCapital,
  "change_case:english_lowercase": englishLowercase,
  "punctuation:no_comma": noComma,
  "startend:quotation": quotation,
};

/** The kwargs of an instruction cannot build a checker (the reference would fail or pick at random). */
export class ConstraintKwargsError extends Error {
  constructor(
    readonly id: string,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${id}: kwargs field "${field}": ${detail}`);
    this.name = "ConstraintKwargsError";
  }
}

function describeIssue(issue: z.core.$ZodIssue, input: Kwargs): { field: string; detail: string } {
  if (issue.code === "unrecognized_keys") {
    return { field: issue.keys.join(", "), detail: "unexpected argument" };
  }
  const field = issue.path.length ? issue.path.map(String).join(".") : "(kwargs)";
  const top = issue.path[0];
  if (issue.path.length === 1 && typeof top === "string" && !Object.hasOwn(input, top)) {
    return { field, detail: "missing" };
  }
  return { field, detail: issue.message };
}

/**
 * Validates the kwargs of one instruction and returns them typed for `CHECKS[id].check`.
 * Keys whose value is null are dropped first (the Hugging Face copy of IFEval lists every
 * argument, with null for the unused ones). Throws `ConstraintKwargsError`.
 */
export function parseKwargs(id: ConstraintId, kwargs: Kwargs): unknown {
  if (kwargs === null || typeof kwargs !== "object" || Array.isArray(kwargs)) {
    throw new ConstraintKwargsError(id, "(kwargs)", "must be an object");
  }
  const present: Kwargs = {};
  for (const [key, value] of Object.entries(kwargs)) {
    if (value !== null)
      Object.defineProperty(present, key, { value, enumerable: true, writable: true, configurable: true });
  }
  const result = CHECKS[id].kwargsSchema.safeParse(present);
  if (result.success) return result.data;
  const { field, detail } = describeIssue(result.error.issues[0]!, present);
  throw new ConstraintKwargsError(id, field, detail);
}
