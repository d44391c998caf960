/** Repairs for startend:* and punctuation:no_comma. */
import { pyLStrip, pyLower, pyRStrip, pyStrip } from "../python";
import { appendContent, applyCase, caseStyle, escapeRegExp } from "./text";
import { fail, type Fixer } from "./types";

export const endChecker: Fixer = (text, kwargs, ctx) => {
  const phrase = pyStrip(String(kwargs.end_phrase ?? ""));
  if (!phrase) return fail("empty end phrase");
  const quoted = pyLStrip(text).startsWith('"');
  const trailing = text.slice(pyRStrip(text).length);
  // The phrase is there, followed only by punctuation or markup ("… with me..", "… need!**"): cut that.
  let last: RegExpMatchArray | undefined;
  for (const m of text.matchAll(new RegExp(escapeRegExp(phrase), "giu"))) last = m;
  if (last) {
    const end = last.index! + last[0].length;
    const rest = text.slice(end);
    if (pyStrip(rest) !== "" && !/[\p{L}\p{N}_]/u.test(rest)) {
      return text.slice(0, end) + (quoted && rest.includes('"') ? '"' : "") + trailing;
    }
  }
  // The phrase without its final punctuation ends the text: add the punctuation.
  const punct = /[^\p{L}\p{N}_\s]+$/u.exec(phrase);
  if (punct) {
    const stem = pyLower(phrase.slice(0, punct.index));
    const core = pyRStrip(pyRStrip(pyRStrip(text), '"'));
    if (stem && pyLower(core).endsWith(stem)) return core + punct[0] + text.slice(core.length);
  }
  return appendContent(text, applyCase(phrase, caseStyle(text)), ctx, "paragraph");
};

const CURLY_PAIRS: [string, string][] = [
  ["“", "”"],
  ["„", "“"],
  ["«", "»"],
];

export const quotation: Fixer = (text) => {
  const lead = text.slice(0, text.length - pyLStrip(text).length);
  const trail = text.slice(pyRStrip(text).length);
  const core = pyStrip(text);
  // Typographic quotes around the whole answer: make them straight.
  for (const [open, close] of CURLY_PAIRS) {
    if (core.length > 1 && core.startsWith(open) && core.endsWith(close)) {
      return `${lead}"${core.slice(open.length, core.length - close.length)}"${trail}`;
    }
  }
  return `${lead}"${core}"${trail}`;
};

export const noComma: Fixer = (text) => text.replaceAll(",", "");
