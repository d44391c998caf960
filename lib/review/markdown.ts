/**
 * A small, safe Markdown reader for showing responses (pure; runs in the browser).
 *
 * It produces a tree of blocks and inline spans that components/review/markdown.tsx renders as
 * React elements, so everything ends up as text nodes: there is no raw HTML at all (a `<script>`
 * or `<img onerror>` in a response is shown as the characters it is made of), and links are kept
 * only for http(s) and mailto addresses. Supported: ATX headings, paragraphs (line breaks kept),
 * fenced code, bullet and numbered lists, block quotes, thematic breaks (IFEval's `***`
 * separators), inline code, **strong**, *emphasis* and [links](https://…). Bounded work per
 * character (closing markers are looked for at most CLOSE_WINDOW characters ahead); never throws.
 */

export type Inline =
  | { t: "text"; v: string }
  | { t: "code"; v: string }
  | { t: "strong"; c: Inline[] }
  | { t: "em"; c: Inline[] }
  | { t: "link"; href: string; c: Inline[] }
  | { t: "br" };

export type Block =
  | { t: "p"; c: Inline[] }
  | { t: "h"; level: number; c: Inline[] }
  | { t: "pre"; lang: string; v: string }
  | { t: "ul"; items: Inline[][] }
  | { t: "ol"; start: number; items: Inline[][] }
  | { t: "quote"; c: Block[] }
  | { t: "hr" };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$/;
const HR = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BULLET = /^[ \t]{0,8}[-*+][ \t]+(.*)$/;
const ORDERED = /^[ \t]{0,8}(\d{1,9})[.)][ \t]+(.*)$/;
const QUOTE = /^ {0,3}>[ ]?(.*)$/;

export function parseMarkdown(text: string, depth = 0): Block[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(marker)) body.push(lines[i++]!);
      i += 1; // closing fence (or end of text)
      blocks.push({ t: "pre", lang: fence[2] ?? "", v: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ t: "h", level: heading[1]!.length, c: parseInline(heading[2] ?? "") });
      i += 1;
      continue;
    }
    if (HR.test(line)) {
      blocks.push({ t: "hr" });
      i += 1;
      continue;
    }
    if (QUOTE.test(line) && depth < 4) {
      const body: string[] = [];
      while (i < lines.length && lines[i]!.trim() && QUOTE.test(lines[i]!)) body.push(QUOTE.exec(lines[i++]!)![1]!);
      blocks.push({ t: "quote", c: parseMarkdown(body.join("\n"), depth + 1) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = bullet ? null : ORDERED.exec(line);
    if (bullet || ordered) {
      const pattern = bullet ? BULLET : ORDERED;
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        const match = pattern.exec(current);
        if (match) {
          items.push(bullet ? match[1]! : match[2]!);
        } else if (current.trim() && /^[ \t]+/.test(current) && items.length && !HR.test(current)) {
          items[items.length - 1] += "\n" + current.trim(); // continuation line
        } else break;
        i += 1;
      }
      const parsed = items.map((item) => parseInline(item));
      blocks.push(bullet ? { t: "ul", items: parsed } : { t: "ol", start: Number(ordered![1]), items: parsed });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length) {
      const current = lines[i]!;
      if (!current.trim() || FENCE.test(current) || HEADING.test(current) || HR.test(current) || QUOTE.test(current))
        break;
      if (para.length && (BULLET.test(current) || ORDERED.test(current))) break;
      para.push(current);
      i += 1;
    }
    blocks.push({ t: "p", c: parseInline(para.join("\n")) });
  }
  return blocks;
}

const CLOSE_WINDOW = 4000;

const SAFE_URL = /^(https?:\/\/|mailto:)[^\s<>"'`]+$/i;

export function safeHref(url: string): string | null {
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) ? trimmed : null;
}

