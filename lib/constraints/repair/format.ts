/**
 * Repairs for detectable_content:* and detectable_format:* (placeholders, postscript, bullets,
 * constrained_response, highlights, sections, json_format, title).
 */
import { countHighlights } from "../checks/index";
import { sentSpans } from "../nlp/punkt";
import { pyFindAllCount, pyLStrip, pyRegex, pyRStrip, pyStrip } from "../python";
import {
  appendContent,
  applyCase,
  blocksExactly,
  caseStyle,
  contentBlocks,
  endPhraseStart,
  escapeRegExp,
  findOther,
  FUNCTION_WORDS,
  headEnd,
  listPhrase,
  overlaps,
  paragraphBreak,
  prependContent,
  protectedRanges,
  type Range,
} from "./text";
import { fail, type Fixer, type RepairContext } from "./types";

// ---------------------------------------------------------------------------------------------
// Placeholders and postscript
// ---------------------------------------------------------------------------------------------

const PLACEHOLDER = pyRegex(String.raw`\[.*?\]`);
const PLACEHOLDER_NAMES = ["name", "date", "address", "email", "phone number", "company", "city", "time"];

export const numberPlaceholders: Fixer = (text, kwargs, ctx) => {
  const need = Number(kwargs.num_placeholders) - pyFindAllCount(PLACEHOLDER, text);
  if (need <= 0) return text;
  const items = Array.from({ length: need }, (_, i) => `[${PLACEHOLDER_NAMES[i % PLACEHOLDER_NAMES.length]}]`);
  // The placeholders go in a sentence of their own, not glued to the answer's last line.
  const sentence = applyCase(`Replace ${listPhrase(items, ctx)} with your own details.`, caseStyle(text));
  return appendContent(text, sentence, ctx, "paragraph", sentence);
};

export const postscript: Fixer = (text, kwargs, ctx) => {
  const marker = pyStrip(String(kwargs.postscript_marker ?? ""));
  if (!marker) return fail("empty postscript marker");
  const style = caseStyle(text);
  const mark = applyCase(marker, style);
  const phrase = endPhraseStart(text, ctx);
  if (phrase !== null) {
    // The response must also end with a phrase: let the postscript carry it.
    const body = pyRStrip(text.slice(0, phrase));
    const glue = pyStrip(body) === "" || pyStrip(body) === '"';
    return `${body}${glue ? "" : paragraphBreak(ctx)}${mark} ${text.slice(phrase)}`;
  }
  return appendContent(text, `${mark} ${applyCase("I hope this helps.", style)}`, ctx, "paragraph");
};

// ---------------------------------------------------------------------------------------------
// Bullets
// ---------------------------------------------------------------------------------------------

const STAR_BULLET = pyRegex(String.raw`^\s*\*[^\*].*$`, { multiline: true });
const DASH_BULLET = pyRegex(String.raw`^\s*-.*$`, { multiline: true });

/** Offsets of the marker character of every bullet the check counts. */
function bulletMarkers(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(STAR_BULLET.regex)) out.push(m.index + m[0].indexOf("*"));
  for (const m of text.matchAll(DASH_BULLET.regex)) out.push(m.index + m[0].indexOf("-"));
  return out.sort((a, b) => a - b);
}

function lineAt(text: string, pos: number): Range {
  const start = text.lastIndexOf("\n", pos - 1) + 1;
  const nl = text.indexOf("\n", pos);
  return { start, end: nl < 0 ? text.length : nl };
}

/** Turns the bullet line holding `marker` into a plain line (or deletes it when it was only markers). */
function demote(text: string, marker: number): string {
  const line = lineAt(text, marker);
  const content = text.slice(line.start, line.end).replace(/^[ \t]*(?:\*|-+)[ \t]*/u, "");
  if (pyStrip(content) === "") {
    // Remove the whole line with one line break.
    const end = line.end < text.length ? line.end + 1 : line.end;
    const start = end === line.end && line.start > 0 ? line.start - 1 : line.start;
    return text.slice(0, start) + text.slice(end);
  }
  return text.slice(0, line.start) + content + text.slice(line.end);
}

