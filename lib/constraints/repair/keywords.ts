/**
 * Repairs for keywords:existence and keywords:frequency ("at least" one more). forbidden_words,
 * letter_frequency and "less than" frequencies have no repair: they can only be met by deleting.
 */
import { pyRegex, pySearch, pyStrip, PyRegexError, type PyPattern } from "../python";
import { appendContent, applyCase, caseStyle, listPhrase } from "./text";
import { fail, type Fixer, type RepairContext } from "./types";

function compile(pattern: string): PyPattern | null {
  try {
    return pyRegex(pattern, { ignoreCase: true });
  } catch (err) {
    if (err instanceof PyRegexError) return null;
    throw err;
  }
}

function matches(p: PyPattern, text: string): RegExpMatchArray[] {
  return [...text.matchAll(p.regex)];
}

/**
 * A line naming the keywords, added as its own paragraph: a complete element a reader can see was
 * added, never a word glued into a sentence.
 */
function keywordLine(text: string, keywords: readonly string[], ctx: RepairContext): string {
  const line = applyCase(`Keywords: ${listPhrase(keywords, ctx)}.`, caseStyle(text));
  return appendContent(text, line, ctx, "paragraph", line);
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
  return keywordLine(text, missing, ctx);
};

export const frequency: Fixer = (text, kwargs, ctx) => {
  const keyword = pyStrip(String(kwargs.keyword ?? ""));
  const n = Number(kwargs.frequency);
  const p = compile(keyword);
  if (!p || !keyword) return fail(`keyword ${JSON.stringify(keyword)} is not a usable pattern`);
  if (kwargs.relation !== "at least") {
    return fail(`using "${keyword}" fewer than ${n} times means deleting content; rule-based repair never deletes`);
  }
  const need = n - matches(p, text).length;
  if (need <= 0) return text;
  if (need > 1) return fail(`"${keyword}" is missing ${need} times; repeating it needs sentences a model would write`);
  return keywordLine(text, [keyword], ctx);
};
