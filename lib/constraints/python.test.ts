import { describe, expect, it } from "vitest";
import {
  codePointLength,
  pyFindAll,
  pyFindAllCount,
  pyFloatRepr,
  pyIsLower,
  pyIsSpace,
  pyIsUpper,
  pyJsonDumps,
  pyJsonLoads,
  pyLStrip,
  pyRegex,
  PyRegexError,
  pyRStrip,
  pySearch,
  pySplit,
  pySplitCount,
  pySplitWhitespace,
  pyStrip,
} from "./python";

// Expected values were produced with CPython 3.11 (`str`, `re`, `json`).

describe("whitespace and strip", () => {
  it("uses Python's isspace set, not JS trim()", () => {
    expect(pyStrip("\ufeff hi \x1c\x85")).toBe("\ufeff hi");
    expect(pyStrip(" \t\n\r\v\f\u00a0\u2003\u3000x\u2028\u2029\u202f\u205f\u1680")).toBe("x");
    expect(pyIsSpace("\x1c\x1d\x1e\x1f\x85")).toBe(true);
    expect(pyIsSpace("\ufeff")).toBe(false);
    expect(pyIsSpace("")).toBe(false);
  });

  it("strips a given set of characters at either end only", () => {
    expect(pyStrip("**bold** text**", "*")).toBe("bold** text");
    expect(pyLStrip("<<<title>>", "<")).toBe("title>>");
    expect(pyRStrip("<<title>>>", ">")).toBe("<<title");
    expect(pyStrip('"quoted"', '"')).toBe("quoted");
    expect(pyStrip("😀x😀", "😀")).toBe("x");
  });

  it("splits on runs of Python whitespace", () => {
    expect(pySplitWhitespace("  a\x1cb \u3000 c  ")).toEqual(["a", "b", "c"]);
    expect(pySplitWhitespace("")).toEqual([]);
  });

  it("counts code points, not UTF-16 units", () => {
    expect(codePointLength("😀")).toBe(1);
    expect("😀".length).toBe(2);
    expect(codePointLength('"😀"')).toBe(3);
  });
});

describe("isupper / islower", () => {
  it("needs a cased character and ignores digits and punctuation", () => {
    expect(pyIsUpper("HELLO, WORLD 2023!")).toBe(true);
    expect(pyIsUpper("123")).toBe(false);
    expect(pyIsLower("123")).toBe(false);
    expect(pyIsUpper("I")).toBe(true);
    expect(pyIsUpper("'M")).toBe(true);
    expect(pyIsUpper("Hello")).toBe(false);
  });

  it("treats ß as lowercase and titlecase letters as neither", () => {
    expect(pyIsLower("ß")).toBe(true);
    expect(pyIsUpper("ß")).toBe(false);
    expect(pyIsUpper("ǅ")).toBe(false);
    expect(pyIsLower("ǅ")).toBe(false);
    expect(pyIsUpper("HELLO ǅ")).toBe(false);
    expect(pyIsUpper("Σ")).toBe(true);
    expect(pyIsLower("straße 1")).toBe(true);
  });
});

