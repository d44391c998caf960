/**
 * Evol-Instruct's elimination step for model answers: a short reply that declines (a refusal) and
 * a degenerate reply (a loop of the same line, or a long run of few distinct words) never become a
 * chosen response or a student's answer. Pure text checks; each is a method control (on by default).
 */
import type { Drop } from "./drop-reasons";

export interface ResponseFilters {
  /** Drop a short reply that declines. Default true. */
  refusal?: boolean;
  /** Drop a reply that loops or repeats a few words. Default true. */
  degenerate?: boolean;
}

/** A refusal is short: a long answer that apologises once is still an answer. */
const REFUSAL_MAX_WORDS = 60;
const REFUSAL_START =
  /^\s*(?:i['’]m sorry|i am sorry|sorry,|i apologi[sz]e|i can(?:not|['’]t)|i won['’]t|i will not|i['’]m unable|i am unable|i['’]m not able|i am not able|as an ai\b|unfortunately,? i (?:can(?:not|['’]t)|am unable|['’]m unable))/iu;

/** A degenerate reply: the same non-empty line this many times in a row… */
const REPEATED_LINES = 4;
/** …or at least this many words with fewer than this share distinct. */
const LOOP_MIN_WORDS = 30;
const LOOP_MAX_DISTINCT_SHARE = 0.2;

export function isRefusal(text: string): boolean {
  return REFUSAL_START.test(text) && text.trim().split(/\s+/u).length <= REFUSAL_MAX_WORDS;
}

export function degenerateProblem(text: string): string | null {
  const lines = text.split("\n").map((line) => line.trim());
  for (let i = 0, run = 1; i < lines.length; i++) {
    run = i > 0 && lines[i] !== "" && lines[i] === lines[i - 1] ? run + 1 : 1;
    if (run >= REPEATED_LINES)
      return `the line ${JSON.stringify(lines[i]!.slice(0, 60))} repeats ${run} times in a row`;
  }
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  if (words.length >= LOOP_MIN_WORDS) {
    const distinct = new Set(words).size;
    if (distinct / words.length < LOOP_MAX_DISTINCT_SHARE)
      return `${distinct} distinct words in ${words.length}: the reply loops`;
  }
  return null;
}

/** Why a model's answer must not be used (`refusal` / `degenerate`), or null. */
export function responseProblem(text: string, filters: ResponseFilters = {}): Drop | null {
  if ((filters.refusal ?? true) && isRefusal(text))
    return { code: "refusal", detail: `the reply declines: ${JSON.stringify(text.trim().slice(0, 80))}` };
  const loop = (filters.degenerate ?? true) ? degenerateProblem(text) : null;
  if (loop) return { code: "degenerate", detail: loop };
  return null;
}
