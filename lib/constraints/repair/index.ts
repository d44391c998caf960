/**
 * Rule-based repair: the smallest edit after which a response passes a constraint's strict check.
 *
 * A repair may add, wrap, re-case or restructure text, never delete content, and what it adds is
 * a complete sentence or formatting element (see preserve.ts, which checks both). Constraints that
 * can only be met by deleting have no fixer (`NO_REPAIR_REASONS`) or answer ok:false.
 *
 * Contract: `repair` never claims a success it did not achieve. Every edit is re-checked with
 * `followsStrict`; when the check still fails, or no honest edit exists (translating, writing more
 * words, inventing a second answer…), the answer is `{ ok: false, reason }`.
 *
 * `repairAll` applies the repairs of a prompt's constraints in a stable order (content before
 * structure, structure before wrappers), lets every fixer see the other constraints so it keeps
 * clear of what they need, re-checks all constraints after each edit, and reports which ones could
 * not be satisfied.
 */
import { ConstraintKwargsError, parseKwargs } from "../checks/index";
import { followsStrict } from "../evaluate";
import { CONSTRAINT_IDS, type ConstraintId, type Kwargs } from "../ids";
import { pyStrip } from "../python";
import { capitalWordFrequency, englishCapital, englishLowercase } from "./case";
import { repeatPrompt, twoResponses } from "./combination";
import {
  constrainedResponse,
  jsonFormat,
  multipleSections,
  numberBulletLists,
  numberHighlightedSections,
  numberPlaceholders,
  postscript,
  title,
} from "./format";
import { existence, frequency } from "./keywords";
import { nthParagraphFirstWord, numberParagraphs, numberSentences } from "./length";
import { endChecker, noComma, quotation } from "./startend";
import type { ConstraintSpec, Fixer, RepairContext, RepairResult } from "./types";

export type { ConstraintSpec, RepairResult } from "./types";

