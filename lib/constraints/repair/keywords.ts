/** Repairs for keywords:* (existence, frequency, forbidden_words, letter_frequency). */
import { countWords } from "../checks/index";
import { PY_W, pyLower, pyRegex, pySearch, pyStrip, PyRegexError, type PyPattern } from "../python";
import { appendContent, applyCase, caseStyle, overlaps, protectedRanges, type Range } from "./text";
import { fail, type Fixer, type RepairContext } from "./types";

const WORD_CHAR = new RegExp(PY_W, "u");

function compile(pattern: string, wrap = (p: string) => p): PyPattern | null {
  try {
    return pyRegex(wrap(pattern), { ignoreCase: true });
  } catch (err) {
    if (err instanceof PyRegexError) return null;
    throw err;
  }
}

function matches(p: PyPattern, text: string): RegExpMatchArray[] {
  return [...text.matchAll(p.regex)];
}

/** Widens [start, end) to whole words (runs of Python \w) on both sides. */
function widenToWord(text: string, start: number, end: number): Range {
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
  return { start, end };
}

/** Removes [start, end) and one neighbouring space so no double space or space-before-punctuation remains. */
export function removeSpan(text: string, { start, end }: Range): string {
  const before = text[start - 1];
  const after = text[end];
  if (
    (before === " " || before === "\t") &&
    (after === undefined || after === " " || after === "\n" || /[.,;:!?)\]]/.test(after))
  ) {
    start--;
  } else if (after === " " && (before === undefined || before === "\n" || before === "(" || before === "[")) {
    end++;
  }
  return text.slice(0, start) + text.slice(end);
}

/** Words in parentheses: visibly added text that is one unit, not a sentence. */
function parenthetical(words: readonly string[]): string {
  return `(${words.join(" ")})`;
}

export const existence: Fixer = (text, kwargs, ctx) => {
  const keywords = (kwargs.keywords as string[]) ?? [];
  const missing: string[] = [];
  for (const k of keywords) {
    const p = compile(k);
    if (!p) return fail(`keyword ${JSON.stringify(k)} is not a usable pattern`);
    if (!pySearch(p, text)) missing.push(k);
  }
  if (missing.length === 0) return text;
  const words = missing.map((k) => applyCase(k, caseStyle(text)));
  return appendContent(text, parenthetical(words), ctx, "inline", words.join(" "));
};

/**
 * Deletes the words holding matches of `p`, last (unprotected) match first, until `done(text)`.
 * Gives up (returns null) after `limit` deletions or when only protected matches remain.
 */
function deleteMatchingWords(
  text: string,
  p: PyPattern,
  ctx: RepairContext,
  done: (t: string) => boolean,
  widen = true,
  limit = 10_000,
): string | null {
  let current = text;
  for (let i = 0; i < limit && !done(current); i++) {
    const protectedSpans = protectedRanges(current, ctx);
    const found = matches(p, current)
      .filter((m) => m[0].length > 0)
      .map((m) =>
        widen
          ? widenToWord(current, m.index!, m.index! + m[0].length)
          : { start: m.index!, end: m.index! + m[0].length },
      )
      .filter((r) => !overlaps(r, protectedSpans));
    const last = found[found.length - 1];
    if (!last) return null;
    current = removeSpan(current, last);
  }
  return done(current) ? current : null;
}

export const frequency: Fixer = (text, kwargs, ctx) => {
  const keyword = pyStrip(String(kwargs.keyword ?? ""));
  const n = Number(kwargs.frequency);
  const p = compile(keyword);
  if (!p || !keyword) return fail(`keyword ${JSON.stringify(keyword)} is not a usable pattern`);
  const count = (t: string) => matches(p, t).length;
  if (kwargs.relation === "at least") {
    const need = n - count(text);
    if (need <= 0) return text;
    const words = Array<string>(need).fill(applyCase(keyword, caseStyle(text)));
    return appendContent(text, parenthetical(words), ctx, "inline", words.join(" "));
  }
  const out = deleteMatchingWords(text, p, ctx, (t) => count(t) < n);
  return out ?? fail(`cannot bring "${keyword}" under ${n} occurrences without touching protected text`);
};

export const forbiddenWords: Fixer = (text, kwargs, ctx) => {
  let current = text;
  for (const word of new Set((kwargs.forbidden_words as string[]) ?? [])) {
    const p = compile(word, (w) => `\\b${w}\\b`);
    if (!p) return fail(`forbidden word ${JSON.stringify(word)} is not a usable pattern`);
    // Every occurrence must go, protected or not (the check has no exceptions).
    const out = deleteMatchingWords(current, p, { ...ctx, others: [] }, (t) => !pySearch(p, t));
    if (out === null) return fail(`could not remove every "${word}"`);
    current = out;
  }
  return current;
};

/** At most this share of the words may be deleted to bring a letter count down. */
const MAX_DELETED_WORD_SHARE = 0.5;

export const letterFrequency: Fixer = (text, kwargs, ctx) => {
  const letter = pyLower(String(kwargs.letter ?? ""));
  const n = Number(kwargs.let_frequency);
  const count = (t: string) => {
    let c = 0;
    for (const ch of pyLower(t)) if (ch === letter) c++;
    return c;
  };
  if (kwargs.let_relation === "at least") {
    const need = n - count(text);
    if (need <= 0) return text;
    // A visible filler: the letter repeated, in parentheses (one "word", no sentence).
    const ch = caseStyle(text) === "upper" ? String(kwargs.letter).toUpperCase() : letter;
    const filler = ch.repeat(need);
    return appendContent(text, `(${filler})`, ctx, "inline", filler);
  }
  const escaped = letter.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  if (!WORD_CHAR.test(letter)) {
    // Not a word character ("#", "!"): delete the characters themselves, last first.
    const out = deleteMatchingWords(text, pyRegex(escaped, { ignoreCase: true }), ctx, (t) => count(t) < n, false);
    return out ?? fail(`cannot bring "${letter}" under ${n} without touching protected text`);
  }
  const words = countWords(text);
  const p = compile(escaped);
  if (!p) return fail("unusable letter");
  const out = deleteMatchingWords(text, p, ctx, (t) => count(t) < n);
  if (out === null) return fail(`cannot bring "${letter}" under ${n} without touching protected text`);
  if (words > 0 && (words - countWords(out)) / words > MAX_DELETED_WORD_SHARE) {
    return fail(`bringing "${letter}" under ${n} would delete more than half of the words`);
  }
  return out;
};
