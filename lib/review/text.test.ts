import { describe, expect, it } from "vitest";
import { diffStats, diffTokens, diffWords, tokenize } from "./diff.ts";

function apply(chunks: ReturnType<typeof diffWords>, side: "a" | "b"): string {
  return chunks
    .filter((c) => c.op === "eq" || c.op === (side === "a" ? "del" : "add"))
    .map((c) => c.text)
    .join("");
}

describe("diffWords", () => {
  it("marks added and removed words", () => {
    expect(diffWords("Write a poem.", "Write a short poem about rain.")).toEqual([
      { op: "eq", text: "Write a " },
      { op: "add", text: "short " },
      { op: "eq", text: "poem" },
      { op: "add", text: " about rain" },
      { op: "eq", text: "." },
    ]);
    expect(diffWords("a b c", "a x c")).toEqual([
      { op: "eq", text: "a " },
      { op: "del", text: "b" },
      { op: "add", text: "x" },
      { op: "eq", text: " c" },
    ]);
    expect(diffStats(diffWords("one two three", "one four three five"))).toEqual({ added: 2, removed: 1 });
  });

  it("keeps words with apostrophes together and handles empty sides", () => {
    expect(tokenize("don't stop")).toEqual(["don't", " ", "stop"]);
    expect(diffWords("", "new text")).toEqual([{ op: "add", text: "new text" }]);
    expect(diffWords("old", "")).toEqual([{ op: "del", text: "old" }]);
    expect(diffWords("same", "same")).toEqual([{ op: "eq", text: "same" }]);
  });

  it("is a correct, minimal edit script on random token lists", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 300; run += 1) {
      const a = Array.from({ length: Math.floor(rand() * 30) }, () => "abcde"[Math.floor(rand() * 5)]!);
      const b = Array.from({ length: Math.floor(rand() * 30) }, () => "abcde"[Math.floor(rand() * 5)]!);
      const chunks = diffTokens(a, b);
      expect(apply(chunks, "a")).toBe(a.join(""));
      expect(apply(chunks, "b")).toBe(b.join(""));
      // Minimal: edits = |a| + |b| − 2·LCS.
      const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = 1; i <= a.length; i += 1)
        for (let j = 1; j <= b.length; j += 1)
          lcs[i]![j] = a[i - 1] === b[j - 1] ? lcs[i - 1]![j - 1]! + 1 : Math.max(lcs[i - 1]![j]!, lcs[i]![j - 1]!);
      const edits = chunks.filter((c) => c.op !== "eq").reduce((n, c) => n + c.text.length, 0);
      expect(edits).toBe(a.length + b.length - 2 * lcs[a.length]![b.length]!);
    }
  });

  it("gives up on a word-by-word script for very different texts: the differing middle is removed, then added", () => {
    // Over MAX_EDITS token edits the search stops (bounded work); the common ends stay equal.
    const a = "Intro. " + Array.from({ length: 5000 }, (_, i) => `w${i}`).join(" ") + " End.";
    const b = "Intro. " + Array.from({ length: 5000 }, (_, i) => `v${i}`).join(" ") + " End.";
    const chunks = diffWords(a, b);
    expect(chunks.map((c) => c.op)).toEqual(["eq", "del", "add", "eq"]);
    expect(chunks[0].text).toBe("Intro. ");
    expect(chunks.at(-1)!.text).toBe(" End.");
    expect(apply(chunks, "a")).toBe(a);
    expect(apply(chunks, "b")).toBe(b);
    // Under the limit the script is word by word.
    expect(diffWords("w1 w2 w3 w4", "w1 v2 w3 v4").map((c) => c.op)).toEqual(["eq", "del", "add", "eq", "del", "add"]);
  });
});
