/** Repairs for change_case:* (capital_word_frequency, english_capital, english_lowercase). */
import { pyIsUpper } from "../python";
import { overlaps, protectedRanges } from "./text";
import { fail, type Fixer } from "./types";

/** A word the tokenizer keeps whole: letters only, not glued to an apostrophe, hyphen, digit, dot, slash or @. */
const PLAIN_WORD = /(?<![\p{L}\p{N}_'’\-.@/])\p{L}{3,}(?![\p{L}\p{N}_'’\-.@/])/gu;
/** A section label ("Section 2"): its case must stay, the section check is case-sensitive. */
const BEFORE_NUMBER = /^\s?\p{Nd}/u;

export const capitalWordFrequency: Fixer = (text, kwargs, ctx) => {
  let current = text;
  if (kwargs.capital_relation === "at least") {
    for (let i = 0; i < 200 && !ctx.passes(current); i++) {
      const guarded = protectedRanges(current, ctx);
      const words = [...current.matchAll(PLAIN_WORD)].filter(
        (m) =>
          m[0].toUpperCase() !== m[0] &&
          !BEFORE_NUMBER.test(current.slice(m.index + m[0].length)) &&
          !overlaps({ start: m.index, end: m.index + m[0].length }, guarded),
      );
      // Longer words first (they carry the meaning), then in reading order.
      const pick = words.find((m) => m[0].length >= 5) ?? words[0];
      if (!pick) return fail("no word left to capitalise");
      current = current.slice(0, pick.index) + pick[0].toUpperCase() + current.slice(pick.index + pick[0].length);
    }
    return current;
  }
  // "less than": lower the all-caps words of 2+ letters ("NASA" → "Nasa"), last first.
  for (let i = 0; i < 10_000 && !ctx.passes(current); i++) {
    const guarded = protectedRanges(current, ctx);
    const runs = [...current.matchAll(/\p{L}+/gu)].filter(
      (m) =>
        pyIsUpper(m[0]) &&
        !BEFORE_NUMBER.test(current.slice(m.index + m[0].length)) &&
        !overlaps({ start: m.index, end: m.index + m[0].length }, guarded),
    );
    // Only words of 2+ letters: "i am" for "I am" would be a mistake, not a repair.
    const multi = runs.filter((m) => m[0].length >= 2);
    const pick = multi[multi.length - 1];
    if (!pick) return fail("the remaining capital words are single letters, protected, or section labels");
    const w = pick[0];
    const [first = "", ...rest] = Array.from(w);
    let lowered = rest.length > 0 ? first + rest.join("").toLowerCase() : w.toLowerCase();
    if (lowered === w) lowered = w.toLowerCase();
    if (lowered === w) return fail(`cannot lower the case of "${w}"`);
    current = current.slice(0, pick.index) + lowered + current.slice(pick.index + w.length);
  }
  return current;
};

export const englishCapital: Fixer = (text) => text.toUpperCase();

export const englishLowercase: Fixer = (text) => text.toLowerCase();
