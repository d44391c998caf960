/**
 * Python (CPython 3.x `str` and `re`) semantics that the IFEval checks depend on, written for
 * JavaScript strings (spec §3). Everything here works on code points, never on UTF-16 units,
 * unless a function says otherwise.
 *
 * - `\s`, `str.isspace()` and `str.strip()` use Python's whitespace set (which is not JS's).
 * - `\w` is `[\p{L}\p{N}_]` (letters and numbers, not combining marks); `\b` is built from it.
 * - `isupper()` / `islower()` follow the Unicode Uppercase / Lowercase / Lt properties.
 * - `pyRegex()` translates a Python regular expression (the checks' fixed patterns and the
 *   user-supplied, unescaped keywords) into an equivalent JS `RegExp`.
 * - `pyJsonLoads()` accepts exactly what `json.loads` accepts (including NaN / Infinity).
 * - `pyJsonDumps()` writes what `json.dumps` writes with default arguments (", " / ": " separators,
 *   ASCII-only output).
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

function classEscape(cp: number): string {
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

// ---------------------------------------------------------------------------------------------
// Regular expressions
// ---------------------------------------------------------------------------------------------

/** The pattern is not a valid Python regular expression (Python would raise `re.error`), or uses
 *  a construct this translator does not support. */
export class PyRegexError extends Error {
  constructor(
    message: string,
    readonly pattern: string,
  ) {
    super(`${message} in pattern ${JSON.stringify(pattern)}`);
    this.name = "PyRegexError";
  }
}

export interface PyRegexFlags {
  /** `re.IGNORECASE` */
  ignoreCase?: boolean;
  /** `re.MULTILINE` */
  multiline?: boolean;
}

/** A Python pattern compiled for JS. `regex` carries the `g` flag; use the helpers below. */
export interface PyPattern {
  readonly source: string;
  readonly regex: RegExp;
  /** Number of capturing groups (what `re.split` adds to its result per match). */
  readonly groups: number;
}

const JS_SYNTAX = new Set(Array.from("^$\\.*+?()[]{}|/"));
const HEX = /^[0-9a-fA-F]+$/;

interface ClassItem {
  /** Positive members as JS class-body source. */
  body: string;
  /** Negated Python escapes inside the class (`\W`, `\S`): their JS complement class bodies. */
  negated: string[];
}

class Translator {
  private pos = 0;
  private readonly cps: string[];
  private out = "";
  ignoreCase: boolean;
  multiline: boolean;
  dotAll = false;
  groups = 0;

  constructor(
    private readonly pattern: string,
    flags: PyRegexFlags,
  ) {
    this.cps = Array.from(pattern);
    this.ignoreCase = !!flags.ignoreCase;
    this.multiline = !!flags.multiline;
  }

  private fail(message: string): never {
    throw new PyRegexError(message, this.pattern);
  }

  private peek(offset = 0): string | undefined {
    return this.cps[this.pos + offset];
  }

  translate(): string {
    this.leadingFlags();
    while (this.pos < this.cps.length) this.atom();
    return this.out;
  }

  /** `(?imsx)`-style global flags at the start of the pattern (Python 3.11 allows them only there). */
  private leadingFlags(): void {
    for (;;) {
      if (this.peek() !== "(" || this.peek(1) !== "?") return;
      let j = 2;
      let letters = "";
      while (this.peek(j) !== undefined && /[aiLmsux]/.test(this.peek(j)!)) letters += this.peek(j++);
      if (!letters || this.peek(j) !== ")") return;
      for (const f of letters) {
        if (f === "i") this.ignoreCase = true;
        else if (f === "m") this.multiline = true;
        else if (f === "s") this.dotAll = true;
        else if (f === "u") continue;
        else this.fail(`unsupported inline flag (?${f})`);
      }
      this.pos += j + 1;
    }
  }

  private emitLiteral(ch: string): void {
    this.out += JS_SYNTAX.has(ch) ? `\\${ch}` : ch === "-" ? "-" : ch;
  }