/** The fixer of every id that has one. */
export const FIXERS: { readonly [I in ConstraintId]?: Fixer } = {
  "keywords:existence": existence,
  "keywords:frequency": frequency,
  "length_constraints:number_sentences": numberSentences,
  "length_constraints:number_paragraphs": numberParagraphs,
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

const NEVER_DELETES = "rule-based repair never deletes content";

/** Why an id has no rule-based repair. */
export const NO_REPAIR_REASONS: { readonly [I in ConstraintId]?: string } = {
  "language:response_language": "writing the answer in another language needs a model; there is no rule-based repair",
  "length_constraints:number_words": `more words need a model and fewer mean cutting the answer; ${NEVER_DELETES}`,
  "keywords:forbidden_words": `a forbidden word can only be deleted or reworded (a model); ${NEVER_DELETES}`,
  "keywords:letter_frequency": `a letter count changes only with other words (a model) or deleted ones; ${NEVER_DELETES}`,
};

/** True when `id` has a rule-based fixer (which may still answer ok:false for a given response). */
export function hasRepair(id: ConstraintId): boolean {
  return FIXERS[id] !== undefined;
}

/**
 * The order `repairAll` applies repairs in: words first, then structure, then text added at the ends, then case and commas over everything, and the
 * wrappers (quotes, repeated prompt, JSON) last.
 */
export const REPAIR_ORDER: readonly ConstraintId[] = [
  "length_constraints:number_words",
  "length_constraints:number_sentences",
  "keywords:forbidden_words",
  "keywords:frequency",
  "keywords:letter_frequency",
  "keywords:existence",
  "detectable_content:number_placeholders",
  "detectable_format:constrained_response",
  "length_constraints:number_paragraphs",
  "length_constraints:nth_paragraph_first_word",
  "detectable_format:multiple_sections",
  "detectable_format:number_bullet_lists",
  "combination:two_responses",
  "detectable_format:number_highlighted_sections",
  "detectable_format:title",
  "detectable_content:postscript",
  "startend:end_checker",
  "change_case:capital_word_frequency",
  "change_case:english_capital",
  "change_case:english_lowercase",
  "language:response_language",
  "punctuation:no_comma",
  "startend:quotation",
  "combination:repeat_prompt",
  "detectable_format:json_format",
];

const BLANK_REASON = "the response is blank; a rule cannot write an answer";

function kwargsError(id: ConstraintId, kwargs: Kwargs): string | null {
  try {
    parseKwargs(id, kwargs);
    return null;
  } catch (err) {
    if (err instanceof ConstraintKwargsError) return `invalid kwargs: ${err.message}`;
    throw err;
  }
}

export interface RepairOptions {
  /** The prompt's other constraints: the edit keeps clear of what they need. */
  context?: readonly ConstraintSpec[];
}

/**
 * The smallest rule-based edit after which `response` passes `id` (strict). Returns
 * `{ok: true, changed: false}` when it already passes, `{ok: false, reason}` when no edit was found
 * or the edit did not pass the re-check.
 */
export function repair(id: ConstraintId, response: string, kwargs: Kwargs, options: RepairOptions = {}): RepairResult {
  const invalid = kwargsError(id, kwargs);
  if (invalid) return { ok: false, reason: invalid };
  if (pyStrip(response) === "") return { ok: false, reason: BLANK_REASON };
  if (followsStrict(id, kwargs, response)) return { ok: true, response, changed: false };
  const fixer = FIXERS[id];
  if (!fixer) return { ok: false, reason: NO_REPAIR_REASONS[id] ?? "no rule-based repair" };
  const ctx: RepairContext = {
    others: options.context ?? [],
    passes: (text) => followsStrict(id, kwargs, text),
  };
  let out;
  try {
    out = fixer(response, kwargs, ctx);
  } catch (err) {
    return { ok: false, reason: `internal error in the ${id} repair: ${(err as Error).message}` };
  }
  if (typeof out !== "string") return { ok: false, reason: out.fail };
  if (out === response) return { ok: false, reason: "no edit found" };
  if (!followsStrict(id, kwargs, out)) return { ok: false, reason: "the rule-based edit did not satisfy the check" };
  return { ok: true, response: out, changed: true };
}

export interface RepairAllResult {
  /** The best response reached (most constraints followed; the earliest on ties). */
  response: string;
  changed: boolean;
  /** followed[i]: constraint i passes the strict check on `response`. */
  followed: boolean[];
  allFollowed: boolean;
  /** Repairs applied to reach `response`, in order. */
  applied: { index: number; id: ConstraintId }[];
  /** Constraints `response` still fails, with the reason. */
  unsatisfied: { index: number; id: ConstraintId; reason: string }[];
}

const MAX_PASSES = 3;

/** Repairs a response against all constraints of its prompt (see the module comment). */
export function repairAll(response: string, constraints: readonly ConstraintSpec[]): RepairAllResult {
  const items = constraints.map((c, index) => ({ ...c, index, invalid: kwargsError(c.id, c.kwargs) }));
  const valid = items.filter((i) => i.invalid === null);
  const check = (i: (typeof items)[number], text: string) => i.invalid === null && followsStrict(i.id, i.kwargs, text);
  const score = (text: string) => valid.reduce((n, i) => n + (check(i, text) ? 1 : 0), 0);
  const rank = (id: ConstraintId) => REPAIR_ORDER.indexOf(id) * CONSTRAINT_IDS.length;
  const order = valid.slice().sort((a, b) => rank(a.id) - rank(b.id) || a.index - b.index);

  const reasons = new Map<number, string>();
  let current = response;
  let applied: { index: number; id: ConstraintId }[] = [];
  let best = { text: response, score: score(response), applied: [] as typeof applied };

  if (pyStrip(response) !== "") {
    for (let pass = 0; pass < MAX_PASSES && best.score < valid.length; pass++) {
      let progressed = false;
      for (const item of order) {
        if (check(item, current)) continue;
        const context = constraints.filter((_, j) => j !== item.index);
        const result = repair(item.id, current, item.kwargs, { context });
        if (!result.ok) {
          reasons.set(item.index, result.reason);
          continue;
        }
        reasons.delete(item.index);
        if (!result.changed) continue;
        current = result.response;
        applied = [...applied, { index: item.index, id: item.id }];
        progressed = true;
        const s = score(current);
        if (s > best.score) best = { text: current, score: s, applied };
      }
      if (!progressed) break;
    }
  }

  const followed = items.map((i) => check(i, best.text));
  const unsatisfied = items
    .filter((i) => !followed[i.index])
    .map((i) => ({
      index: i.index,
      id: i.id,
      reason:
        i.invalid ??
        (pyStrip(response) === ""
          ? BLANK_REASON
          : (reasons.get(i.index) ?? "repaired, but the repairs of other constraints of this prompt undo it")),
    }));
  return {
    response: best.text,
    changed: best.text !== response,
    followed,
    allFollowed: unsatisfied.length === 0,
    applied: best.applied,
    unsatisfied,
  };
}
