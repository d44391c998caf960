/**
 * Python `str` semantics (CPython 3.x) the IFEval checks depend on: the whitespace and word
 * character classes (also used by re.ts), strip/split/len on code points, isupper/islower/lower.
 */

// ---------------------------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------------------------

/** Code points for which Python's `str.isspace()` (and `re`'s `\s`) is true. */
export const PY_SPACE_CODE_POINTS: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

const PY_SPACE_SET = new Set(PY_SPACE_CODE_POINTS);

export function classEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** The members of Python's `\s` as the inside of a JS character class (use with the `u` flag). */
export const PY_SPACE_CLASS_BODY =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
/** Python `\s` as JS regex source (`u` flag). */
export const PY_S = `[${PY_SPACE_CLASS_BODY}]`;
/** Python `\S` as JS regex source (`u` flag). */
export const PY_NOT_S = `[^${PY_SPACE_CLASS_BODY}]`;
/** The members of Python's `\w` as the inside of a JS character class (use with the `u` flag). */
export const PY_WORD_CLASS_BODY = "\\p{L}\\p{N}_";
/** Python `\w` as JS regex source (`u` flag). */
export const PY_W = `[${PY_WORD_CLASS_BODY}]`;
/** Python `\W` as JS regex source (`u` flag). */
export const PY_NOT_W = `[^${PY_WORD_CLASS_BODY}]`;
/** Python `\d` (Unicode decimal digits) as JS regex source (`u` flag). */
export const PY_D = "\\p{Nd}";
/** Python `\D` as JS regex source (`u` flag). */
export const PY_NOT_D = "\\P{Nd}";
/** Python's Unicode-aware `\b` as JS regex source (`u` flag). */
export const PY_B = `(?:(?<=${PY_W})(?!${PY_W})|(?<!${PY_W})(?=${PY_W}))`;
/** Python's `\B` as JS regex source (`u` flag). */
export const PY_NOT_B = `(?:(?<=${PY_W})(?=${PY_W})|(?<!${PY_W})(?!${PY_W}))`;

/** Python `str.isspace()` for a whole string (false for ""). */
export function pyIsSpace(text: string): boolean {
  if (text.length === 0) return false;
  for (const ch of text) if (!PY_SPACE_SET.has(ch.codePointAt(0)!)) return false;
  return true;
}

/** True when the code point is a Python whitespace character. */
export function pyIsSpaceCodePoint(cp: number): boolean {
  return PY_SPACE_SET.has(cp);
}

function stripSet(chars: string | undefined): (cp: number) => boolean {
  if (chars === undefined) return (cp) => PY_SPACE_SET.has(cp);
  const set = new Set(Array.from(chars, (c) => c.codePointAt(0)!));
  return (cp) => set.has(cp);
}

/** Python `str.lstrip(chars)`; without `chars`, Python whitespace. */
export function pyLStrip(text: string, chars?: string): string {
  const inSet = stripSet(chars);
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (!inSet(cp)) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return text.slice(i);
}

/** Python `str.rstrip(chars)`; without `chars`, Python whitespace. */
export function pyRStrip(text: string, chars?: string): string {
  const inSet = stripSet(chars);
  let end = text.length;
  while (end > 0) {
    let start = end - 1;
    const low = text.charCodeAt(start);
    if (low >= 0xdc00 && low <= 0xdfff && start > 0) {
      const high = text.charCodeAt(start - 1);
      if (high >= 0xd800 && high <= 0xdbff) start -= 1;
    }
    if (!inSet(text.codePointAt(start)!)) break;
    end = start;
  }
  return text.slice(0, end);
}

/** Python `str.strip(chars)`; without `chars`, Python whitespace (not JS `trim()`). */
export function pyStrip(text: string, chars?: string): string {
  return pyRStrip(pyLStrip(text, chars), chars);
}

/** Python `str.split()` with no separator: runs of Python whitespace, no empty pieces. */
export function pySplitWhitespace(text: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const ch of text) {
    if (PY_SPACE_SET.has(ch.codePointAt(0)!)) {
      if (current) out.push(current);
      current = "";
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}

/** Python `len(s)`: the number of code points. */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

const UPPER_RE = /\p{Uppercase}/u;
const LOWER_RE = /\p{Lowercase}/u;
const LOWER_OR_TITLE_RE = /[\p{Lowercase}\p{Lt}]/u;
const UPPER_OR_TITLE_RE = /[\p{Uppercase}\p{Lt}]/u;

/** Python `str.isupper()`: some cased character, and no lowercase or titlecase character. */
export function pyIsUpper(text: string): boolean {
  return UPPER_RE.test(text) && !LOWER_OR_TITLE_RE.test(text);
}

/** Python `str.islower()`: some cased character, and no uppercase or titlecase character. */
export function pyIsLower(text: string): boolean {
  return LOWER_RE.test(text) && !UPPER_OR_TITLE_RE.test(text);
}

/** Python `str.lower()`. JS `toLowerCase()` applies the same full Unicode mapping (final sigma too). */
export function pyLower(text: string): string {
  return text.toLowerCase();
}