  private atom(): void {
    const ch = this.cps[this.pos++]!;
    switch (ch) {
      case "\\":
        this.escape();
        return;
      case ".":
        this.out += this.dotAll ? "[\\s\\S]" : "[^\\n]";
        return;
      case "^":
        this.out += this.multiline ? "(?<![^\\n])" : "(?<![\\s\\S])";
        return;
      case "$":
        this.out += this.multiline ? "(?=\\n|(?![\\s\\S]))" : "(?=\\n?(?![\\s\\S]))";
        return;
      case "[":
        this.characterClass();
        return;
      case "(":
        this.group();
        return;
      case ")":
      case "|":
        this.out += ch;
        return;
      case "*":
      case "+":
      case "?":
        this.out += ch;
        this.quantifierSuffix();
        return;
      case "{":
        this.brace();
        return;
      case "}":
      case "]":
        this.out += `\\${ch}`;
        return;
      default:
        this.emitLiteral(ch);
    }
  }

  private quantifierSuffix(): void {
    if (this.peek() === "?") {
      this.out += "?";
      this.pos++;
    } else if (this.peek() === "+") this.fail("unsupported possessive quantifier");
  }

  private brace(): void {
    // sre_parse: "{" starts a repeat only as {lo}, {lo,}, {,hi}, {lo,hi} (ASCII digits); else literal.
    let j = this.pos;
    let lo = "";
    let hi: string | undefined;
    while (/[0-9]/.test(this.cps[j] ?? "")) lo += this.cps[j++];
    if (this.cps[j] === ",") {
      j++;
      hi = "";
      while (/[0-9]/.test(this.cps[j] ?? "")) hi += this.cps[j++];
    }
    if (this.cps[this.pos] === "}" || this.cps[j] !== "}") {
      this.out += "\\{";
      return;
    }
    this.pos = j + 1;
    const min = lo === "" ? "0" : String(Number(lo));
    if (hi === undefined) this.out += `{${min}}`;
    else if (hi === "") this.out += `{${min},}`;
    else {
      if (Number(hi) < Number(min)) this.fail("min repeat greater than max repeat");
      this.out += `{${min},${Number(hi)}}`;
    }
    this.quantifierSuffix();
  }

  private group(): void {
    if (this.peek() !== "?") {
      this.groups++;
      this.out += "(";
      return;
    }
    const next = this.peek(1);
    if (next === ":" || next === "=" || next === "!") {
      this.out += `(?${next}`;
      this.pos += 2;
    } else if (next === "<" && (this.peek(2) === "=" || this.peek(2) === "!")) {
      this.out += `(?<${this.peek(2)}`;
      this.pos += 3;
    } else if (next === "P" && this.peek(2) === "<") {
      this.pos += 3;
      const name = this.readName(">");
      this.groups++;
      this.out += `(?<${name}>`;
    } else if (next === "P" && this.peek(2) === "=") {
      this.pos += 3;
      const name = this.readName(")");
      this.out += `\\k<${name}>`;
    } else if (next === "#") {
      while (this.pos < this.cps.length && this.cps[this.pos] !== ")") this.pos++;
      if (this.pos >= this.cps.length) this.fail("missing ), unterminated comment");
      this.pos++;
    } else this.fail("unknown or unsupported group extension");
  }

