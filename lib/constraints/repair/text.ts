/**
 * Text surgery shared by the fixers: where to insert, how to split into paragraphs and sentences,
 * which parts of a response other constraints need left alone.
 */
import { followsStrict } from "../evaluate";
import type { ConstraintId } from "../ids";
import { sentSpans } from "../nlp/punkt";
import { pyIsLower, pyIsUpper, pyJsonLoads, pyLStrip, pyRStrip, pyStrip } from "../python";
import type { ConstraintSpec, RepairContext } from "./types";

// ---------------------------------------------------------------------------------------------
// Case
// ---------------------------------------------------------------------------------------------

export type CaseStyle = "upper" | "lower" | "mixed";

/** "upper" for all-caps text, "lower" for all-lowercase text, else "mixed" (Python isupper/islower). */
export function caseStyle(text: string): CaseStyle {
  if (pyIsUpper(text)) return "upper";
  if (pyIsLower(text)) return "lower";
  return "mixed";
}

/** Text we add takes the case of the response when that is all-caps or all-lowercase. */
export function applyCase(snippet: string, style: CaseStyle): string {
  if (style === "upper") return snippet.toUpperCase();
  if (style === "lower") return snippet.toLowerCase();
  return snippet;
}

/**
 * Words that open a phrase rather than end one (articles, prepositions, conjunctions, pronouns,
 * auxiliaries): a title cut from a clause stops before one of these, never after it.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    "a an the and or but nor so yet as at by for from in into of off on onto out over per than that " +
    "to up upon via with within without about above after against along among around before behind " +
    "below beneath beside between beyond during except inside like near since through toward towards " +
    "under until unlike while because although though if unless whether when where which who whom " +
    "whose what why how this these those its it is are was were be been being has have had do does " +
    "did will would shall should can could may might must not no i you he she we they me him her us " +
    "them my your his our their"
  ).split(" "),
);

// ---------------------------------------------------------------------------------------------
// Context
// ---------------------------------------------------------------------------------------------

export function findOther(ctx: RepairContext, id: ConstraintId): ConstraintSpec | undefined {
  return ctx.others.find((o) => o.id === id);
}

/** "a", "a and b", "a, b and c" ("a b and c" style lists stay comma-free when no_comma is in play). */
export function listPhrase(items: readonly string[], ctx: RepairContext): string {
  if (items.length <= 1) return items.join("");
  const sep = findOther(ctx, "punctuation:no_comma") ? " and " : ", ";
  return `${items.slice(0, -1).join(sep)} and ${items[items.length - 1]}`;
}

/** Escapes a literal for a JS regex with the `u` flag (where only syntax characters may be escaped). */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && pyStrip(ch) === "";
}

/** Where the end phrase of an end_checker constraint in `ctx` begins, when the text passes it. */
export function endPhraseStart(text: string, ctx: RepairContext): number | null {
  const end = findOther(ctx, "startend:end_checker");
  if (!end || !followsStrict(end.id, end.kwargs, text)) return null;
  const phrase = pyStrip(String(end.kwargs.end_phrase ?? ""));
  if (!phrase) return null;
  let last: number | null = null;
  for (const m of text.matchAll(new RegExp(escapeRegExp(phrase), "giu"))) {
    const rest = text.slice(m.index + m[0].length);
    if (pyStrip(pyStrip(rest), '"') === "") last = m.index;
  }
  return last;
}

/** Where the repeated prompt ends, when the text starts with the prompt of a repeat_prompt in `ctx`. */
export function repeatPrefixEnd(text: string, ctx: RepairContext): number | null {
  const rep = findOther(ctx, "combination:repeat_prompt");
  if (!rep || !followsStrict(rep.id, rep.kwargs, text)) return null;
  const lead = text.length - pyLStrip(text).length;
  return lead + pyStrip(String(rep.kwargs.prompt_to_repeat ?? "")).length;
}

export interface Range {
  start: number;
  end: number;
}

/** Spans other constraints need unchanged: a repeated prompt at the start, an end phrase at the end. */
export function protectedRanges(text: string, ctx: RepairContext): Range[] {
  const out: Range[] = [];
  const head = repeatPrefixEnd(text, ctx);
  if (head !== null) out.push({ start: 0, end: head });
  const tail = endPhraseStart(text, ctx);
  if (tail !== null) out.push({ start: tail, end: text.length });
  return out;
}

export function overlaps(range: Range, ranges: readonly Range[]): boolean {
  return ranges.some((r) => range.start < r.end && r.start < range.end);
}

/** Where the protected start of a response ends: a repeated prompt, an opening quote. */
export function headEnd(text: string, ctx: RepairContext): number {
  const head = repeatPrefixEnd(text, ctx);
  if (head !== null) return head;
  const lead = text.length - pyLStrip(text).length;
  return text[lead] === '"' ? lead + 1 : lead;
}

