/**
 * Repairs for length_constraints:number_sentences ("at least": split clauses), number_paragraphs
 * (regroup) and nth_paragraph_first_word (regroup, unwrap the word). number_words has no repair:
 * more words need a model, fewer mean deleting content.
 */
import { countWords } from "../checks/index";
import { pyLower, pyLStrip, pyRStrip, pySplitWhitespace, pyStrip } from "../python";
import {
  applyCase,
  blocksExactly,
  caseStyle,
  contentBlocks,
  dropDividerLines,
  isDividerBlock,
  overlaps,
  protectedRanges,
  splitBlocks,
  type CaseStyle,
} from "./text";
import { fail, type Fixer, type RepairContext } from "./types";

function capitalise(word: string, style: CaseStyle): string {
  if (style !== "mixed") return applyCase(word, style);
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** One edit that should add a sentence without adding words; null when none is left. */
function splitOneSentence(text: string, ctx: RepairContext): string | null {
  const style = caseStyle(text);
  const guarded = protectedRanges(text, ctx);
  // 1. A line that ends without final punctuation, followed by another line: end it with a period.
  let inFence = false;
  let offset = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const end = offset + pyRStrip(line).length;
    offset += line.length + 1;
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (inFence || i === lines.length - 1) continue;
    if (!lines.slice(i + 1).some((l) => pyStrip(l) !== "")) continue;
    if (!/[\p{L}\p{N})*_]$/u.test(pyRStrip(line)) || countWords(line) < 1) continue;
    if (/^\s*(?:#|<<)/u.test(line)) continue; // headings and titles stay as they are
    if (overlaps({ start: end - 1, end: end + 1 }, guarded)) continue;
    return `${text.slice(0, end)}.${text.slice(end)}`;
  }
  // 2. "; " between clauses, then ", and" / ", but" / ", so" / ", yet": a period instead.
  for (const re of [/; (\p{L})/gu, /, (and|but|so|yet) /giu]) {
    for (const m of text.matchAll(re)) {
      const range = { start: m.index, end: m.index + m[0].length };
      if (overlaps(range, guarded)) continue;
      const rest = m[0].slice(2);
      const replaced = `. ${capitalise(rest, style)}`;
      return text.slice(0, m.index) + replaced + text.slice(m.index + m[0].length);
    }
  }
  return null;
}

export const numberSentences: Fixer = (text, kwargs, ctx) => {
  const n = Number(kwargs.num_sentences);
  if (kwargs.relation === "less than") {
    return fail(`fewer than ${n} sentences means cutting content; rule-based repair never deletes`);
  }
  let current = text;
  for (let i = 0; i < 500 && !ctx.passes(current); i++) {
    const next = splitOneSentence(current, ctx);
    if (next === null)
      return fail(`the response has too few sentences to split into ${n}; adding content needs a model`);
    current = next;
  }
  return current;
};

export const numberParagraphs: Fixer = (text, kwargs) => {
  const n = Number(kwargs.num_paragraphs);
  const blocks = contentBlocks(text);
  const groups = blocksExactly(blocks, n);
  if (!groups) return fail(`the response is too short to make ${n} paragraphs`);
  const out = groups.join("\n\n***\n\n");
  if (/\*\*\*/.test(groups.join("")))
    return fail("the text itself holds *** (markdown bold italic), which the check reads as a divider");
  return out;
};

const FIRST_WORD_STOP = /[.,?!'"]/u;

/** The first word as the check reads it (spec §2.1 step 3). */
function firstWordOf(paragraph: string): string {
  let word = pySplitWhitespace(pyStrip(paragraph))[0] ?? "";
  word = pyLStrip(pyLStrip(word, "'"), '"');
  const stop = word.search(FIRST_WORD_STOP);
  return pyLower(stop >= 0 ? word.slice(0, stop) : word);
}

/**
 * The paragraph opening with `firstWord` once markup or punctuation around it is dropped
 * ("**Dog**" → "Dog"), or null when the word is not its first word.
 */
function fixFirstWord(paragraph: string, firstWord: string): string | null {
  const want = pyLower(firstWord);
  if (firstWordOf(paragraph) === want) return paragraph;
  const lead = paragraph.length - pyLStrip(paragraph).length;
  const body = paragraph.slice(lead);
  const token = pySplitWhitespace(body)[0] ?? "";
  // Markdown or punctuation around the right word ("**Dog**", "Dog:"): keep the word only.
  const cleaned = token.replace(/^[*_#>`(\[-]+/u, "").replace(/[^\p{L}\p{N}_]+$/u, "");
  if (cleaned && pyLower(cleaned) === want) return paragraph.slice(0, lead) + cleaned + body.slice(token.length);
  // A word put in front of a sentence is a fragment ("Maximum To find…"): no repair.
  return null;
}

export const nthParagraphFirstWord: Fixer = (text, kwargs) => {
  const n = Number(kwargs.num_paragraphs);
  const nth = Number(kwargs.nth_paragraph);
  const firstWord = String(kwargs.first_word ?? "");
  if (!(nth >= 1 && nth <= n)) return fail("nth_paragraph is outside 1..num_paragraphs");
  if (!firstWord || /[\s.,?!'"]/u.test(firstWord)) return fail(`"${firstWord}" can never be read as a first word`);
  const blocks = splitBlocks(dropDividerLines(text)).filter((b) => !isDividerBlock(b));
  // Merged paragraphs keep their lines but lose the blank line (the check splits on "\n\n").
  const groups = blocksExactly(blocks, n, "\n");
  if (!groups) return fail(`the response is too short to make ${n} paragraphs`);
  const fixed = fixFirstWord(groups[nth - 1]!, firstWord);
  if (fixed === null)
    return fail(`paragraph ${nth} does not open with "${firstWord}"; putting the word in front would glue a fragment`);
  groups[nth - 1] = fixed;
  return groups.join("\n\n");
};
