import { describe, expect, it } from "vitest";
import { countHighlights } from "./format";
import { check } from "./test-helpers";

const BULLETS = "detectable_format:number_bullet_lists";
const CONSTRAINED = "detectable_format:constrained_response";
const HIGHLIGHTS = "detectable_format:number_highlighted_sections";
const SECTIONS = "detectable_format:multiple_sections";
const JSON_FORMAT = "detectable_format:json_format";
const TITLE = "detectable_format:title";

describe("detectable_format:number_bullet_lists", () => {
  const bullets = (n: number, text: string) => check(BULLETS, { num_bullets: n }, text);

  it("official cases, own text", () => {
    const star = `
  A list item in Markdown starts with an asterisk (*) at the start of a line. For example:
  * First item here.
  *(no space needed)Second item.
  * (no final newline needed)Third item.
  Lists like this are handy for shopping.`;
    expect(bullets(3, star)).toBe(true);
    const inline = `
  An asterisk in the middle (*), *, is ignored. Only a * that starts a
  line is counted:
    * First item.
    * Second item.
    . a dot line is ignored`;
    expect(bullets(2, inline)).toBe(true);
    const three = "\n  Three items:\n  * one thing\n  * another thing\n  * a last thing";
    expect(bullets(3, three)).toBe(true);
    const dashes = "\n  Three dash items:\n  - one thing\n  - another thing\n  -a last thing";
    expect(bullets(3, dashes)).toBe(true);
    const dividers = "\n  Part 1\n  ***\n  Part 2\n  ***\n  Part 3\n  * a single item\n  ";
    expect(bullets(1, dividers)).toBe(true);
  });

  it("needs exactly N", () => {
    expect(bullets(2, "* a\n* b\n* c")).toBe(false);
    expect(bullets(4, "* a\n* b\n* c")).toBe(false);
  });

  it("counts *italic lines and every line starting with '-', not **bold**, numbers or •", () => {
    expect(bullets(1, "*italic* start")).toBe(true);
    expect(bullets(0, "**bold** start")).toBe(true);
    expect(bullets(1, "---")).toBe(true);
    expect(bullets(1, "-5° outside")).toBe(true);
    expect(bullets(0, "1. first\n2. second\n• third")).toBe(true);
  });

  it("lets a lone '*' line swallow the next line", () => {
    expect(bullets(1, "*\n* b")).toBe(true);
  });

  it("lets ^\\s* start on an earlier blank line (still one match)", () => {
    expect(bullets(1, "\n\n   * indented")).toBe(true);
  });
});

describe("detectable_format:constrained_response", () => {
  it("official cases, own text", () => {
    expect(check(CONSTRAINED, {}, "\n My answer is no.\n")).toBe(true);
    expect(check(CONSTRAINED, {}, "My answer is no.   ")).toBe(true);
    expect(check(CONSTRAINED, {}, "\n  My answer is no. I keep learning every day and try to improve.")).toBe(true);
  });

  it("is case-sensitive containment", () => {
    expect(check(CONSTRAINED, {}, "my answer is yes.")).toBe(false);
    expect(check(CONSTRAINED, {}, "My answer is yes")).toBe(false);
    expect(check(CONSTRAINED, {}, "Well. My answer is maybe. Because reasons.")).toBe(true);
  });
});

