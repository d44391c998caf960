/**
 * Punkt sentence splitter, English model — behaves like `nltk.sent_tokenize(text)` in NLTK 3.8
 * (PunktSentenceTokenizer with the pretrained English parameters). IFEval counts sentences with it
 * (spec §4.2), and `word_tokenize` runs it first (spec §4.3).
 *
 * Algorithm (Kiss & Strunk 2006, as implemented by NLTK 3.8):
 *  1. Candidate ends: every `.`, `?` or `!` that is followed either by a character that cannot be
 *     inside a word or by whitespace and a further token.
 *  2. For each candidate, a short context (the word before it, the mark, what follows) is split
 *     into Punkt word tokens and annotated: a first pass by token type (sentence-end marks,
 *     ellipses, known abbreviations incl. the last part of hyphenated words, other period-final
 *     tokens), then a second pass that revisits period-final tokens using the next token:
 *     collocations, the orthographic heuristic, frequent sentence starters, initials, numbers.
 *     The candidate is a break when some token other than the last is a sentence break.
 *  3. Breaks become slices; slices are realigned so closing quotes and brackets that follow the
 *     mark stay with their sentence.
 *
 * Everything is pure (no I/O) and all regexes and sets are built once at module load. Python
 * regex semantics are emulated: `\s` is Python's Unicode whitespace set, `\w` is
 * `[\p{L}\p{N}_]`, `\d` is `\p{Nd}`, and the English pickle's language variables are the defaults
 * (sentence-end chars `.?!`). String indices are UTF-16 offsets throughout; the algorithm only
 * compares and slices them, so the results equal Python's code-point based ones.
 */
import { ABBREV_TYPES, COLLOCATIONS, ORTHO_CONTEXT, SENT_STARTERS } from "./punkt-params.generated";

// ---------------------------------------------------------------------------------------------
// Python character classes

/** Body of a character class equal to Python's `\s` (`str.isspace()`). */
export const PY_SPACE_CLASS =
  "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const SPACE = `[${PY_SPACE_CLASS}]`;
const NON_SPACE = `[^${PY_SPACE_CLASS}]`;
/** Python whitespace except the newline (Punkt tokenizes line by line; see TOKEN_RE). */
const SPACE_NOT_NL = "[\\t\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";

/** True for the UTF-16 code unit of a Python whitespace character (all of them are in the BMP). */
export function isPySpaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Length of `s` after Python's `str.rstrip()`. */
function pyRstripLength(s: string): number {
  let end = s.length;
  while (end > 0 && isPySpaceCode(s.charCodeAt(end - 1))) end--;
  return end;
}