  private readName(terminator: string): string {
    let name = "";
    while (this.pos < this.cps.length && this.cps[this.pos] !== terminator) name += this.cps[this.pos++];
    if (this.pos >= this.cps.length) this.fail("missing group name terminator");
    this.pos++;
    if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) this.fail(`bad character in group name ${name}`);
    return name;
  }

  /** Escape outside a class. */
  private escape(): void {
    const ch = this.cps[this.pos++];
    if (ch === undefined) this.fail("bad escape (end of pattern)");
    switch (ch) {
      case "w":
        this.out += PY_W;
        return;
      case "W":
        this.out += PY_NOT_W;
        return;
      case "s":
        this.out += PY_S;
        return;
      case "S":
        this.out += PY_NOT_S;
        return;
      case "d":
        this.out += PY_D;
        return;
      case "D":
        this.out += PY_NOT_D;
        return;
      case "b":
        this.out += PY_B;
        return;
      case "B":
        this.out += PY_NOT_B;
        return;
      case "A":
        this.out += "(?<![\\s\\S])";
        return;
      case "Z":
        this.out += "(?![\\s\\S])";
        return;
    }
    if (/[1-9]/.test(ch)) {
      let digits = ch;
      if (/[0-9]/.test(this.peek() ?? "")) {
        // Three octal digits make an octal escape; otherwise up to two digits are a group number.
        if (/[0-7]/.test(ch) && /[0-7]/.test(this.peek()!) && /[0-7]/.test(this.peek(1) ?? "")) {
          const oct = ch + this.peek()! + this.peek(1)!;
          this.pos += 2;
          const cp = parseInt(oct, 8);
          if (cp > 0o377) this.fail("octal escape value outside of range 0-0o377");
          this.out += classEscape(cp);
          return;
        }
        digits += this.cps[this.pos++]!;
      }
      if (Number(digits) > this.groups) this.fail(`invalid group reference ${digits}`);
      this.out += `(?:\\${digits})`;
      return;
    }
    const cp = this.simpleEscape(ch);
    this.out += classEscape(cp);
  }

  /** Escapes that denote one character (shared by classes and the top level). */
  private simpleEscape(ch: string): number {
    switch (ch) {
      case "a":
        return 7;
      case "f":
        return 12;
      case "n":
        return 10;
      case "r":
        return 13;
      case "t":
        return 9;
      case "v":
        return 11;
      case "0": {
        let oct = "0";
        while (oct.length < 3 && /[0-7]/.test(this.peek() ?? "")) oct += this.cps[this.pos++];
        return parseInt(oct, 8);
      }
      case "x":
        return this.hexDigits(2);
      case "u":
        return this.hexDigits(4);
      case "U": {
        const cp = this.hexDigits(8);
        if (cp > 0x10ffff) this.fail("bad escape \\U");
        return cp;
      }
    }
    if (/[A-Za-z0-9]/.test(ch)) this.fail(`bad escape \\${ch}`);
    return ch.codePointAt(0)!;
  }

  private hexDigits(n: number): number {
    const digits = this.cps.slice(this.pos, this.pos + n).join("");
    if (digits.length !== n || !HEX.test(digits)) this.fail("incomplete escape");
    this.pos += n;
    return parseInt(digits, 16);
  }

  private characterClass(): void {
    let negate = false;
    if (this.peek() === "^") {
      negate = true;
      this.pos++;
    }
    const item: ClassItem = { body: "", negated: [] };
    let first = true;
    for (;;) {
      const ch = this.cps[this.pos];
      if (ch === undefined) this.fail("unterminated character set");
      if (ch === "]" && !first) {
        this.pos++;
        break;
      }
      first = false;
      this.pos++;
      const lo = this.classMember(ch, item);
      if (lo === null) continue;
      if (this.peek() === "-" && this.peek(1) !== undefined && this.peek(1) !== "]") {
        this.pos++;
        const hiCh = this.cps[this.pos++]!;
        const hi = this.classMember(hiCh, null);
        if (hi === null || hi < lo) this.fail("bad character range");
        item.body += `${classEscape(lo)}-${classEscape(hi)}`;
      } else item.body += classEscape(lo);
    }
    if (item.negated.length === 0) {
      if (item.body === "") this.out += negate ? "[\\s\\S]" : "[]";
      else this.out += `[${negate ? "^" : ""}${item.body}]`;
      return;
    }
    // A class holding \W or \S: spell out the union (or, negated, the intersection) with lookarounds.
    if (!negate) {
      const parts = item.negated.map((body) => `[^${body}]`);
      if (item.body) parts.unshift(`[${item.body}]`);
      this.out += `(?:${parts.join("|")})`;
    } else {
      const guards = item.negated.slice(1).map((body) => `(?=[${body}])`);
      const exclude = item.body ? `(?![${item.body}])` : "";
      this.out += `(?:${exclude}${guards.join("")}[${item.negated[0]}])`;
    }
  }

  /**
   * One class member. Returns its code point when it is a single character (so it can start or
   * end a range), or null after adding a multi-character escape to `item`.
   */
  private classMember(ch: string, item: ClassItem | null): number | null {
    if (ch !== "\\") return ch.codePointAt(0)!;
    const e = this.cps[this.pos++];
    if (e === undefined) this.fail("bad escape (end of pattern)");
    const setEscapes: Record<string, [string, boolean]> = {
      w: [PY_WORD_CLASS_BODY, false],
      W: [PY_WORD_CLASS_BODY, true],
      s: [PY_SPACE_CLASS_BODY, false],
      S: [PY_SPACE_CLASS_BODY, true],
      d: [PY_D, false],
      D: [PY_NOT_D, false],
    };
    const set = setEscapes[e];
    if (set) {
      if (!item) this.fail("bad character range");
      if (set[1]) item.negated.push(set[0]);
      else item.body += set[0];
      return null;
    }
    if (e === "b") return 8;
    if (/[1-7]/.test(e)) {
      // Inside a class a digit escape is octal.
      let oct = e;
      while (oct.length < 3 && /[0-7]/.test(this.peek() ?? "")) oct += this.cps[this.pos++];
      return parseInt(oct, 8);
    }
    return this.simpleEscape(e);
  }
}

