import { describe, expect, it } from "vitest";
import { countWords } from "./length";
import { parseKwargs } from "./index";
import { check } from "./test-helpers";

const SENTENCES = "length_constraints:number_sentences";
const PARAGRAPHS = "length_constraints:number_paragraphs";
const WORDS = "length_constraints:number_words";
const NTH = "length_constraints:nth_paragraph_first_word";

describe("length_constraints:number_sentences", () => {
  const sentences = (n: number, text: string) =>
    check(SENTENCES, { num_sentences: n, relation: "at least" }, text) &&
    check(SENTENCES, { num_sentences: n + 1, relation: "less than" }, text) &&
    !check(SENTENCES, { num_sentences: n + 1, relation: "at least" }, text);

  it("compares the Punkt sentence count (official cases, other letters)", () => {
    expect(check(SENTENCES, { num_sentences: 4, relation: "less than" }, "zz,z. zz,z! zz/z. z{z}z?")).toBe(false);
    expect(check(SENTENCES, { num_sentences: 5, relation: "less than" }, "zzzz. zz,z! zzzz. z(z)z?")).toBe(true);
    expect(check(SENTENCES, { num_sentences: 4, relation: "at least" }, "zzzz. zz,z! zz|z. z&z z?")).toBe(true);
    expect(check(SENTENCES, { num_sentences: 5, relation: "at least" }, "zz-z. zz,z! zz}z. z,zz?")).toBe(false);
  });

  it("counts like NLTK 3.8 Punkt (utility cases and spec vectors)", () => {
    expect(sentences(5, "zz,z. zz,z! zz/z. z{z}z? z.")).toBe(true);
    expect(sentences(3, "zz,z! zzzz. z(z)z?")).toBe(true);
    expect(sentences(2, "zz-z]zz,z! z{z}zz,z.")).toBe(true);
    expect(sentences(4, "It costs $3.50. Really? Yes! Mr. Smith agrees... OK.")).toBe(true);
    expect(sentences(3, "1. Apples\n2. Pears.")).toBe(true);
    expect(sentences(1, "Sentence one.Sentence two.")).toBe(true);
    expect(sentences(3, "e.g. this is one. U.S. is big.")).toBe(true);
    expect(sentences(2, "First line.\nSecond line.")).toBe(true);
  });

  it("does not split on newlines alone: a bullet list without periods is one sentence", () => {
    expect(sentences(1, "* apples\n* pears\n* plums")).toBe(true);
  });
});

describe("length_constraints:number_paragraphs", () => {
  const n = (num: number, text: string) => check(PARAGRAPHS, { num_paragraphs: num }, text);

  it("splits on *** dividers (official cases, own text)", () => {
    expect(n(3, "\n  first part\n  ***\n  second part\n  ***\n  third part")).toBe(true);
    expect(
      n(3, "\n          ***\n  first part\n          ***\n      second part\n          ***\n      third part"),
    ).toBe(true);
    expect(
      n(3, "\n  first part\n          ***\n      second part\n          ***\n      third part\n          ***"),
    ).toBe(true);
    expect(n(2, "\n  first part\n          ***\n      second part\n          ***\n          ***")).toBe(false);
  });

  it("needs exactly N pieces", () => {
    expect(n(2, "a\n***\nb\n***\nc")).toBe(false);
    expect(n(4, "a\n***\nb\n***\nc")).toBe(false);
    expect(n(1, "just one")).toBe(true);
  });

  it("fails at once on a blank middle piece (****** or two dividers in a row)", () => {
    expect(n(2, "a ****** b")).toBe(false);
    expect(n(2, "a\n***\n***\nb")).toBe(false);
  });

  it("splits any ***, markdown bold italic included", () => {
    expect(n(3, "This is ***very*** important")).toBe(true);
    expect(n(1, "This is ***very*** important")).toBe(false);
  });

  it("takes at most one whitespace character on each side", () => {
    // "a  ***  b": the pieces are "a " and " b" — both non-blank.
    expect(n(2, "a  ***  b")).toBe(true);
  });
});