describe("detectable_format:number_highlighted_sections", () => {
  const atLeast = (n: number, text: string) => check(HIGHLIGHTS, { num_highlights: n }, text);

  it("official cases, own text", () => {
    const howto = `
  To emphasise words in Markdown put a * before and after them. For example, to emphasise the
  word \`hi\`, write:*hi*, You can use ** for bold text too. For example, to make \`hi\`
  bold, write: **hi** `;
    expect(atLeast(2, howto)).toBe(true);
    const ragged = `
  Some ways to cook eggs, highlighted:
  *Boiled eggs
  *Fried eggs*
  *Poached eggs
  *Scrambled eggs
  Enjoy!`;
    expect(atLeast(2, ragged)).toBe(false);
    const both = `
  A line may hold *two separate* highlighted *parts on one*
  line. **Bold works too** and **counts as well.**
  `;
    expect(atLeast(4, both)).toBe(true);
  });

  it("counts A + B as in the reference", () => {
    expect(countHighlights("*x*")).toBe(1);
    expect(countHighlights("**x**")).toBe(1);
    expect(countHighlights("***x***")).toBe(2);
    expect(countHighlights("* item with *emph*")).toBe(1);
    expect(countHighlights("* *")).toBe(0);
    expect(countHighlights("*a\nb*")).toBe(0);
  });
});

describe("detectable_format:multiple_sections", () => {
  const sections = (spliter: string, n: number, text: string) =>
    check(SECTIONS, { section_spliter: spliter, num_sections: n }, text);

  it("official cases, own text", () => {
    const prose = `
  Split your answer into parts. Start each part with "Section X", for example:
  Section 1
  [part one]
  Section 2
  [part two]`;
    expect(sections("Section", 3, prose)).toBe(false);
    expect(sections("Section", 2, prose)).toBe(true);
    expect(sections("SECTION", 2, "SECTION 1\n  [part one]\n  SECTION 2\n  [part two]")).toBe(true);
  });

  it("is case-sensitive, not line-anchored, and needs digits", () => {
    expect(sections("Section", 1, "see Section 1 above")).toBe(true);
    expect(sections("SECTION", 1, "SECTION I")).toBe(false);
    expect(sections("Section", 1, "Section2 is fine")).toBe(true);
    expect(sections("Section", 1, "section 1")).toBe(false);
    expect(sections(" Day ", 2, "Day 1: rest. Day 2: hike.")).toBe(true);
  });
});

describe("detectable_format:json_format", () => {
  const json = (text: string) => check(JSON_FORMAT, {}, text);

  it("accepts fenced and bare JSON", () => {
    expect(json('```json\n{"a": 1}\n```')).toBe(true);
    expect(json('```Json\n{"a": 1}\n```')).toBe(true);
    expect(json('```JSON\n{"a": 1}\n```')).toBe(true);
    expect(json("```\n[1, 2]\n```")).toBe(true);
    expect(json('  {"a": [true, null]}  ')).toBe(true);
  });

  it("accepts any JSON value, and NaN like json.loads", () => {
    expect(json('"hi"')).toBe(true);
    expect(json("3")).toBe(true);
    expect(json("null")).toBe(true);
    expect(json('{"x": NaN}')).toBe(true);
  });

  it("fails on text after the fence, a spaced fence, a BOM, trailing commas", () => {
    expect(json('```json\n{"a": 1}\n```\nHope this helps!')).toBe(false);
    expect(json('``` json\n{"a": 1}\n```')).toBe(false);
    expect(json('\ufeff{"a": 1}')).toBe(false);
    expect(json('{"a": 1,}')).toBe(false);
    expect(json("Here is the JSON: {}")).toBe(false);
  });
});

describe("detectable_format:title", () => {
  const title = (text: string) => check(TITLE, {}, text);

  it("official cases, own text", () => {
    expect(title("\n  <<Ode to Rain>>\n  Drip drop. A wet song.\n  ")).toBe(true);
    expect(title("\n  Can the title come last?\n  <<A Late Title>>\n  ")).toBe(true);
    expect(title("\n  << >>\n  No title at all.\n  ")).toBe(false);
    expect(title("\n  <<Not a title.\n  Just a paragraph.>>\n  ")).toBe(false);
  });

  it("matches greedily within a line and strips extra angle brackets", () => {
    expect(title("<< >> and <<x>>")).toBe(true);
    expect(title("<<<Deep>>>")).toBe(true);
    expect(title("<<>>>")).toBe(false);
    expect(title("<<>>")).toBe(false);
  });
});
