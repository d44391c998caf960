/**
 * What a person would accept from a rule-based repair: it may add, wrap, re-case or restructure
 * text, never delete content, and what it adds is a complete sentence or a complete formatting
 * element (title, heading or label line, postscript, bullet marker, divider, emphasis, quotes, a
 * JSON wrapper, a sentence holding placeholders), never a fragment glued to existing text.
 *
 * `repairDamage(source, output)` says what `output` lost of `source` and which of its insertions
 * are fragments. The rule-based roles use it to pick constraints, the pipelines to drop
 * candidates (lib/evolution), the tests to prove every chosen response is clean.
 */
import { diffArrays } from "diff";
import { pyJsonLoads, pyStrip } from "../python";
import { caseStyle, FUNCTION_WORDS } from "./text";
import type { ConstraintSpec } from "./types";

export interface RepairDamage {
  /** Words of 4+ letters of the source that the output has fewer of (case aside), once each. */
  lost: string[];
  /** Inserted text that is neither a complete sentence nor a complete formatting element. */
  fragments: string[];
}

/** Case-insensitive comparison form ("Straße" and "STRASSE" fold alike). */
const fold = (s: string): string => s.toUpperCase().toLowerCase();

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** A JSON answer's string values (what a reader sees), else the text itself. */
function readable(text: string): string {
  let body = pyStrip(text);
  const fence = /^```[ \t]*(?:json)?[ \t]*\n([\s\S]*?)\n?```$/iu.exec(body);
  if (fence) body = pyStrip(fence[1]!);
  if (!/^[{[]/u.test(body)) return text;
  const parsed = pyJsonLoads(body);
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== "object") return text;
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(parsed.value);
  return strings.join("\n\n");
}

/** Counts of the words of 4+ letters (runs of letters), case-folded. */
function contentWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/\p{L}+/gu)) {
    if (Array.from(m[0]).length < 4) continue;
    const w = fold(m[0]);
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

/** The words of 4+ letters of `source` that `output` holds fewer times (case aside). */
export function lostWords(source: string, output: string): string[] {
  const before = contentWords(readable(source));
  const after = contentWords(readable(output));
  return [...before].filter(([w, n]) => (after.get(w) ?? 0) < n).map(([w]) => w);
}

// ---------------------------------------------------------------------------------------------
// Insertions
// ---------------------------------------------------------------------------------------------

interface Token {
  text: string;
  start: number;
  end: number;
}

/** Words, numbers ("20,690" is one, read as 20690: no_comma may drop the comma) and single marks. */
function tokens(text: string): Token[] {
  return [...text.matchAll(/\p{N}+(?:,\p{N}+)*|[\p{L}\p{M}\p{N}_]+|[^\s\p{L}\p{M}\p{N}_]/gu)].map((m) => ({
    text: fold(/^\p{N}/u.test(m[0]) ? m[0].replaceAll(",", "") : m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

const POSTSCRIPT = /^p\.\s?(?:p\.\s?)?s\b\.?/iu;
const TITLE_LINE = /^<<([^\n]+)>>$/u;
/** Markup around a sentence or a line: bullets, emphasis, quotes, brackets, heading marks. */
const EDGE_MARKUP = /^[\s*_"'“”‘’()[\]>#`~\-•]+|[\s*_"'“”‘’()[\]`~]+$/gu;

/** One or more complete sentences: a capital (or the answer's own lower case) first, final punctuation last. */
function isSentences(piece: string, lowerCaseAnswer: boolean): boolean {
  const t = piece.replace(EDGE_MARKUP, "");
  if (!LETTER_OR_DIGIT.test(t)) return false;
  const first = /^[\p{Lu}\p{N}]/u.test(t) || (lowerCaseAnswer && /^\p{Ll}/u.test(t));
  return first && /[.!?…:]$/u.test(t);
}

/** A heading or label line: "# Tips", "SECTION 2", "Day 1" — a few words, no sentence punctuation. */
function isLabelLine(piece: string): boolean {
  const t = pyStrip(piece);
  if (/^#{1,6}\s+\S/u.test(t)) return true;
  const words = t.split(/\s+/u).filter((w) => LETTER_OR_DIGIT.test(w));
  return words.length >= 1 && words.length <= 6 && !/[.,;!?()]/u.test(t);
}

/** Why a `<<title>>` is not a title built from the content, or null. */
export function titleProblem(title: string, source: string): string | null {
  const words = (title.match(/[\p{L}\p{N}'’-]+/gu) ?? []).map(fold);
  if (words.length === 0) return "an empty title";
  if (FUNCTION_WORDS.has(words[words.length - 1]!)) return `the title ends in "${words[words.length - 1]}"`;
  // Copied from the start of a clause: it must stop where the clause does or before a function word.
  for (const line of source.split("\n")) {
    const clause = (line.replace(EDGE_MARKUP, "").match(/[\p{L}\p{N}'’-]+|[.,;:!?]/gu) ?? []).map(fold);
    if (words.every((w, i) => clause[i] === w) && clause.length > words.length) {
      const next = clause[words.length]!;
      if (/[\p{L}\p{N}]/u.test(next) && !FUNCTION_WORDS.has(next)) return `the title cuts a phrase before "${next}"`;
    }
  }
  return null;
}

/** Text the constraints require verbatim (an end phrase, the repeated request): never a fragment. */
export function requiredTexts(constraints: readonly ConstraintSpec[]): string[] {
  return constraints.flatMap((c) =>
    [c.kwargs.end_phrase, c.kwargs.prompt_to_repeat].filter((v): v is string => typeof v === "string" && v !== ""),
  );
}

const squash = (s: string) => fold(s).replace(/\s+/gu, " ").trim();

interface PieceContext {
  /** The whole line the piece is on, as it reads in the output. */
  line: string;
  /** Nothing but markup around the piece on its line. */
  wholeLine: boolean;
  lowerCaseAnswer: boolean;
  required: readonly string[];
}

/** Why the inserted piece of a line is a fragment, or null when it is acceptable. */
function pieceProblem(piece: string, ctx: PieceContext): string | null {
  const t = pyStrip(piece);
  if (!LETTER_OR_DIGIT.test(t)) return null; // markup only: bullets, emphasis, dividers, quotes, punctuation
  if (POSTSCRIPT.test(t) && (ctx.wholeLine || POSTSCRIPT.exec(t)![0].length === t.length)) return null;
  // Part of an end phrase or repeated request (a short piece only on a line of its own).
  const required = squash(t);
  if ((ctx.wholeLine || required.length >= 8) && ctx.required.some((r) => r.includes(required))) return null;
  // A heading or label line, or a label renumbered ("Section 2").
  if (isLabelLine(ctx.line) && (ctx.wholeLine || /^\p{N}+$/u.test(t))) return null;
  if (ctx.wholeLine) return isSentences(t, ctx.lowerCaseAnswer) ? null : "an incomplete line";
  return isSentences(t, ctx.lowerCaseAnswer) ? null : "glued to existing text";
}

/** The inserted runs of `after` (offsets) against `before`, by a word-level diff. */
function insertedRuns(before: string, after: string): { start: number; end: number }[] {
  const a = tokens(before);
  const b = tokens(after);
  const inserted: boolean[] = [];
  for (const change of diffArrays(a, b, { comparator: (x, y) => x.text === y.text })) {
    if (!change.removed) for (const _ of change.value) inserted.push(change.added);
  }
  // Equal tokens make the diff ambiguous ("…with your own details. Your love…" may pair either
  // "your"): slide an insertion left over a kept token it ends with when that joins it to the
  // insertion before, so one added sentence stays one run.
  for (let j = 1; j + 1 < b.length; j++) {
    if (inserted[j] || !inserted[j - 1] || !inserted[j + 1]) continue;
    let k = j + 1;
    while (k + 1 < b.length && inserted[k + 1]) k++;
    if (b[k]!.text === b[j]!.text) {
      inserted[j] = true;
      inserted[k] = false;
    }
  }
  const runs: { start: number; end: number }[] = [];
  b.forEach((t, j) => {
    if (!inserted[j]) return;
    if (j > 0 && inserted[j - 1]) runs[runs.length - 1]!.end = t.end;
    else runs.push({ start: t.start, end: t.end });
  });
  return runs;
}

/**
 * The inserted pieces of `output` that are fragments, each with why (an excerpt and the reason).
 * `required`: text the prompt's constraints demand verbatim (`requiredTexts`).
 */
export function insertedFragments(source: string, output: string, required: readonly string[] = []): string[] {
  const src = readable(source);
  const out = readable(output);
  const norm = (l: string) => fold(pyStrip(l));
  const srcLines = src.split("\n");
  const problems: string[] = [];
  // A title copies words of the content: checked on its own, so the diff cannot pair the title
  // with the line it was taken from.
  const known = new Set(srcLines.map(norm));
  const outLines = out.split("\n").filter((line) => {
    const title = TITLE_LINE.exec(pyStrip(line));
    if (!title || known.has(norm(line))) return true;
    const why = titleProblem(title[1]!, src);
    if (why) problems.push(`${JSON.stringify(pyStrip(line))}: ${why}`);
    return false;
  });
  const ctx = { lowerCaseAnswer: caseStyle(out) === "lower", required: required.map(squash) };
  let i = 0;
  let j = 0;
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const hunk = added.join("\n");
    for (const run of insertedRuns(removed.join("\n"), hunk)) {
      const lineStart = hunk.lastIndexOf("\n", run.start - 1) + 1;
      const pieces = hunk.slice(run.start, run.end).split("\n");
      let offset = run.start;
      pieces.forEach((piece, k) => {
        const start = k === 0 ? lineStart : offset;
        const nl = hunk.indexOf("\n", offset + piece.length);
        const line = hunk.slice(start, nl < 0 ? hunk.length : nl);
        const before = k === 0 ? hunk.slice(lineStart, run.start) : "";
        const after = k === pieces.length - 1 ? hunk.slice(run.end, nl < 0 ? hunk.length : nl) : "";
        const wholeLine = !LETTER_OR_DIGIT.test(before) && !LETTER_OR_DIGIT.test(after);
        const why = pieceProblem(piece, { ...ctx, line, wholeLine });
        if (why) problems.push(`${JSON.stringify(pyStrip(piece).slice(0, 80))}: ${why}`);
        offset += piece.length + 1;
      });
    }
    removed = [];
    added = [];
  };
  // Lines first, anchored on unchanged non-blank lines; then the words of each changed stretch.
  for (const change of diffArrays(srcLines, outLines, { comparator: (x, y) => norm(x) === norm(y) })) {
    const n = change.value.length;
    if (change.removed) removed.push(...srcLines.slice(i, i + n));
    else if (change.added) added.push(...outLines.slice(j, j + n));
    else if (change.value.every((l) => pyStrip(l) === "")) {
      removed.push(...srcLines.slice(i, i + n));
      added.push(...outLines.slice(j, j + n));
    } else flush();
    if (!change.added) i += n;
    if (!change.removed) j += n;
  }
  flush();
  return problems;
}

/** Everything that makes a repaired `output` unacceptable as an edit of `source`. */
export function repairDamage(source: string, output: string, required: readonly string[] = []): RepairDamage {
  return { lost: lostWords(source, output), fragments: insertedFragments(source, output, required) };
}
