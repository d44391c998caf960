/**
 * Word-level diff (pure; runs in the browser). Texts are split into words, runs of whitespace and
 * single punctuation marks; the shortest edit script between the two token lists is found with
 * the greedy O((N+M)·D) algorithm from Myers' 1986 paper "An O(ND) Difference Algorithm and Its
 * Variations", after trimming the common prefix and suffix. Very different texts (more than
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

export function diffTokens(a: readonly string[], b: readonly string[]): DiffChunk[] {
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
  const script = shortestEditScript(midA, midB, MAX_EDITS);
  if (script) {
    // Within a run of changes, show the removed words before the added ones.
    let dels = "";
    let adds = "";
    const flush = () => {
      push("del", dels);
      push("add", adds);
      dels = "";
      adds = "";
    };
    for (const [op, token] of script) {
      if (op === "eq") {
        flush();
        push("eq", token);
      } else if (op === "del") dels += token;
      else adds += token;
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

type Step = [DiffOp, string];

/** Myers' greedy forward search with the frontier saved per edit count, then a walk back. */
function shortestEditScript(a: readonly string[], b: readonly string[], maxEdits: number): Step[] | null {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((t): Step => ["add", t]);
  if (m === 0) return a.map((t): Step => ["del", t]);
  const limit = Math.min(n + m, maxEdits);
  // frontier[k + offset] = furthest x reached on diagonal k (k = x - y).
  const offset = limit + 1;
  const frontier = new Int32Array(2 * limit + 3);
  frontier[offset + 1] = 0;
  // history[d] = frontier slice for diagonals -(d+1)..(d+1) as it was before round d.
  const history: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d += 1) {
    history.push(frontier.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && frontier[offset + k - 1]! < frontier[offset + k + 1]!)) x = frontier[offset + k + 1]!;
      else x = frontier[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      frontier[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return null;

  const steps: Step[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d -= 1) {
    const before = history[d]!; // index i ↔ diagonal i - (d + 1)
    const at = (k: number) => before[k + d + 1]!;
    const k = x - y;
    const fromAbove = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = fromAbove ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX + (fromAbove ? 0 : 1) && y > prevY + (fromAbove ? 1 : 0)) {
      steps.push(["eq", a[x - 1]!]);
      x -= 1;
      y -= 1;
    }
    if (fromAbove) steps.push(["add", b[prevY]!]);
    else steps.push(["del", a[prevX]!]);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    steps.push(["eq", a[x - 1]!]);
    x -= 1;
    y -= 1;
  }
  return steps.reverse();
}
