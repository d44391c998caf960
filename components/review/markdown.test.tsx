import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./markdown";

/** The component rendered to HTML, as the server sends it. */
const html = (text: string) => renderToStaticMarkup(<Markdown text={text} />);

describe("Markdown", () => {
  it("renders a GitHub-flavoured table, nested lists, a setext heading and an autolink", () => {
    const out = html(
      [
        "Results",
        "=======",
        "",
        "| model | score |",
        "|:------|------:|",
        "| a     | 1     |",
        "| b     | 2     |",
        "",
        "- fruit",
        "  - apple",
        "  - pear",
        "- veg",
        "",
        "See https://example.com/docs for more.",
      ].join("\n"),
    );
    expect(out).toContain('<p role="heading" aria-level="3" class="text-lg font-semibold text-slate-900">Results</p>');
    expect(out).toMatch(/<table[^>]*><thead><tr><th style="text-align:left"[^>]*>model<\/th>/);
    expect(out).toMatch(/<td style="text-align:right"[^>]*>2<\/td>/);
    expect(out.match(/<tr>/g)).toHaveLength(3);
    expect(out).toMatch(/<li>fruit\n?<ul[^>]*>\n?<li>apple<\/li>\n?<li>pear<\/li>\n?<\/ul>\n?<\/li>/);
    expect(out).toContain(
      '<a href="https://example.com/docs" target="_blank" rel="noopener noreferrer nofollow" class="text-indigo-700 underline">https://example.com/docs</a>',
    );
  });

  it("keeps today's reading: line breaks, IFEval highlights, code, loose lists", () => {
    const out = html("line one\nline two\n\n*highlighted section*\n\n1. a\n\n2. b\n\n```js\nlet a = 1;\n```\n\n***");
    expect(out).toContain("line one<br/>\nline two");
    expect(out).toContain('<em class="bg-amber-50">highlighted section</em>');
    expect(out).toMatch(/<ol class="list-decimal[^"]*">\n?<li>\n?<p>a<\/p>/);
    expect(out).toMatch(/<pre[^>]*><code class="[^"]*language-js[^"]*">let a = 1;\n<\/code><\/pre>/);
    expect(out).toContain("<hr");
  });

  it("shows raw HTML as text and keeps links to http(s) and mailto only", () => {
    const out = html(
      [
        "<script>alert(1)</script>",
        "",
        'Inline <img src=x onerror="alert(2)"> tag',
        "",
        "[js](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) [mail](mailto:a@b.c)",
        "",
        "![pixel](https://tracker.example/p.gif) ![png](data:image/png;base64,iVBORw0KGgo=)",
        "",
        "| a | b |",
        "|---|---|",
        "| <b onmouseover=alert(5)>x</b> | <iframe src=javascript:alert(6)> |",
      ].join("\n"),
    );
    expect(out).not.toMatch(/<(script|img|iframe|b)[\s>]/);
    expect(out).not.toMatch(/(href|src)="(javascript|data):/);
    expect(out).toContain("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(out).toContain("Inline &lt;img src=x onerror=&quot;alert(2)&quot;&gt; tag");
    expect(out).toContain('<span>js</span> <span>data</span> <a href="mailto:a@b.c"');
    expect(out).toContain("[image: pixel (https://tracker.example/p.gif)]");
    expect(out).toContain("[image: png]");
    expect(out).toMatch(/<td[^>]*>&lt;b onmouseover=alert\(5\)&gt;x&lt;\/b&gt;<\/td>/);
  });

  it("renders a text seen before (from the cache) exactly as the first time, and each text as its own", () => {
    const a = "# A\n\n- one\n- two";
    const b = "# B\n\n- three";
    const first = html(a);
    expect(html(b)).toContain(">B</p>");
    expect(html(b)).not.toContain("one");
    expect(html(a)).toBe(first);
    expect(html(`${a} `)).toContain("two");
    expect(html(a)).toContain('<p role="heading" aria-level="3" class="text-lg font-semibold text-slate-900">A</p>');
  });
});