describe("length_constraints:number_words", () => {
  it("counts runs of word characters (official cases, own text)", () => {
    expect(check(WORDS, { num_words: 8, relation: "less than" }, "\n  sH0rt t3xt w1th s3v3n 7 w0rDs.")).toBe(true);
    const leet = "\n  F4ST C4RS: m4ch1nes th4t acc3l3rate, br4ke, or dr1ft\n  ar0und tr4cks w1th gr3at sp33d & n01se.";
    expect(countWords(leet)).toBe(14);
    expect(check(WORDS, { num_words: 14, relation: "less than" }, leet)).toBe(false);
    expect(check(WORDS, { num_words: 14, relation: "at least" }, leet)).toBe(true);
  });

  it("matches the reference word counter (utility cases, own text)", () => {
    expect(countWords("alpha1, alpha2, alpha3, alpha4.")).toBe(4);
    expect(countWords("\n  Hyphen-joined terms count twice here.\n  ")).toBe(6);
  });

  it("follows Python \\w: apostrophes and hyphens split, marks split Devanagari", () => {
    expect(countWords("don't")).toBe(2);
    expect(countWords("state-of-the-art 3.14")).toBe(6);
    expect(countWords("e-mail@x.com")).toBe(4);
    expect(countWords("東京都に住んでいます")).toBe(1);
    expect(countWords("हिन्दी भाषा")).toBe(5);
    expect(countWords("snake_case_name")).toBe(1);
  });
});

describe("length_constraints:nth_paragraph_first_word", () => {
  const run = (num: number, nth: number, word: string, text: string) =>
    check(NTH, { num_paragraphs: num, nth_paragraph: nth, first_word: word }, text);

  it("official cases, own text", () => {
    expect(run(3, 2, "I", "\n  part one\n\n  I part two\n\n  part three")).toBe(true);
    expect(run(3, 2, "I", "\n  part one\n\n  I part two")).toBe(false);
    expect(run(3, 2, "I", "\n  part one\n\n  nope part two\n\n  part three")).toBe(false);
    const five = (third: string) =>
      `\n  What a long answer this is.\n\n  I did not expect so many paragraphs.\n\n  ${third}\n\n  I will keep going anyway.\n\n  Haha, there it ends.`;
    expect(run(5, 5, "haha", five("Truly more than three? Yes!"))).toBe(true);
    expect(run(5, 3, "Truly", five('"Truly?! more than three? Yes!"'))).toBe(true);
    expect(run(5, 3, "Truly", five("Tru!ly more than three? Yes!"))).toBe(false);
  });

  it("counts non-blank pieces but indexes the raw split", () => {
    // "\n\n\n\n" leaves a blank piece between: 2 paragraphs, but element 2 of the raw list is blank.
    const text = "First here.\n\n\n\nSecond here.";
    expect(run(2, 1, "first", text)).toBe(true);
    expect(run(2, 2, "second", text)).toBe(false);
  });

  it("fails when nth is beyond the paragraph count", () => {
    expect(run(3, 3, "c", "a\n\nb")).toBe(false);
  });

  it("keeps other punctuation in the first word", () => {
    expect(run(1, 1, "hello", "**Hello** there")).toBe(false);
    expect(run(1, 1, "hello", "Hello: there")).toBe(false);
    expect(run(1, 1, "hello", '"Hello," she said')).toBe(true);
    expect(run(1, 1, "hello", "'Hello' she said")).toBe(true);
    expect(run(1, 1, "it", "It's here")).toBe(true);
  });

  it("needs the paragraph count to match exactly", () => {
    expect(run(2, 1, "one", "One.\n\nTwo.\n\nThree.")).toBe(false);
  });

  it("rejects nth_paragraph above num_paragraphs or below 1", () => {
    expect(() => parseKwargs(NTH, { num_paragraphs: 2, nth_paragraph: 3, first_word: "x" })).toThrow(/nth_paragraph/);
    expect(() => parseKwargs(NTH, { num_paragraphs: 2, nth_paragraph: 0, first_word: "x" })).toThrow(/nth_paragraph/);
  });
});