describe("pyRegex: Python semantics in JS", () => {
  it("\\w is letters, numbers and underscore, not combining marks", () => {
    expect(pyFindAll(pyRegex(String.raw`\w+`), "हिन्दी भाषा")).toEqual(["ह", "न", "द", "भ", "ष"]);
    expect(pyFindAllCount(pyRegex(String.raw`\w+`), "state-of-the-art 3.14")).toBe(6);
    expect(pyFindAllCount(pyRegex(String.raw`\w+`), "e-mail@x.com")).toBe(4);
    expect(pyFindAllCount(pyRegex(String.raw`\w+`), "don't")).toBe(2);
    expect(pyFindAllCount(pyRegex(String.raw`\w+`), "東京都に住んでいます")).toBe(1);
  });

  it("\\b is Unicode-aware", () => {
    expect(pySearch(pyRegex(String.raw`\bcafé\b`, { ignoreCase: true }), "un CAFÉ noir")).toBe(true);
    expect(pySearch(pyRegex(String.raw`\bcaf\b`, { ignoreCase: true }), "un café noir")).toBe(false);
  });

  it("\\d is any Unicode decimal digit", () => {
    expect(pyFindAll(pyRegex(String.raw`\d+`), "a١٢٣b42")).toEqual(["١٢٣", "42"]);
  });

  it("'.' excludes only \\n; ^ and $ break only at \\n", () => {
    expect(pyFindAllCount(pyRegex("."), "a\rb\u2028c")).toBe(5);
    expect(pyFindAll(pyRegex("^x", { multiline: true }), "x\rx\nx")).toEqual(["x", "x"]);
    expect(pyFindAll(pyRegex("x$"), "x\rx\nx\n")).toEqual(["x"]);
    expect(pyFindAll(pyRegex("x$", { multiline: true }), "x\nx\n")).toEqual(["x", "x"]);
  });

  it("\\s is Python's set", () => {
    expect(pySearch(pyRegex(String.raw`a\sb`), "a\x1cb")).toBe(true);
    expect(pySearch(pyRegex(String.raw`a\sb`), "a\ufeffb")).toBe(false);
  });

  it("translates Python-only repeat and group syntax", () => {
    expect(pyFindAll(pyRegex("a{,2}"), "aaa")).toEqual(["aa", "a", ""]);
    expect(pyFindAll(pyRegex("a{}"), "a{}")).toEqual(["a{}"]);
    expect(pyFindAll(pyRegex("x{2"), "x{2")).toEqual(["x{2"]);
    expect(pyFindAll(pyRegex("(?P<n>a)(?P=n)"), "aaaa")).toEqual(["aa", "aa"]);
    expect(pyFindAll(pyRegex(String.raw`\x41\u0042\101`), "ABA")).toEqual(["ABA"]);
    expect(pySearch(pyRegex("(?i)hello"), "HELLO")).toBe(true);
    expect(pySearch(pyRegex("a(?#comment)b"), "ab")).toBe(true);
  });

  it("handles classes with negated escapes", () => {
    expect(pyFindAll(pyRegex(String.raw`[\W\d]`), "a1-b")).toEqual(["1", "-"]);
    expect(pyFindAll(pyRegex(String.raw`[^\W\d]`), "a1-b_")).toEqual(["a", "b", "_"]);
    expect(pyFindAll(pyRegex(String.raw`[\S]`), "a b")).toEqual(["a", "b"]);
    expect(pyFindAll(pyRegex("[]a]"), "]ab")).toEqual(["]", "a"]);
    expect(pyFindAll(pyRegex("[a-]"), "-ab")).toEqual(["-", "a"]);
  });

  it("keeps unescaped keywords as regexes", () => {
    expect(pyFindAllCount(pyRegex("2*input", { ignoreCase: true }), "22input INPUT")).toBe(2);
    expect(pySearch(pyRegex("react.js"), "reactXjs")).toBe(true);
    expect(pySearch(pyRegex("10%"), "up 10% today")).toBe(true);
    expect(pySearch(pyRegex("brand:"), "brand: x")).toBe(true);
  });

  it("rejects what Python's re rejects", () => {
    for (const bad of ["\\q", "[z-a]", "a{3,2}", "(a)\\2", "*a", "a**", "\\1", "(", "[abc"]) {
      expect(() => pyRegex(bad), bad).toThrow(PyRegexError);
    }
  });

  it("re.split counts captured groups as pieces", () => {
    const p = pyRegex(String.raw`(S)ection\s?\d+`);
    expect(pySplitCount(p, "a Section 1 b Section 2 c")).toBe(5);
    expect(pySplit(p, "a Section 1 b Section 2 c")).toEqual(["a ", "S", " b ", "S", " c"]);
  });
});

describe("pyJsonLoads", () => {
  it.each([
    ["NaN", true],
    ["Infinity", true],
    ["-Infinity", true],
    ["[1, NaN]", true],
    ['"hi"', true],
    ["3", true],
    ["null", true],
    [" 1 ", true],
    ["1e400", true],
    ["-0", true],
    ["1E+2", true],
    ["[]", true],
    ["{}", true],
    ['"\\ud800"', true],
    ['{"a": 1,}', false],
    ["[1, 2,]", false],
    ["\ufeff{}", false],
    ["01", false],
    ["1.", false],
    ["-", false],
    ['{"a":1} x', false],
    ['"a\tb"', false],
    ["  ", false],
    ['"\\x41"', false],
    ["tru", false],
    ["{'a': 1}", false],
    ["nan", false],
  ])("%j → %s", (text, ok) => {
    expect(pyJsonLoads(text).ok).toBe(ok);
  });

  it("returns the value", () => {
    const r = pyJsonLoads('{"a": [1, NaN, -Infinity], "__proto__": "x"}');
    expect(r.ok).toBe(true);
    if (r.ok) {
      const v = r.value as Record<string, unknown[]>;
      expect(v.a![0]).toBe(1);
      expect(Number.isNaN(v.a![1])).toBe(true);
      expect(v.a![2]).toBe(-Infinity);
      expect(Object.keys(v)).toEqual(["a", "__proto__"]);
    }
  });
});

describe("json.dumps and float repr", () => {
  it("writes Python's default separators and ASCII escapes", () => {
    expect(pyJsonDumps({ a: "é😀\x7f\x00\u2028/", b: [true, false], c: null })).toBe(
      '{"a": "\\u00e9\\ud83d\\ude00\\u007f\\u0000\\u2028/", "b": [true, false], "c": null}',
    );
    expect(pyJsonDumps('tab\there "q" \\')).toBe('"tab\\there \\"q\\" \\\\"');
  });

  it("formats floats like repr()", () => {
    expect(pyFloatRepr(1 / 30000)).toBe("3.3333333333333335e-05");
    expect(pyFloatRepr(1)).toBe("1.0");
    expect(pyFloatRepr(0)).toBe("0.0");
    expect(pyFloatRepr(1e16)).toBe("1e+16");
    expect(pyFloatRepr(123.5)).toBe("123.5");
    expect(pyFloatRepr(1e-5)).toBe("1e-05");
    expect(pyFloatRepr(0.0001)).toBe("0.0001");
    expect(pyFloatRepr(417 / 541)).toBe("0.7707948243992606");
  });
});
