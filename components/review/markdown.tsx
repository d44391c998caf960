import { LRUCache } from "lru-cache";
import type { ReactElement, ReactNode } from "react";
import renderMarkdown, { type Components } from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";

/**
 * Renders a response as safe Markdown with react-markdown: CommonMark plus GitHub's extensions
 * (tables, task lists, strikethrough, autolinks) and single line breaks kept (remark-breaks), as
 * LLM answers write them. Safety, the reason this component exists:
 * - raw HTML is shown as the characters it is made of (htmlAsText below): a `<script>` or
 *   `<img onerror>` in a response stays visible, inert text; no HTML string is ever injected;
 * - links keep only http(s) and mailto addresses (a `javascript:` or `data:` link is plain text);
 * - images are never loaded (a response must not make the reviewer's browser fetch anything):
 *   they show as their alt text and address.
 */
export function Markdown({ text, className = "" }: { text: string; className?: string }) {
  return <div className={`space-y-2 text-sm leading-6 break-words text-slate-800 ${className}`}>{rendered(text)}</div>;
}

/**
 * The parsed and transformed Markdown of recently shown texts, keyed by the text itself (bounded by
 * their total length). react-markdown's synchronous `Markdown` is a pure function of its options,
 * and the options here are constant, so the element tree depends on the text alone: a cached one
 * can never show another text's content, and the review screen (every request on the server)
 * parses each response once instead of on every view. React elements are immutable and safe to
 * render again; the components in COMPONENTS still render each time. A cached tree takes about 50
 * bytes of heap per character of its text (it keeps react-markdown's syntax tree), so the bound of
 * 500,000 characters holds it to about 25 MB.
 */
const RENDERED = new LRUCache<string, ReactElement>({
  max: 1000,
  maxSize: 500_000,
  sizeCalculation: (_element, text) => Math.max(1, text.length),
});

function rendered(text: string): ReactElement {
  const cached = RENDERED.get(text);
  if (cached) return cached;
  const element = renderMarkdown({
    children: text,
    remarkPlugins: [remarkGfm, remarkBreaks, htmlAsText],
    urlTransform: safeUrl,
    components: COMPONENTS,
  });
  RENDERED.set(text, element);
  return element;
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** Link and image addresses: http(s) and mailto only; anything else becomes no address. */
function safeUrl(url: string): string {
  return SAFE_URL.test(url.trim()) ? url.trim() : "";
}

type MdastNode = { type: string; value?: string; children?: MdastNode[] };

const BLOCK_PARENTS = new Set(["root", "blockquote", "listItem"]);

/**
 * A remark plugin: raw HTML becomes text with the same characters (inline HTML a text node, block
 * HTML a paragraph of text).
 */
function htmlAsText() {
  const walk = (node: MdastNode) => {
    node.children = node.children?.map((child) => {
      if (child.type !== "html") {
        walk(child);
        return child;
      }
      const text = { type: "text", value: child.value };
      return BLOCK_PARENTS.has(node.type) ? { type: "paragraph", children: [text] } : text;
    });
  };
  return (tree: MdastNode) => walk(tree);
}

/** Headings sit below the page's own (h1–h2): a response's "# Title" is a level-3 heading. */
function heading(level: number) {
  const size = level <= 1 ? "text-lg" : level === 2 ? "text-base" : "text-sm";
  const Heading = ({ children }: { children?: ReactNode }) => (
    <p role="heading" aria-level={Math.min(6, level + 2)} className={`${size} font-semibold text-slate-900`}>
      {children}
    </p>
  );
  Heading.displayName = `MarkdownH${level}`;
  return Heading;
}

const COMPONENTS: Components = {
  h1: heading(1),
  h2: heading(2),
  h3: heading(3),
  h4: heading(4),
  h5: heading(5),
  h6: heading(6),
  ul: ({ children }) => <ul className="list-disc space-y-1 pl-5">{children}</ul>,
  ol: ({ children, start }) => (
    <ol start={start} className="list-decimal space-y-1 pl-5">
      {children}
    </ol>
  ),
  pre: ({ children }) => (
    <pre className="overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs whitespace-pre">{children}</pre>
  ),
  code: ({ children, className }) => (
    <code className={`rounded bg-slate-100 px-1 font-mono text-xs ${className ?? ""}`}>{children}</code>
  ),
  em: ({ children }) => <em className="bg-amber-50">{children}</em>,
  blockquote: ({ children }) => (
    <blockquote className="border-l-4 border-slate-200 pl-3 text-slate-600">{children}</blockquote>
  ),
  hr: () => <hr className="border-slate-300" />,
  table: ({ children }) => (
    <div className="overflow-x-auto">
      <table className="min-w-full border-collapse text-left text-xs">{children}</table>
    </div>
  ),
  th: ({ children, style }) => (
    <th style={style} className="border border-slate-200 bg-slate-50 px-2 py-1 font-semibold">
      {children}
    </th>
  ),
  td: ({ children, style }) => (
    <td style={style} className="border border-slate-200 px-2 py-1">
      {children}
    </td>
  ),
  a: ({ children, href }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-indigo-700 underline">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ alt, src }) => (
    <span className="text-slate-500">
      [image{alt ? `: ${alt}` : ""}
      {typeof src === "string" && src ? ` (${src})` : ""}]
    </span>
  ),
};
