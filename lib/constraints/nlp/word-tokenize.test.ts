import { describe, expect, it } from "vitest";
import { treebankTokenize, wordTokenize } from "./word-tokenize";

// Expected values are NLTK 3.8 `word_tokenize` outputs.

const isUpper = (s: string): boolean => /\p{Uppercase}/u.test(s) && !/[\p{Lowercase}\p{Lt}]/u.test(s);
const capitals = (text: string): number => wordTokenize(text).filter(isUpper).length;

describe("wordTokenize: spec §2 row 21 examples", () => {
  it("splits contractions and keeps abbreviations and hyphenated words", () => {
    expect(wordTokenize("I'M")).toEqual(["I", "'M"]);
    expect(wordTokenize("DON'T")).toEqual(["DO", "N'T"]);
    expect(wordTokenize("The U.S. is big.")).toEqual(["The", "U.S.", "is", "big", "."]);
    // at the very end of the text the final-period rule applies, as in NLTK
    expect(wordTokenize("U.S.")).toEqual(["U.S", "."]);
    expect(wordTokenize("NASA-led")).toEqual(["NASA-led"]);
    expect(wordTokenize("**BOLD**")).toEqual(["*", "*", "BOLD", "*", "*"]);
    expect(wordTokenize("I'M DON'T U.S. NASA-led **BOLD**")).toEqual([
      "I",
      "'M",
      "DO",
      "N'T",
      "U.S.",
      "NASA-led",
      "*",
      "*",
      "BOLD",
      "*",
      "*",
    ]);
  });

  it("counts capital words like IFEval", () => {
    expect(capitals("I")).toBe(1);
    expect(capitals("A")).toBe(1);
    expect(capitals("I'M")).toBe(2);
    expect(capitals("DON'T")).toBe(2);
    expect(capitals("THE U.S. ARMY")).toBe(3);
    expect(capitals("NASA-led")).toBe(0);
    expect(capitals("2023")).toBe(0);
    expect(capitals("**BOLD**")).toBe(1);
    expect(capitals("Hello World HELLO")).toBe(1);
    expect(capitals("THE END.")).toBe(2);
  });
});

describe("wordTokenize: NLTK behaviour", () => {
  it("tokenizes NLTK's documented example", () => {
    expect(wordTokenize("Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\nThanks.")).toEqual([
      "Good",
      "muffins",
      "cost",
      "$",
      "3.88",
      "in",
      "New",
      "York",
      ".",
      "Please",
      "buy",
      "me",
      "two",
      "of",
      "them",
      ".",
      "Thanks",
      ".",
    ]);
    // without sentence splitting only the final period is split off
    expect(treebankTokenize("Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\nThanks.")).toEqual([
      "Good",
      "muffins",
      "cost",
      "$",
      "3.88",
      "in",
      "New",
      "York.",
      "Please",
      "buy",
      "me",
      "two",
      "of",
      "them.",
      "Thanks",
      ".",
    ]);
  });

  it("converts quotes and splits clitics", () => {
    expect(wordTokenize("They'll say \"hello\" and we're done.")).toEqual([
      "They",
      "'ll",
      "say",
      "``",
      "hello",
      "''",
      "and",
      "we",
      "'re",
      "done",
      ".",
    ]);
    expect(wordTokenize("It's 5 o'clock... isn't it?")).toEqual([
      "It",
      "'s",
      "5",
      "o'clock",
      "...",
      "is",
      "n't",
      "it",
      "?",
    ]);
    expect(wordTokenize("x'y 'quote' ok")).toEqual(["x", "'", "y", "'quote", "'", "ok"]);
    expect(wordTokenize("«Bonjour» ‘hi’ „test“")).toEqual(["«", "Bonjour", "»", "‘", "hi", "’", "„", "test", "“"]);
    expect(wordTokenize("He said: “Yes” — fine…")).toEqual(["He", "said", ":", "“", "Yes", "”", "—", "fine…"]);
  });

  it("splits MacIntyre contractions", () => {
    expect(wordTokenize("I cannot go, gonna stay; wanna come?")).toEqual([
      "I",
      "can",
      "not",
      "go",
      ",",
      "gon",
      "na",
      "stay",
      ";",
      "wan",
      "na",
      "come",
      "?",
    ]);
    expect(wordTokenize("'Tis the season. 'Twas fun.")).toEqual([
      "'T",
      "is",
      "the",
      "season",
      ".",
      "'T",
      "was",
      "fun",
      ".",
    ]);
  });

  it("pads brackets, dashes and symbols", () => {
    expect(wordTokenize("(a) [b] {c} <d> e--f")).toEqual([
      "(",
      "a",
      ")",
      "[",
      "b",
      "]",
      "{",
      "c",
      "}",
      "<",
      "d",
      ">",
      "e",
      "--",
      "f",
    ]);
    expect(wordTokenize("Email me at x@y.com #tag 50% & more")).toEqual([
      "Email",
      "me",
      "at",
      "x",
      "@",
      "y.com",
      "#",
      "tag",
      "50",
      "%",
      "&",
      "more",
    ]);
  });

  it("returns nothing for blank text", () => {
    expect(wordTokenize("")).toEqual([]);
    expect(wordTokenize(" \n ")).toEqual([]);
  });
});