/** Inline spans: code, strong, emphasis, links and line breaks; everything else is text. */
export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let buffer = "";
  const flush = () => {
    if (buffer) out.push({ t: "text", v: buffer });
    buffer = "";
  };
  // Searches that found nothing once will find nothing later either.
  const noCodeClose = new Set<number>();
  const closers = new Map<string, number[]>();
  let blankLines: number[] | null = null;
  const findCloser = (marker: string, from: number): number => {
    let list = closers.get(marker);
    if (!list) closers.set(marker, (list = closerPositions(text, marker)));
    const found = list[firstAfter(list, from)];
    if (found === undefined || found - from > CLOSE_WINDOW) return -1;
    if (!blankLines) {
      blankLines = [];
      for (let at = text.indexOf("\n\n"); at >= 0; at = text.indexOf("\n\n", at + 1)) blankLines.push(at);
    }
    const blank = blankLines[firstAfter(blankLines, from - 1)];
    return blank !== undefined && blank < found ? -1 : found;
  };
  let noBracket = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length && /[\\`*_[\]()#+\-.!>~]/.test(text[i + 1]!)) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === "\n") {
      flush();
      out.push({ t: "br" });
      i += 1;
      continue;
    }
    if (ch === "`") {
      let run = 1;
      while (text[i + run] === "`") run += 1;
      const fence = "`".repeat(run);
      const close = noCodeClose.has(run) ? -1 : text.indexOf(fence, i + run);
      if (close < 0) noCodeClose.add(run);
      if (close > i) {
        flush();
        out.push({ t: "code", v: text.slice(i + run, close).replace(/^ (.+) $/s, "$1") });
        i = close + run;
        continue;
      }
      buffer += fence;
      i += run;
      continue;
    }
    if ((ch === "*" || ch === "_") && depth < 6) {
      const double = text[i + 1] === ch;
      const marker = double ? ch + ch : ch;
      const open = i + marker.length;
      const next = text[open];
      // An opening marker must be followed by a non-space; `_` only opens at a word boundary.
      const canOpen =
        next !== undefined &&
        !/\s/.test(next) &&
        next !== ch &&
        (ch === "*" || i === 0 || !/[\p{L}\p{N}]/u.test(text[i - 1]!));
      if (canOpen) {
        const close = findCloser(marker, open);
        if (close > open) {
          flush();
          const inner = parseInline(text.slice(open, close), depth + 1);
          out.push(double ? { t: "strong", c: inner } : { t: "em", c: inner });
          i = close + marker.length;
          continue;
        }
      }
      buffer += marker;
      i += marker.length;
      continue;
    }
    if (ch === "[" && depth < 6 && !noBracket) {
      const closeText = text.indexOf("]", i + 1);
      if (closeText < 0) noBracket = true;
      if (closeText > i && text[closeText + 1] === "(") {
        const closeUrl = text.indexOf(")", closeText + 2);
        const label = text.slice(i + 1, closeText);
        if (closeUrl > closeText && !label.includes("\n")) {
          const href = safeHref(text.slice(closeText + 2, closeUrl));
          if (href) {
            flush();
            out.push({ t: "link", href, c: parseInline(label, depth + 1) });
            i = closeUrl + 1;
            continue;
          }
        }
      }
    }
    buffer += ch;
    i += 1;
  }
  flush();
  return out;
}

/**
 * Closing markers of one kind in a text, found once (positions in increasing order): a closer's
 * previous character is not a space; a single `*` is not the first star of a `**`; a `_` closer
 * is not followed by a letter or digit.
 */
function closerPositions(text: string, marker: string): number[] {
  const out: number[] = [];
  for (let found = text.indexOf(marker, 1); found >= 0; found = text.indexOf(marker, found + 1)) {
    const before = text[found - 1]!;
    const after = text[found + marker.length];
    if (/\s/.test(before)) continue;
    if (marker.length === 1 && after === marker) continue;
    if (marker[0] === "_" && after !== undefined && /[\p{L}\p{N}]/u.test(after)) continue;
    out.push(found);
  }
  return out;
}

/** First index in a sorted list whose value is > x (binary search). */
function firstAfter(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Plain text of inline spans (for titles and tests). */
export function inlineText(spans: readonly Inline[]): string {
  return spans.map((s) => (s.t === "text" || s.t === "code" ? s.v : s.t === "br" ? "\n" : inlineText(s.c))).join("");
}