/** Python's `string.whitespace` (ASCII only), used when looking back for the previous word. */
function isAsciiSpaceCode(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

// ---------------------------------------------------------------------------------------------
// Language variables (PunktLanguageVars defaults)

/** Characters that never occur inside a Punkt word: `)";}]*:@'({[` and the end marks other than `.`. */
const NON_WORD = `[)";}\\]*:@'({\\[!?]`;
/** Multi-character punctuation: dash runs, period runs, spaced ellipsis `. . .`. */
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.${SPACE_NOT_NL}){2,}\\.)`;
/** Characters a word token may not start with. */
const WORD_START = '[^("`{\\[:;&#*@)}\\]\\-,]';

/**
 * Punkt's word tokenizer. NLTK applies it to each line (`text.split("\n")`); applying it to the
 * whole text is equivalent as long as no token can cross a newline, which is why the spaced
 * ellipsis uses whitespace other than `\n` (every other part already stops at `\s`).
 */
const TOKEN_RE = new RegExp(
  `${MULTI_CHAR}` +
    `|(?=${WORD_START})${NON_SPACE}+?(?=${SPACE}|$|${NON_WORD}|${MULTI_CHAR}|,(?=$|${SPACE}|${NON_WORD}|${MULTI_CHAR}))` +
    `|${NON_SPACE}`,
  "gu",
);

/**
 * A possible sentence end: an end mark followed by a non-word character (group 1 is then that
 * character) or by whitespace and the next token (group 1 = whitespace + token, group 2 = token).
 */
const PERIOD_CONTEXT_RE = new RegExp(`[.?!](?=(${NON_WORD}|${SPACE}+(${NON_SPACE}+)))`, "gu");

/** Closing quotes/brackets that belong to the sentence before them. `$` = end of the piece. */
const REALIGN_RE = new RegExp(`^["')\\]}]+?(?:${SPACE}+|(?=--)|$)`, "u");

const PUNCTUATION_TOKENS = new Set([";", ":", ",", ".", "!", "?"]);

// Token shape tests (PunktToken).
const ELLIPSIS_RE = /^\.\.+$/u;
const NUMERIC_RE = /^-?[.,]?\p{Nd}[\p{Nd},.-]*\.?$/u;
const INITIAL_RE = /^[\p{L}\p{Nl}\p{No}_]\.$/u;
const FIRST_UPPER_RE = /^\p{Uppercase}/u;
const FIRST_LOWER_RE = /^\p{Lowercase}/u;

// ---------------------------------------------------------------------------------------------
// Model parameters

const ORTHO_BEG_UC = 1 << 1;
const ORTHO_MID_UC = 1 << 2;
const ORTHO_UNK_UC = 1 << 3;
const ORTHO_BEG_LC = 1 << 4;
const ORTHO_MID_LC = 1 << 5;
const ORTHO_UNK_LC = 1 << 6;
const ORTHO_UC = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC;
const ORTHO_LC = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC;

const NUMBER_TYPE = "##number##";

const abbrevTypes: ReadonlySet<string> = new Set(ABBREV_TYPES);
const sentStarters: ReadonlySet<string> = new Set(SENT_STARTERS);
/** Collocation pairs keyed as `first + " " + second` (types never contain whitespace). */
const collocations: ReadonlySet<string> = new Set(COLLOCATIONS.map(([a, b]) => `${a} ${b}`));

const PREFIX_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Decodes the generated ortho-context table (front-coded word lists grouped by flag value). */
function decodeOrthoContext(table: Readonly<Record<number, string>>): Map<string, number> {
  const map = new Map<string, number>();
  for (const [flagText, encoded] of Object.entries(table)) {
    const flag = Number(flagText);
    let prev = "";
    for (const entry of encoded.split(" ")) {
      const word = prev.slice(0, PREFIX_DIGITS.indexOf(entry[0] ?? "0")) + entry.slice(1);
      map.set(word, flag);
      prev = word;
    }
  }
  return map;
}

const orthoContext = decodeOrthoContext(ORTHO_CONTEXT);

/** The model's parameters as the tokenizer sees them (for tests against the model file). */
export const punktModel = {
  abbrevTypes,
  sentStarters,
  collocations,
  orthoContext: orthoContext as ReadonlyMap<string, number>,
};

// ---------------------------------------------------------------------------------------------
// Tokens and annotation

interface PunktToken {
  tok: string;
  /** Lowercased token, or `##number##` for numeric tokens. */
  type: string;
  periodFinal: boolean;
  sentbreak: boolean;
  abbr: boolean;
  ellipsis: boolean;
}

function makeToken(tok: string): PunktToken {
  const lower = tok.toLowerCase();
  return {
    tok,
    type: NUMERIC_RE.test(lower) ? NUMBER_TYPE : lower,
    periodFinal: tok.endsWith("."),
    sentbreak: false,
    abbr: false,
    ellipsis: false,
  };
}

function typeNoPeriod(t: PunktToken): string {
  // Python: len(type) > 1 and type[-1] == "."; a type of length > 1 ending in "." has at least
  // two code points, so the UTF-16 length test agrees.
  return t.type.length > 1 && t.type.endsWith(".") ? t.type.slice(0, -1) : t.type;
}

function typeNoSentperiod(t: PunktToken): string {
  return t.sentbreak ? typeNoPeriod(t) : t.type;
}

/** First pass: decisions from the token alone. */
function annotateFirstPass(t: PunktToken): void {
  const tok = t.tok;
  if (tok === "." || tok === "?" || tok === "!") {
    t.sentbreak = true;
  } else if (ELLIPSIS_RE.test(tok)) {
    t.ellipsis = true;
  } else if (t.periodFinal && !tok.endsWith("..")) {
    const stem = tok.slice(0, -1).toLowerCase();
    const lastPart = stem.slice(stem.lastIndexOf("-") + 1);
    if (abbrevTypes.has(stem) || abbrevTypes.has(lastPart)) t.abbr = true;
    else t.sentbreak = true;
  }
}

type Ortho = true | false | "unknown";

/** Orthographic evidence whether `t` starts a sentence. */
function orthoHeuristic(t: PunktToken): Ortho {
  if (PUNCTUATION_TOKENS.has(t.tok)) return false;
  const ctx = orthoContext.get(typeNoSentperiod(t)) ?? 0;
  if (FIRST_UPPER_RE.test(t.tok) && ctx & ORTHO_LC && !(ctx & ORTHO_MID_UC)) return true;
  if (FIRST_LOWER_RE.test(t.tok) && (ctx & ORTHO_UC || !(ctx & ORTHO_BEG_LC))) return false;
  return "unknown";
}

/** Second pass: revisits a period-final token `t1` in the light of the token `t2` after it. */
function annotateSecondPass(t1: PunktToken, t2: PunktToken): void {
  if (!t1.periodFinal) return;
  const typ = typeNoPeriod(t1);
  const nextTyp = typeNoSentperiod(t2);
  const isInitial = INITIAL_RE.test(t1.tok);

  if (collocations.has(`${typ} ${nextTyp}`)) {
    t1.sentbreak = false;
    t1.abbr = true;
    return;
  }

  if ((t1.abbr || t1.ellipsis) && !isInitial) {
    if (orthoHeuristic(t2) === true) {
      t1.sentbreak = true;
      return;
    }
    if (FIRST_UPPER_RE.test(t2.tok) && sentStarters.has(nextTyp)) {
      t1.sentbreak = true;
      return;
    }
  }

  if (isInitial || typ === NUMBER_TYPE) {
    const ortho = orthoHeuristic(t2);
    if (ortho === false) {
      t1.sentbreak = false;
      t1.abbr = true;
      return;
    }
    if (
      ortho === "unknown" &&
      isInitial &&
      FIRST_UPPER_RE.test(t2.tok) &&
      !((orthoContext.get(nextTyp) ?? 0) & ORTHO_LC)
    ) {
      t1.sentbreak = false;
      t1.abbr = true;
    }
  }
}

/** Punkt word tokens of `text`. */
function punktWords(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}

/** True when the annotated tokens of `context` have a sentence break before their last token. */
function containsSentBreak(context: string): boolean {
  const words = punktWords(context);
  if (words.length < 2) return false;
  let cur = makeToken(words[0] as string);
  annotateFirstPass(cur);
  for (let i = 1; i < words.length; i++) {
    const next = makeToken(words[i] as string);
    annotateFirstPass(next);
    annotateSecondPass(cur, next);
    if (cur.sentbreak) return true;
    cur = next;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Slicing

/**
 * Start of the word just before a candidate at `matchStart`, looking back no further than
 * `prevStop`; when there is no whitespace (or only at the very first position of that stretch)
 * the previous word's start `prevStart` is kept, as NLTK does.
 */
function previousWordStart(text: string, prevStart: number, prevStop: number, matchStart: number): number {
  for (let i = matchStart - 1; i > prevStop; i--) {
    if (isAsciiSpaceCode(text.charCodeAt(i))) return i + 1;
  }
  return prevStart;
}

/** Sentence slices [start, end) before realignment. */
function rawSlices(text: string): [number, number][] {
  const slices: [number, number][] = [];
  let lastBreak = 0;

  // Candidate ends are considered with the word before them; a candidate whose word overlaps the
  // next candidate's word (e.g. the first two marks of "!!!") is dropped in favour of the later one.
  let pending: { end: number; context: string; nextStart: number } | null = null;
  let prevStart = 0;
  let prevStop = 0;

  const decide = (c: { end: number; context: string; nextStart: number }): void => {
    if (containsSentBreak(c.context)) {
      slices.push([lastBreak, c.end]);
      lastBreak = c.nextStart;
    }
  };

  PERIOD_CONTEXT_RE.lastIndex = 0;
  for (let m = PERIOD_CONTEXT_RE.exec(text); m !== null; m = PERIOD_CONTEXT_RE.exec(text)) {
    const start = m.index;
    const end = start + 1;
    const afterTok = m[1] as string;
    const nextTok = m[2];
    const wordStart = previousWordStart(text, prevStart, prevStop, start);
    if (pending && prevStop <= wordStart) decide(pending);
    pending = {
      end,
      context: text.slice(wordStart, start) + text[start] + afterTok,
      nextStart: nextTok ? end + afterTok.length - nextTok.length : end,
    };
    prevStart = wordStart;
    prevStop = start;
  }
  if (pending) decide(pending);

  slices.push([lastBreak, pyRstripLength(text)]);
  return slices;
}

/** Moves closing quotes/brackets after a break into the sentence before it. */
function realign(text: string, slices: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let shift = 0;
  for (let i = 0; i < slices.length; i++) {
    const [s1Start, s1End] = slices[i] as [number, number];
    const start = s1Start + shift;
    const next = slices[i + 1];
    if (!next) {
      if (s1End > start) out.push([start, s1End]);
      continue;
    }
    const m = REALIGN_RE.exec(text.slice(next[0], next[1]));
    if (m) {
      out.push([start, next[0] + pyRstripLength(m[0])]);
      shift = m[0].length;
    } else {
      shift = 0;
      if (s1End > start) out.push([start, s1End]);
    }
  }
  return out;
}

/** Sentence spans [start, end) in UTF-16 offsets, as NLTK's `span_tokenize`. */
export function sentSpans(text: string): [number, number][] {
  return realign(text, rawSlices(text));
}

/** Sentences of `text`, equal to NLTK 3.8 `sent_tokenize(text)` (English). */
export function sentTokenize(text: string): string[] {
  return sentSpans(text).map(([s, e]) => text.slice(s, e));
}

/** Number of Punkt sentences: `len(nltk.sent_tokenize(text))`. */
export function countSentences(text: string): number {
  return sentSpans(text).length;
}