const patternCache = new Map<string, PyPattern>();

/**
 * Compiles a Python regular expression for JS (the result is cached). Throws `PyRegexError`
 * where Python's `re.compile` would raise (as far as JS detects it) or for unsupported syntax.
 */
export function pyRegex(pattern: string, flags: PyRegexFlags = {}): PyPattern {
  const cacheKey = `${flags.ignoreCase ? "i" : "-"}${flags.multiline ? "m" : "-"}${pattern}`;
  const cached = patternCache.get(cacheKey);
  if (cached) return cached;
  const t = new Translator(pattern, flags);
  const source = t.translate();
  let regex: RegExp;
  try {
    regex = new RegExp(source, `g${t.ignoreCase ? "i" : ""}u`);
  } catch (err) {
    throw new PyRegexError((err as Error).message.replace(/^Invalid regular expression: /, ""), pattern);
  }
  const compiled: PyPattern = { source, regex, groups: t.groups };
  if (patternCache.size > 10_000) patternCache.clear();
  patternCache.set(cacheKey, compiled);
  return compiled;
}

/** `re.search(pattern, text)` is not None. */
export function pySearch(p: PyPattern, text: string): boolean {
  p.regex.lastIndex = 0;
  const found = p.regex.test(text);
  p.regex.lastIndex = 0;
  return found;
}

/**
 * `re.findall(pattern, text)` as the list of whole-match strings (non-overlapping, left to right).
 * Known gap: after an empty match Python may still find a non-empty match at the same position;
 * JS moves on (only matters for patterns that prefer an empty match, like `a??`).
 */
export function pyFindAll(p: PyPattern, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(p.regex)) out.push(m[0]);
  return out;
}

/** `len(re.findall(pattern, text))`. */
export function pyFindAllCount(p: PyPattern, text: string): number {
  let n = 0;
  for (const _ of text.matchAll(p.regex)) n++;
  return n;
}

/** `len(re.split(pattern, text))`: one piece per match plus one, plus every capturing group per match. */
export function pySplitCount(p: PyPattern, text: string): number {
  return pyFindAllCount(p, text) * (1 + p.groups) + 1;
}

