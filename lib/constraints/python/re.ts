import {
  classEscape,
  PY_B,
  PY_D,
  PY_NOT_B,
  PY_NOT_D,
  PY_NOT_S,
  PY_NOT_W,
  PY_S,
  PY_SPACE_CLASS_BODY,
  PY_W,
  PY_WORD_CLASS_BODY,
} from "./str.ts";

/**
 * Python `re` semantics: `pyRegex()` translates a Python regular expression (the checks' fixed
 * patterns and user-supplied keywords) into an equivalent JS `RegExp`; search/findall/split helpers.
 */

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

/** Compiled patterns by flags (index: ignoreCase + 2 * multiline), then by the pattern itself (no key to build per call). */
const patternCaches = [0, 1, 2, 3].map(() => new Map<string, PyPattern>());

/**
 * Compiles a Python regular expression for JS (the result is cached). Throws `PyRegexError`
 * where Python's `re.compile` would raise (as far as JS detects it) or for unsupported syntax.
 */
export function pyRegex(pattern: string, flags: PyRegexFlags = {}): PyPattern {
  const cache = patternCaches[(flags.ignoreCase ? 1 : 0) + (flags.multiline ? 2 : 0)]!;
  const cached = cache.get(pattern);
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
  if (cache.size > 10_000) cache.clear();
  cache.set(pattern, compiled);
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