const PROMOTE_SKIP = [
  /^\s*$/u, // blank
  /^\s*[*-]/u, // already a bullet or a rule
  /^\s*```/u, // fence
  /^\s*<<[^\n]+>>\s*$/u, // title line
  /^\s*#/u, // heading
  /^\s*p\.\s?(?:p\.\s?)?s/iu, // postscript
  /^\s*"/u, // opening quote of a quoted answer
  /^\s*\*{6}/u, // two_responses separator
];

interface Line {
  start: number;
  text: string;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const t of text.split("\n")) {
    out.push({ start, text: t });
    start += t.length + 1;
  }
  return out;
}

function promotable(text: string, ctx: RepairContext): Line[] {
  const guarded = protectedRanges(text, ctx);
  const lines = linesOf(text);
  let inFence = false;
  const out: Line[] = [];
  for (const line of lines) {
    if (/^\s*```/.test(line.text)) inFence = !inFence;
    if (inFence || PROMOTE_SKIP.some((re) => re.test(line.text))) continue;
    if (overlaps({ start: line.start, end: line.start + line.text.length }, guarded)) continue;
    out.push(line);
  }
  return out;
}

/** Puts each sentence of the longest multi-sentence promotable line on its own line; null if none. */
function splitLongestLine(text: string, ctx: RepairContext): string | null {
  const candidates = promotable(text, ctx)
    .map((l) => ({ l, spans: sentSpans(l.text) }))
    .filter((c) => c.spans.length >= 2)
    .sort((a, b) => b.spans.length - a.spans.length);
  const best = candidates[0];
  if (!best) return null;
  const { l, spans } = best;
  const lead = l.text.slice(0, l.text.length - pyLStrip(l.text).length);
  const pieces = spans.map(([s, e]) => pyStrip(l.text.slice(s, e))).filter(Boolean);
  return text.slice(0, l.start) + lead + pieces.join(`\n${lead}`) + text.slice(l.start + l.text.length);
}

export const numberBulletLists: Fixer = (text, kwargs, ctx) => {
  const n = Number(kwargs.num_bullets);
  let current = text;
  // Too many: demote the last unprotected bullets.
  for (let i = 0; i < 10_000 && bulletMarkers(current).length > n; i++) {
    const guarded = protectedRanges(current, ctx);
    const markers = bulletMarkers(current).filter((p) => !overlaps(lineAt(current, p), guarded));
    const last = markers[markers.length - 1];
    if (last === undefined) return fail("the surplus bullets are in protected text");
    current = demote(current, last);
  }
  // Too few: turn plain lines (after the first one, when possible) into bullets.
  for (let i = 0; i < 1000 && bulletMarkers(current).length < n; i++) {
    const need = n - bulletMarkers(current).length;
    let lines = promotable(current, ctx);
    if (lines.length - 1 < need) {
      const split = splitLongestLine(current, ctx);
      if (split !== null) {
        current = split;
        continue;
      }
    }
    lines = promotable(current, ctx);
    if (lines.length === 0) return fail(`not enough lines or sentences to make ${n} bullet points`);
    const pick = lines.length > need ? lines.slice(1, 1 + need) : lines.slice(0, need);
    for (const line of pick.reverse()) {
      const lead = line.text.length - pyLStrip(line.text).length;
      current = `${current.slice(0, line.start + lead)}* ${current.slice(line.start + lead)}`;
    }
  }
  return current;
};

// ---------------------------------------------------------------------------------------------
// Constrained response
// ---------------------------------------------------------------------------------------------

