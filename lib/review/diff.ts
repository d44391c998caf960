import { diffArrays } from "diff";

/**
 * Word-level diff (pure; runs in the browser). Texts are split into words, runs of whitespace and
 * single punctuation marks (our tokenizer: a word keeps its apostrophes, "don't"); the shortest
 * edit script between the two token lists comes from the `diff` package (jsdiff's Myers
 * implementation), after trimming the common prefix and suffix. Very different texts (more than
 * MAX_EDITS token edits) fall back to "all removed, all added" for the differing middle.
 */

export type DiffOp = "eq" | "add" | "del";
export type DiffChunk = { op: DiffOp; text: string };

const MAX_EDITS = 1500;

const TOKEN = /\s+|[\p{L}\p{N}_]+(?:['’][\p{L}\p{N}_]+)*|[^\s\p{L}\p{N}_]/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Edit script of `a` → `b` as merged chunks, in order (deleted text before added text). */
export function diffWords(a: string, b: string): DiffChunk[] {
  return diffTokens(tokenize(a), tokenize(b));
}

export function diffTokens(a: string[], b: string[]): DiffChunk[] {
  const out: DiffChunk[] = [];
  const push = (op: DiffOp, text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += text;
    else out.push({ op, text });
  };

  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  push("eq", a.slice(0, start).join(""));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const changes = diffArrays(midA, midB, { maxEditLength: MAX_EDITS });
  if (changes) {
    // Within a run of changes, show the removed words before the added ones.
    let dels = "";
    let adds = "";
    const flush = () => {
      push("del", dels);
      push("add", adds);
      dels = "";
      adds = "";
    };
    for (const change of changes) {
      const text = change.value.join("");
      if (change.removed) dels += text;
      else if (change.added) adds += text;
      else {
        flush();
        push("eq", text);
      }
    }
    flush();
  } else {
    push("del", midA.join(""));
    push("add", midB.join(""));
  }
  push("eq", a.slice(endA).join(""));
  return out;
}

/** Counts of added and removed words (whitespace not counted). */
export function diffStats(chunks: readonly DiffChunk[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const chunk of chunks) {
    if (chunk.op === "eq") continue;
    const words = tokenize(chunk.text).filter((t) => !/^\s+$/.test(t)).length;
    if (chunk.op === "add") added += words;
    else removed += words;
  }
  return { added, removed };
}
