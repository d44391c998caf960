/**
 * length_constraints:* — number_sentences, number_paragraphs, number_words,
 * nth_paragraph_first_word (spec §2 rows 6–9, §2.1).
 */
import { z } from "zod";
import { countSentences } from "../nlp/punkt";
import { pyFindAllCount, pyLStrip, pyLower, pyRegex, pySplit, pySplitWhitespace, pyStrip } from "../python";
import { compare, countSchema, relationSchema } from "./shared";
import type { CheckDefinition } from "./types";

const numberSentencesSchema = z.strictObject({
  num_sentences: countSchema,
  relation: relationSchema,
});

export const numberSentences: CheckDefinition<z.infer<typeof numberSentencesSchema>> = {
  id: "length_constraints:number_sentences",
  kwargsSchema: numberSentencesSchema,
  check(text, { num_sentences, relation }) {
    return compare(countSentences(text), relation, num_sentences);
  },
};

/** `***` with at most one Python whitespace character on each side. */
const PARAGRAPH_DIVIDER = pyRegex(String.raw`\s?\*\*\*\s?`);

const numberParagraphsSchema = z.strictObject({ num_paragraphs: countSchema });

export const numberParagraphs: CheckDefinition<z.infer<typeof numberParagraphsSchema>> = {
  id: "length_constraints:number_paragraphs",
  kwargsSchema: numberParagraphsSchema,
  check(text, { num_paragraphs }) {
    const pieces = pySplit(PARAGRAPH_DIVIDER, text);
    let count = pieces.length;
    for (let i = 0; i < pieces.length; i++) {
      if (pyStrip(pieces[i]!)) continue;
      // A blank first or last piece is discarded; a blank piece in between fails at once.
      if (i === 0 || i === pieces.length - 1) count--;
      else return false;
    }
    return count === num_paragraphs;
  },
};

const WORD_RUN = pyRegex(String.raw`\w+`);

/** IFEval's word count: maximal runs of Python `\w` (letters, numbers, underscore; not marks). */
export function countWords(text: string): number {
  return pyFindAllCount(WORD_RUN, text);
}

const numberWordsSchema = z.strictObject({
  num_words: countSchema,
  relation: relationSchema,
});

export const numberWords: CheckDefinition<z.infer<typeof numberWordsSchema>> = {
  id: "length_constraints:number_words",
  kwargsSchema: numberWordsSchema,
  check(text, { num_words, relation }) {
    return compare(countWords(text), relation, num_words);
  },
};

const FIRST_WORD_STOP = new Set([".", ",", "?", "!", "'", '"']);

const nthParagraphSchema = z
  .strictObject({
    num_paragraphs: countSchema,
    nth_paragraph: z.number().int().positive(),
    first_word: z.string(),
  })
  .refine((k) => k.nth_paragraph <= k.num_paragraphs, {
    message: "must not exceed num_paragraphs",
    path: ["nth_paragraph"],
  });

export const nthParagraphFirstWord: CheckDefinition<z.infer<typeof nthParagraphSchema>> = {
  id: "length_constraints:nth_paragraph_first_word",
  kwargsSchema: nthParagraphSchema,
  check(text, { num_paragraphs, nth_paragraph, first_word }) {
    // Paragraphs: a literal "\n\n" split; blank pieces anywhere are not counted, but the nth
    // paragraph is taken from the raw list, so a blank piece before it shifts positions.
    const paragraphs = text.split("\n\n");
    let count = paragraphs.length;
    for (const p of paragraphs) if (!pyStrip(p)) count--;
    if (nth_paragraph > count) return false;
    const paragraph = pyStrip(paragraphs[nth_paragraph - 1]!);
    if (!paragraph) return false;

    let word = pySplitWhitespace(paragraph)[0]!;
    word = pyLStrip(pyLStrip(word, "'"), '"');
    let first = "";
    for (const ch of word) {
      if (FIRST_WORD_STOP.has(ch)) break;
      first += pyLower(ch);
    }
    return count === num_paragraphs && first === pyLower(first_word);
  },
};
