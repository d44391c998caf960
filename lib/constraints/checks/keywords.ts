/**
 * keywords:* — existence, frequency, forbidden_words, letter_frequency (spec §2 rows 1–4).
 * Keywords are unescaped Python regular expressions (a quirk kept on purpose): "cat" is found in
 * "concatenate", and "2*input" means "zero or more 2s, then input".
 */
import { z } from "zod";
import { codePointLength, pyFindAllCount, pyIsSpace, pyLower, pyRegex, pySearch, pyStrip } from "../python";
import { compare, countSchema, regexStringSchema, relationSchema } from "./shared";
import type { CheckDefinition } from "./types";

const IGNORECASE = { ignoreCase: true } as const;
const forbiddenPattern = (word: string) => `\\b${word}\\b`;

const existenceSchema = z.strictObject({
  keywords: z.array(regexStringSchema((k) => k, IGNORECASE)).min(1),
});

export const existence: CheckDefinition<z.infer<typeof existenceSchema>> = {
  id: "keywords:existence",
  kwargsSchema: existenceSchema,
  check(text, { keywords }) {
    // Every keyword must be found by a case-insensitive search (no word boundaries).
    return keywords.every((keyword) => pySearch(pyRegex(keyword, IGNORECASE), text));
  },
};

const frequencySchema = z.strictObject({
  keyword: regexStringSchema((k) => pyStrip(k), IGNORECASE).refine((k) => k.length > 0, "must not be empty"),
  frequency: countSchema,
  relation: relationSchema,
});

export const frequency: CheckDefinition<z.infer<typeof frequencySchema>> = {
  id: "keywords:frequency",
  kwargsSchema: frequencySchema,
  check(text, { keyword, frequency, relation }) {
    // Non-overlapping case-insensitive matches anywhere (substrings count).
    const count = pyFindAllCount(pyRegex(pyStrip(keyword), IGNORECASE), text);
    return compare(count, relation, frequency);
  },
};

/** A keyword without regex syntax: it matches itself (case-insensitively), at a fixed length. */
const LITERAL = /^[^.^$*+?{}[\]\\|()]+$/u;
const WORD_CHAR = /^[\p{L}\p{N}_]$/u;

/** The code point just before (or at) a UTF-16 index, as a string. */
function codePointNear(text: string, index: number, before: boolean): string {
  if (before) {
    const low = text.charCodeAt(index - 1);
    if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
      const high = text.charCodeAt(index - 2);
      if (high >= 0xd800 && high <= 0xdbff) return text.slice(index - 2, index);
    }
    return text[index - 1]!;
  }
  return String.fromCodePoint(text.codePointAt(index)!);
}

function isWordNear(text: string, index: number, before: boolean): boolean {
  if (before ? index <= 0 : index >= text.length) return false;
  return WORD_CHAR.test(codePointNear(text, index, before));
}

function isBoundary(text: string, index: number): boolean {
  return isWordNear(text, index, true) !== isWordNear(text, index, false);
}

/**
 * Same answer as a search for `\bword\b` when `word` has no regex syntax, but fast: find every
 * (overlapping) case-insensitive occurrence and test the Unicode word boundary at both ends.
 */
function hasBoundedLiteral(word: string, text: string): boolean {
  const re = pyRegex(word, IGNORECASE).regex;
  re.lastIndex = 0;
  try {
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (isBoundary(text, m.index) && isBoundary(text, m.index + m[0].length)) return true;
      re.lastIndex = m.index + (text.codePointAt(m.index)! > 0xffff ? 2 : 1);
    }
    return false;
  } finally {
    re.lastIndex = 0;
  }
}

const forbiddenSchema = z.strictObject({
  forbidden_words: z.array(regexStringSchema(forbiddenPattern, IGNORECASE)).min(1),
});

export const forbiddenWords: CheckDefinition<z.infer<typeof forbiddenSchema>> = {
  id: "keywords:forbidden_words",
  kwargsSchema: forbiddenSchema,
  check(text, { forbidden_words }) {
    // Python wraps each (deduplicated) word in Unicode \b ... \b; the word itself stays a regex.
    for (const word of new Set(forbidden_words)) {
      if (
        LITERAL.test(word) ? hasBoundedLiteral(word, text) : pySearch(pyRegex(forbiddenPattern(word), IGNORECASE), text)
      ) {
        return false;
      }
    }
    return true;
  },
};

const letterFrequencySchema = z.strictObject({
  letter: z
    .string()
    .refine((s) => codePointLength(s) === 1 && !pyIsSpace(s), "must be a single non-whitespace character"),
  let_frequency: countSchema,
  let_relation: relationSchema,
});

export const letterFrequency: CheckDefinition<z.infer<typeof letterFrequencySchema>> = {
  id: "keywords:letter_frequency",
  kwargsSchema: letterFrequencySchema,
  check(text, { letter, let_frequency, let_relation }) {
    // Newest rule: any single character (IFEval uses "#" and "!"), lowercased; the whole text is
    // lowercased and the code points equal to it are counted.
    const target = pyLower(letter);
    let count = 0;
    if (codePointLength(target) === 1) {
      for (const ch of pyLower(text)) if (ch === target) count++;
    }
    return compare(count, let_relation, let_frequency);
  },
};
