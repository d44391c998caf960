import { describe, expect, it } from "vitest";
import { check } from "./test-helpers";

const END = "startend:end_checker";
const QUOTATION = "startend:quotation";
const NO_COMMA = "punctuation:no_comma";

describe("startend:end_checker", () => {
  const ends = (phrase: string, text: string) => check(END, { end_phrase: phrase }, text);

  it("official cases, own text", () => {
    expect(ends("\n  Anything else?\n  ", "\n  The total is 12. Anything else?\n  ")).toBe(true);
    expect(ends("\n  That is all.\n  ", "\n  I was asked to finish by saying THAT IS ALL.\n  ")).toBe(true);
    expect(ends("\n  This will fail.\n  ", "\n  This will fail. Rome is lovely.\n  ")).toBe(false);
  });

  it("ignores surrounding double quotes but not a trailing period", () => {
    expect(ends("Any other questions?", '"Hello. Any other questions?"')).toBe(true);
    expect(ends("Any other questions?", "Hello. Any other questions?.")).toBe(false);
    expect(ends("Any other questions?", "Hello. Any other questions?”")).toBe(false);
  });
});

describe("startend:quotation", () => {
  const quoted = (text: string) => check(QUOTATION, {}, text);

  it("official cases, own text", () => {
    expect(quoted('\n  "All of this reply sits inside double quotes."\n  ')).toBe(true);
    expect(quoted('\n  "Only this part is quoted." The rest is not.\n  ')).toBe(false);
  });

  it("needs ASCII quotes and more than one character", () => {
    expect(quoted("“curly”")).toBe(false);
    expect(quoted('"')).toBe(false);
    expect(quoted('""')).toBe(true);
    expect(quoted('"😀"')).toBe(true);
  });
});

describe("punctuation:no_comma", () => {
  it("official cases, own text", () => {
    expect(check(NO_COMMA, {}, "\n  Short lines only. Nothing else needed.\n  ")).toBe(true);
    expect(check(NO_COMMA, {}, "\n  Since the dawn of writing, people have used commas.\n  ")).toBe(false);
  });

  it("only the ASCII comma counts", () => {
    expect(check(NO_COMMA, {}, "一，二、三 و،")).toBe(true);
  });
});
