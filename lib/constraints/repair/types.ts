import type { ConstraintId, Kwargs } from "../ids";

/** The outcome of a rule-based repair. `ok: true` is only ever returned after a strict re-check. */
export type RepairResult = { ok: true; response: string; changed: boolean } | { ok: false; reason: string };

/** One constraint of a prompt: an id and its kwargs as the checker consumes them. */
export interface ConstraintSpec {
  id: ConstraintId;
  kwargs: Kwargs;
}

/**
 * What a fixer may know besides its own constraint: the prompt's other constraints (so an edit
 * can keep clear of a repeated prompt, an end phrase, a paragraph count…) and a strict check of
 * its own constraint (for fixers that edit step by step until the check passes).
 */
export interface RepairContext {
  others: readonly ConstraintSpec[];
  passes(text: string): boolean;
}

/** A fixer's answer: the edited text, or why no honest edit exists. */
export type FixOutcome = string | { fail: string };

/** Edits `text` (which fails the constraint and is not blank) towards passing it. */
export type Fixer = (text: string, kwargs: Kwargs, ctx: RepairContext) => FixOutcome;

export const fail = (reason: string): { fail: string } => ({ fail: reason });