/** New paragraphs are "\n\n" unless a paragraph count by "\n\n" is in play, then a single line break. */
export function paragraphBreak(ctx: RepairContext): string {
  return findOther(ctx, "length_constraints:nth_paragraph_first_word") ? "\n" : "\n\n";
}

// ---------------------------------------------------------------------------------------------
// Insertion
// ---------------------------------------------------------------------------------------------

/** The JSON the json_format check would parse (fences removed), or null. */
function jsonBody(text: string): { value: unknown } | null {
  let value = pyStrip(text);
  for (const prefix of ["```json", "```Json", "```JSON", "```"])
    if (value.startsWith(prefix)) value = value.slice(prefix.length);
  if (value.endsWith("```")) value = value.slice(0, -3);
  const parsed = pyJsonLoads(pyStrip(value));
  return parsed.ok ? { value: parsed.value } : null;
}

/** Adds `value` to a JSON object (key "note") or array at the end of valid JSON text; null otherwise. */
function insertIntoJson(text: string, value: string): string | null {
  const body = jsonBody(text);
  if (!body || body.value === null || typeof body.value !== "object") return null;
  const isArray = Array.isArray(body.value);
  const close = text.lastIndexOf(isArray ? "]" : "}");
  if (close < 0) return null;
  const left = pyRStrip(text.slice(0, close));
  const empty = left.endsWith(isArray ? "[" : "{");
  let key = "note";
  for (let i = 2; !isArray && Object.hasOwn(body.value, key); i++) key = `note_${i}`;
  const item = isArray ? JSON.stringify(value) : `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  const out = `${left}${empty ? "" : ", "}${item}${text.slice(close)}`;
  return jsonBody(out) ? out : null;
}

export type InsertMode = "inline" | "line" | "paragraph";

/**
 * Inserts `snippet` at `index` with a space, a line break or a blank line on each side as needed.
 * `glueRight` puts the snippet right against what follows (a closing quote).
 */
export function insertAt(
  text: string,
  index: number,
  snippet: string,
  mode: InsertMode,
  ctx?: RepairContext,
  glueRight = false,
): string {
  const left = text.slice(0, index);
  const right = text.slice(index);
  if (mode === "inline") {
    const pre = left === "" || isSpace(left[left.length - 1]) ? "" : " ";
    const post = glueRight || right === "" || isSpace(right[0]) ? "" : " ";
    return `${left}${pre}${snippet}${post}${right}`;
  }
  const brk = mode === "line" ? "\n" : ctx ? paragraphBreak(ctx) : "\n\n";
  const l = pyRStrip(left);
  const rCore = pyLStrip(right);
  // Keep an opening quote (or anything that is not whitespace) glued to the snippet.
  const head =
    l === "" ? left : l.endsWith('"') && l.length === pyLStrip(l).length && pyStrip(l) === '"' ? l : `${l}${brk}`;
  if (rCore === "") return `${head}${snippet}${right}`;
  if (glueRight) return `${head}${snippet}${rCore}`;
  return `${head}${snippet}${brk}${rCore}`;
}

/**
 * Adds content at the end of a response while keeping what other constraints need at the end:
 * inside valid JSON (as a "note"), before an end phrase the text already ends with, inside a
 * closing double quote.
 */
export function appendContent(
  text: string,
  snippet: string,
  ctx: RepairContext,
  mode: InsertMode = "inline",
  jsonValue?: string,
): string {
  if (jsonValue !== undefined) {
    const inJson = insertIntoJson(text, jsonValue);
    if (inJson !== null) return inJson;
  }
  const phrase = endPhraseStart(text, ctx);
  if (phrase !== null) return insertAt(text, phrase, snippet, mode, ctx);
  const core = pyStrip(text);
  const contentEnd = pyRStrip(text).length;
  if (core.length > 1 && core.startsWith('"') && core.endsWith('"')) {
    return insertAt(text, contentEnd - 1, snippet, mode, ctx, true);
  }
  return insertAt(text, contentEnd, snippet, mode, ctx);
}

/**
 * Adds content at the start of a response while keeping a repeated prompt and an opening double
 * quote in front.
 */
export function prependContent(text: string, snippet: string, ctx: RepairContext, mode: InsertMode): string {
  const head = repeatPrefixEnd(text, ctx);
  if (head !== null) return insertAt(text, head, snippet, mode, ctx);
  const lead = text.length - pyLStrip(text).length;
  if (text[lead] === '"' && findOther(ctx, "startend:quotation"))
    return insertAt(text, lead + 1, snippet, mode, ctx, false);
  return insertAt(text, lead, snippet, mode, ctx);
}

// ---------------------------------------------------------------------------------------------
// Blocks (paragraphs separated by blank lines) and sentences
// ---------------------------------------------------------------------------------------------

/** Non-blank blocks separated by one or more blank lines (trailing spaces of a block kept out). */
export function splitBlocks(text: string): string[] {
  return text
    .split(/\n(?:[^\S\n]*\n)+/u)
    .map((b) => pyRStrip(b.replace(/^\n+/, "")))
    .filter((b) => pyStrip(b) !== "");
}

/** A block that is only a divider: `***`, `---`, `* * *`, `___`, `******`… */
export function isDividerBlock(block: string): boolean {
  const t = pyStrip(block);
  return /^(?:[*\-_=~][ \t]*){3,}$/.test(t);
}

/** A block that is only a heading or a `<<title>>` line: it belongs with the block after it. */
export function isHeadingBlock(block: string): boolean {
  const t = pyStrip(block);
  return !t.includes("\n") && (/^<<[^\n]+>>$/.test(t) || /^#{1,6}\s/.test(t));
}

/** Divider lines (`***`, `---`, `* * *`…) turned into blank lines. */
export function dropDividerLines(text: string): string {
  return text.replace(/^[ \t]*(?:[*\-_=~][ \t]*){3,}$/gmu, "");
}

/** Blocks with dividers dropped and heading-only blocks joined to the next block. */
export function contentBlocks(text: string): string[] {
  const blocks = splitBlocks(dropDividerLines(text)).filter((b) => !isDividerBlock(b));
  const out: string[] = [];
  let pending = "";
  for (const b of blocks) {
    if (isHeadingBlock(b)) {
      pending = pending ? `${pending}\n${pyStrip(b)}` : pyStrip(b);
      continue;
    }
    out.push(pending ? `${pending}\n${b}` : b);
    pending = "";
  }
  if (pending) {
    if (out.length > 0) out[out.length - 1] = `${out[out.length - 1]}\n\n${pending}`;
    else out.push(pending);
  }
  return out;
}

/** Cut points (offsets) inside a block where it may be split in two: sentence ends, then line breaks. */
function cutPoints(block: string): number[] {
  const points = new Set<number>();
  for (const [, end] of sentSpans(block)) {
    if (end > 0 && end < block.length && pyStrip(block.slice(end)) !== "") points.add(end);
  }
  for (let i = block.indexOf("\n"); i >= 0; i = block.indexOf("\n", i + 1)) {
    if (pyStrip(block.slice(0, i)) !== "" && pyStrip(block.slice(i)) !== "") points.add(i);
  }
  return [...points].sort((a, b) => a - b);
}

/** Splits one block in two at the cut point nearest its middle; null when it cannot be split. */
export function splitBlock(block: string): [string, string] | null {
  const points = cutPoints(block);
  if (points.length === 0) return null;
  const middle = block.length / 2;
  let best = points[0]!;
  for (const p of points) if (Math.abs(p - middle) < Math.abs(best - middle)) best = p;
  const a = pyStrip(block.slice(0, best));
  const b = pyStrip(block.slice(best));
  return a && b ? [a, b] : null;
}

/** Splits the longest splittable blocks until there are `n`; null when the text is too short. */
export function splitBlocksTo(blocks: readonly string[], n: number): string[] | null {
  const out = blocks.slice();
  while (out.length < n) {
    const order = out.map((b, i) => ({ i, len: b.length })).sort((a, b) => b.len - a.len);
    let done = false;
    for (const { i } of order) {
      const parts = splitBlock(out[i]!);
      if (parts) {
        out.splice(i, 1, parts[0], parts[1]);
        done = true;
        break;
      }
    }
    if (!done) return null;
  }
  return out;
}

/** `items` in `n` contiguous groups whose sizes differ by at most one (earlier groups larger). */
export function balancedGroups<T>(items: readonly T[], n: number): T[][] {
  const groups: T[][] = [];
  let start = 0;
  for (let g = 0; g < n; g++) {
    const size = Math.floor(items.length / n) + (g < items.length % n ? 1 : 0);
    groups.push(items.slice(start, start + size));
    start += size;
  }
  return groups;
}

/**
 * Exactly `n` blocks: merged (with `joiner` between the merged ones) when there are more, split
 * when fewer; null when the text is too short.
 */
export function blocksExactly(blocks: readonly string[], n: number, joiner = "\n\n"): string[] | null {
  if (n < 1) return null;
  if (blocks.length >= n) return balancedGroups(blocks, n).map((g) => g.join(joiner));
  return splitBlocksTo(blocks, n);
}
