import { describe, expect, it } from "vitest";
import { diffStats, diffTokens, diffWords, tokenize } from "./diff.ts";
import { inlineText, parseInline, parseMarkdown } from "./markdown.ts";

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

  it("stays fast and correct on long, very different texts", () => {
    const a = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(" ");
    const b = Array.from({ length: 5000 }, (_, i) => `v${i}`).join(" ");
    const started = performance.now();
    const chunks = diffWords(a, b);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(apply(chunks, "a")).toBe(a);
    expect(apply(chunks, "b")).toBe(b);
  });
});

describe("parseMarkdown", () => {
  it("reads headings, paragraphs with line breaks, lists, code, quotes and breaks", () => {
    const blocks = parseMarkdown(
      "# Title\n\nline one\nline two\n\n* a\n* b\n\n1. x\n2. y\n\n```js\nlet a = 1;\n```\n\n> quoted\n\n***\n\nend",
    );
    expect(blocks.map((b) => b.t)).toEqual(["h", "p", "ul", "ol", "pre", "quote", "hr", "p"]);
    expect(blocks[1]).toEqual({ t: "p", c: [{ t: "text", v: "line one" }, { t: "br" }, { t: "text", v: "line two" }] });
    expect(blocks[4]).toEqual({ t: "pre", lang: "js", v: "let a = 1;" });
  });

  it("reads inline code, strong, emphasis (IFEval highlights) and safe links only", () => {
    expect(parseInline("a *highlighted section* b")).toEqual([
      { t: "text", v: "a " },
      { t: "em", c: [{ t: "text", v: "highlighted section" }] },
      { t: "text", v: " b" },
    ]);
    expect(parseInline("**bold** and `co*de*`")).toEqual([
      { t: "strong", c: [{ t: "text", v: "bold" }] },
      { t: "text", v: " and " },
      { t: "code", v: "co*de*" },
    ]);
    expect(parseInline("[site](https://example.com)")).toEqual([
      { t: "link", href: "https://example.com", c: [{ t: "text", v: "site" }] },
    ]);
    expect(inlineText(parseInline("[x](javascript:alert(1))"))).toBe("[x](javascript:alert(1))");
    expect(parseInline("snake_case_word 2 * 3 * 4")).toEqual([{ t: "text", v: "snake_case_word 2 * 3 * 4" }]);
  });

  it("keeps HTML as text: no element is ever produced from markup in a response", () => {
    const payload = '<script>alert(1)</script>\n<img src=x onerror="alert(2)">';
    const blocks = parseMarkdown(payload);
    expect(blocks).toEqual([
      {
        t: "p",
        c: [
          { t: "text", v: "<script>alert(1)</script>" },
          { t: "br" },
          { t: "text", v: '<img src=x onerror="alert(2)">' },
        ],
      },
    ]);
  });

  it("handles pathological input in bounded time", () => {
    const started = performance.now();
    parseMarkdown("*a ".repeat(20_000) + "`".repeat(3) + "[".repeat(20_000) + "_x ".repeat(20_000));
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe("parseInline across blank lines", () => {
  it("does not let emphasis span a blank line", () => {
    expect(parseInline("*a\n\nb*")).toEqual([{ t: "text", v: "*a" }, { t: "br" }, { t: "br" }, { t: "text", v: "b*" }]);
  });
});
