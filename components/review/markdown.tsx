import { Fragment, useMemo, type ReactNode } from "react";
import { parseMarkdown, type Block, type Inline } from "@/lib/review/markdown";

/**
 * Renders a response as safe Markdown: lib/review/markdown reads it into blocks and spans, and
 * everything here becomes React elements with text children — no HTML string is ever injected,
 * so `<script>` or `<img onerror>` in a response stay visible, inert text.
 */
export function Markdown({ text, className = "" }: { text: string; className?: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return (
    <div className={`space-y-2 text-sm leading-6 text-slate-800 break-words ${className}`}>
      {blocks.map((b, i) => renderBlock(b, i))}
    </div>
  );
}

function renderBlock(block: Block, key: number): ReactNode {
  switch (block.t) {
    case "p":
      return <p key={key}>{renderInline(block.c)}</p>;
    case "h": {
      const size = block.level <= 1 ? "text-lg" : block.level === 2 ? "text-base" : "text-sm";
      return (
        <p
          key={key}
          role="heading"
          aria-level={Math.min(6, block.level + 2)}
          className={`${size} font-semibold text-slate-900`}
        >
          {renderInline(block.c)}
        </p>
      );
    }
    case "pre":
      return (
        <pre key={key} className="overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs whitespace-pre">
          {block.v}
        </pre>
      );
    case "ul":
      return (
        <ul key={key} className="list-disc space-y-1 pl-5">
          {block.items.map((item, i) => (
            <li key={i}>{renderInline(item)}</li>
          ))}
        </ul>
      );
    case "ol":
      return (
        <ol key={key} start={block.start} className="list-decimal space-y-1 pl-5">
          {block.items.map((item, i) => (
            <li key={i}>{renderInline(item)}</li>
          ))}
        </ol>
      );
    case "quote":
      return (
        <blockquote key={key} className="border-l-4 border-slate-200 pl-3 text-slate-600">
          {block.c.map((b, i) => renderBlock(b, i))}
        </blockquote>
      );
    case "hr":
      return <hr key={key} className="border-slate-300" />;
  }
}

function renderInline(spans: readonly Inline[]): ReactNode {
  return spans.map((span, i) => {
    switch (span.t) {
      case "text":
        return <Fragment key={i}>{span.v}</Fragment>;
      case "br":
        return <br key={i} />;
      case "code":
        return (
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-xs">
            {span.v}
          </code>
        );
      case "strong":
        return <strong key={i}>{renderInline(span.c)}</strong>;
      case "em":
        return (
          <em key={i} className="bg-amber-50">
            {renderInline(span.c)}
          </em>
        );
      case "link":
        return (
          <a
            key={i}
            href={span.href}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className="text-indigo-700 underline"
          >
            {renderInline(span.c)}
          </a>
        );
    }
  });
}