/** `re.split(pattern, text)` for patterns without capturing groups that cannot match empty. */
export function pySplit(p: PyPattern, text: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(p.regex)) {
    out.push(text.slice(last, m.index));
    for (let g = 1; g < m.length; g++) out.push(m[g] as string);
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

export type PyJsonResult = { ok: true; value: unknown } | { ok: false; error: string };

class JsonDecodeError extends Error {}

/**
 * Python `json.loads(text)` (CPython's C scanner, strict mode): succeeds exactly when Python's
 * would. Beyond JSON it accepts `NaN`, `Infinity` and `-Infinity`; like Python it rejects a BOM,
 * trailing commas, control characters inside strings and anything after the value except
 * whitespace (space, tab, LF, CR).
 */
export function pyJsonLoads(text: string): PyJsonResult {
  try {
    return { ok: true, value: new JsonParser(text).parseDocument() };
  } catch (err) {
    if (err instanceof JsonDecodeError) return { ok: false, error: err.message };
    if (err instanceof RangeError) return { ok: false, error: "maximum recursion depth exceeded" };
    throw err;
  }
}

/** CPython's number grammar (ASCII digits only in the C scanner); sticky. */
const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;

class JsonParser {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(message: string): never {
    throw new JsonDecodeError(`${message}: char ${this.i}`);
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  parseDocument(): unknown {
    if (this.s.charCodeAt(0) === 0xfeff) this.fail("Unexpected UTF-8 BOM (decode using utf-8-sig)");
    this.ws();
    const value = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail("Extra data");
    return value;
  }

  private startsWith(word: string): boolean {
    return this.s.startsWith(word, this.i);
  }

  private value(): unknown {
    const s = this.s;
    const c = s[this.i];
    switch (c) {
      case '"':
        return this.string();
      case "{":
        return this.object();
      case "[":
        return this.array();
      case "n":
        if (this.startsWith("null")) return ((this.i += 4), null);
        break;
      case "t":
        if (this.startsWith("true")) return ((this.i += 4), true);
        break;
      case "f":
        if (this.startsWith("false")) return ((this.i += 5), false);
        break;
      case "N":
        if (this.startsWith("NaN")) return ((this.i += 3), NaN);
        break;
      case "I":
        if (this.startsWith("Infinity")) return ((this.i += 8), Infinity);
        break;
      case "-":
        if (this.startsWith("-Infinity")) return ((this.i += 9), -Infinity);
        break;
    }
    NUMBER_RE.lastIndex = this.i;
    const m = NUMBER_RE.exec(s);
    if (m) {
      this.i += m[0].length;
      return Number(m[0]);
    }
    this.fail("Expecting value");
  }

  private string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = "";
    let chunkStart = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail("Unterminated string starting at");
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(chunkStart, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail("Invalid control character at");
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += s.slice(chunkStart, this.i);
      const e = s[this.i + 1];
      if (e === undefined) this.fail("Unterminated string starting at");
      const simple: Record<string, string> = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (e in simple) {
        out += simple[e];
        this.i += 2;
      } else if (e === "u") {
        const hex = s.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("Invalid \\uXXXX escape");
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 6;
      } else this.fail("Invalid \\escape");
      chunkStart = this.i;
    }
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.s[this.i] !== '"') this.fail("Expecting property name enclosed in double quotes");
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ":") this.fail("Expecting ':' delimiter");
      this.i++;
      this.ws();
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s[this.i];
      if (c === "}") {
        this.i++;
        return out;
      }
      if (c !== ",") this.fail("Expecting ',' delimiter");
      this.i++;
      this.ws();
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i];
      if (c === "]") {
        this.i++;
        return out;
      }
      if (c !== ",") this.fail("Expecting ',' delimiter");
      this.i++;
      this.ws();
    }
  }
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/** A JSON string literal as Python's `json.dumps` writes it (ensure_ascii: every non-printable-ASCII
 *  UTF-16 unit as a lowercase `\uXXXX`). */
export function pyJsonString(text: string): string {
  return `"${text.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, (ch) => ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/**
 * Python `json.dumps(value)` with default arguments, for strings, booleans, null, finite and
 * non-finite numbers, arrays and plain objects (keys in insertion order).
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return pyJsonString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? String(value) : pyFloatRepr(value);
  }
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyJsonString(k)}: ${pyJsonDumps(v)}`)
      .join(", ")}}`;
  }
  throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
}

/** Python `repr(float)`: shortest round-trip digits; exponent form below 1e-4 or from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const negative = mantissa!.startsWith("-");
  const digits = mantissa!.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || "0"}`;
}