export const constrainedResponse: Fixer = (text, _kwargs, ctx) => {
  // A near miss ("my answer is Yes", no period): write the exact phrase.
  const near = /\bmy answer is (yes|no|maybe)\b\.?/iu.exec(text);
  if (near) {
    const exact = `My answer is ${near[1]!.toLowerCase()}.`;
    return text.slice(0, near.index) + exact + text.slice(near.index + near[0].length);
  }
  // An answer that opens with yes / no / maybe: state it with the exact phrase.
  const opening = /^[\s"'*_#>]*(yes|no|maybe)\b/iu.exec(text);
  if (opening) return appendContent(text, `My answer is ${opening[1]!.toLowerCase()}.`, ctx, "paragraph");
  return fail("cannot tell whether the response answers yes, no or maybe");
};

// ---------------------------------------------------------------------------------------------
// Highlights
// ---------------------------------------------------------------------------------------------

interface Candidate extends Range {
  line: number;
}

export const numberHighlightedSections: Fixer = (text, kwargs, ctx) => {
  const need = Number(kwargs.num_highlights) - countHighlights(text);
  if (need <= 0) return text;
  const guarded = protectedRanges(text, ctx);
  const perLine: Candidate[][] = [];
  let inFence = false;
  linesOf(text).forEach((line, index) => {
    if (/^\s*```/.test(line.text)) inFence = !inFence;
    if (inFence || /[*<>[\]]/.test(line.text)) return;
    const found: Candidate[] = [];
    const tokens = [...line.text.matchAll(/\S+/gu)];
    for (const t of tokens.slice(1)) {
      const core = /[\p{L}\p{N}][\p{L}\p{N}'’-]*[\p{L}\p{N}]/u.exec(t[0]);
      if (!core || core[0].length < 3 || /[/@]/.test(t[0])) continue;
      const start = line.start + t.index + core.index;
      const range = { start, end: start + core[0].length, line: index };
      if (!overlaps(range, guarded)) found.push(range);
    }
    // Longest words first within a line.
    found.sort((a, b) => b.end - b.start - (a.end - a.start));
    if (found.length) perLine.push(found);
  });
  const chosen: Candidate[] = [];
  for (let round = 0; chosen.length < need; round++) {
    let added = false;
    for (const c of perLine) {
      if (chosen.length >= need) break;
      const next = c[round];
      if (next) {
        chosen.push(next);
        added = true;
      }
    }
    if (!added) break;
  }
  if (chosen.length < need) return fail(`not enough words outside markup to highlight ${need} more sections`);
  let out = text;
  for (const r of chosen.sort((a, b) => b.start - a.start)) {
    out = `${out.slice(0, r.start)}*${out.slice(r.start, r.end)}*${out.slice(r.end)}`;
  }
  return out;
};

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

export const multipleSections: Fixer = (text, kwargs, ctx) => {
  const spliter = pyStrip(String(kwargs.section_spliter ?? ""));
  const n = Number(kwargs.num_sections);
  if (!spliter) return fail("empty section spliter");
  if (n < 1) return text;
  const head = headEnd(text, ctx);
  let preamble = text.slice(0, head);
  const label = new RegExp(
    `^[ \\t]*(?:#{1,6}[ \\t]*)?(?:\\*\\*)?${escapeRegExp(spliter)}[ \\t]?\\d+(?:\\*\\*)?[ \\t]*[:.\\-–—]?(?:\\*\\*)?[ \\t]*`,
    "gmu",
  );
  let body = text.slice(head).replace(label, "");
  // A title line stays in front of the first section.
  const title = /^\s*(<<[^\n]+>>)[ \t]*(?:\n|$)/u.exec(body);
  if (title) {
    preamble += title[1]!;
    body = body.slice(title[0].length);
  }
  const groups = blocksExactly(contentBlocks(body), n);
  if (!groups) return fail(`the response is too short to make ${n} sections`);
  const sections = groups.map((g, i) => `${spliter} ${i + 1}\n${g}`).join("\n\n");
  const join = preamble === "" || preamble.endsWith('"') ? "" : "\n\n";
  return `${preamble}${join}${sections}`;
};

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

export const jsonFormat: Fixer = (text) => {
  // The whole answer, lead-in and sign-off included, as one JSON string value: nothing is dropped.
  return JSON.stringify({ response: pyStrip(text) }, null, 2);
};

// ---------------------------------------------------------------------------------------------
// Title
// ---------------------------------------------------------------------------------------------

/** A greeting or salutation line, which names no topic. */
const GREETING = /^(?:dear|hi|hello|hey|greetings|good (?:morning|afternoon|evening))\b/iu;
/** Words in a title: at most this many, cut only before a function word (a phrase boundary). */
const MAX_TITLE_WORDS = 6;

/** The words of a title taken from the first clause of `line`, or null when no clean cut exists. */
function clauseTitle(line: string): string[] | null {
  let t = pyStrip(line)
    .replace(/^[\s"'*_#>\-•\d.)]+/u, "")
    .replace(/^subject:\s*/iu, "");
  const stop = t.search(/[.?!:;,(]/u);
  if (stop > 0) t = t.slice(0, stop);
  const words = t
    .replace(/[<>*_#[\]"]/gu, "")
    .split(/\s+/u)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  const isFunction = (w: string) => FUNCTION_WORDS.has(w.toLowerCase());
  // The whole clause when short, else the longest run that ends before a function word.
  const short = words.length <= MAX_TITLE_WORDS + 2;
  let end = short ? words.length : 0;
  for (let k = MAX_TITLE_WORDS; !short && k >= 2 && end === 0; k--) if (isFunction(words[k]!)) end = k;
  while (end > 0 && isFunction(words[end - 1]!)) end--;
  return end >= 2 ? words.slice(0, end) : null;
}

/** The two most frequent content words (5+ letters), as "Rivers and Valleys". */
function keywordTitle(text: string): string[] | null {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/\p{L}{5,}/gu)) {
    const w = m[0].toLowerCase();
    if (!FUNCTION_WORDS.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 2);
  if (top.length < 2) return null;
  return [top[0]![0], "and", top[1]![0]].map((w) => (w === "and" ? w : w.charAt(0).toUpperCase() + w.slice(1)));
}

/** The most frequent pair of adjacent content words, seen at least twice ("Colon Polyps"), or null. */
function phraseTitle(text: string): string[] | null {
  const counts = new Map<string, { n: number; words: string[] }>();
  for (const run of text.split(/[^\p{L}\p{N}'’\s-]+/u)) {
    const words = run.split(/\s+/u).filter(Boolean);
    for (let i = 0; i + 1 < words.length; i++) {
      const pair = [words[i]!, words[i + 1]!];
      if (pair.some((w) => FUNCTION_WORDS.has(w.toLowerCase()) || !/^\p{L}{3,}$/u.test(w))) continue;
      const key = pair.join(" ").toLowerCase();
      const entry = counts.get(key) ?? { n: 0, words: pair };
      entry.n++;
      counts.set(key, entry);
    }
  }
  const best = [...counts.values()].sort((x, y) => y.n - x.n)[0];
  return best && best.n >= 2 ? best.words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)) : null;
}

/** Openings that say nothing about the topic ("Sure, I'd be happy to help!", "Here's my answer:"). */
const PLEASANTRY =
  /^(?:sure|certainly|of course|absolutely|great|okay|ok|thanks?|thank you|i'd be happy|i would be happy|i'm happy|here's|here is|here are|based on)\b/iu;

/**
 * A title built from the response: the first clause of an opening sentence that says something
 * (cut at a phrase boundary), else its most frequent two-word phrase, else its two most frequent
 * words.
 */
function titleFrom(text: string, style: ReturnType<typeof caseStyle>): string {
  const sentences = text
    .split("\n")
    .map((l) => pyStrip(l))
    .filter((l) => l !== "" && !GREETING.test(l))
    .slice(0, 3)
    .flatMap((l) => l.split(/(?<=[.!?])\s+/u))
    .filter((sentence) => !PLEASANTRY.test(sentence.replace(/^[\s"'*_#>\-•]+/u, "")));
  const clause = sentences.slice(0, 3).reduce<string[] | null>((found, l) => found ?? clauseTitle(l), null);
  const words = clause ?? phraseTitle(text) ?? keywordTitle(text) ?? ["Answer"];
  let title = words.join(" ");
  if (style === "mixed") title = title.charAt(0).toUpperCase() + title.slice(1);
  return applyCase(title, style);
}

export const title: Fixer = (text, _kwargs, ctx) => {
  const style = caseStyle(text);
  const head = headEnd(text, ctx);
  const rest = text.slice(head);
  // A markdown heading as the first line becomes the title.
  const heading = /^(\s*)#{1,6}[ \t]+([^\n]*?)[ \t#]*(?=\n|$)/u.exec(rest);
  if (heading) {
    const inner = pyStrip(heading[2]!.replace(/[*_<>]/gu, ""));
    if (inner) {
      const start = head + heading[1]!.length;
      return `${text.slice(0, start)}<<${inner}>>${text.slice(head + heading[0].length)}`;
    }
  }
  const snippet = `<<${titleFrom(rest, style)}>>`;
  const nth = findOther(ctx, "length_constraints:nth_paragraph_first_word");
  if (nth && Number(nth.kwargs.nth_paragraph) === 1) {
    // The first paragraph must start with a given word: put the title on a line at the end.
    return appendContent(text, snippet, ctx, "line");
  }
  return prependContent(text, snippet, ctx, "paragraph");
};
