import { describe, expect, it } from "vitest";
import { parseKwargs } from "./index";
import { check } from "./test-helpers";

const LANGUAGE = "language:response_language";
const CAPITAL_WORDS = "change_case:capital_word_frequency";
const CAPITAL = "change_case:english_capital";
const LOWER = "change_case:english_lowercase";

describe("language:response_language", () => {
  it("passes when the detected language matches (official cases, own sentences)", () => {
    expect(check(LANGUAGE, { language: "en" }, "The response is English")).toBe(true);
    expect(check(LANGUAGE, { language: "es" }, "Hoy desayunamos en un café del centro con toda la familia")).toBe(true);
    expect(check(LANGUAGE, { language: "en" }, "Today we visit the Louvre")).toBe(true);
  });

  it("fails on another language", () => {
    expect(check(LANGUAGE, { language: "en" }, "Bonjour tout le monde, comment allez-vous aujourd'hui ?")).toBe(false);
  });

  it("counts as followed when detection raises (no features)", () => {
    expect(check(LANGUAGE, { language: "ko" }, "12345 !!!")).toBe(true);
    expect(check(LANGUAGE, { language: "hi" }, "...")).toBe(true);
  });

  it("accepts only the reference's ISO 639-1 codes", () => {
    expect(() => parseKwargs(LANGUAGE, { language: "xx" })).toThrow(/language/);
    expect(() => parseKwargs(LANGUAGE, { language: "zh-cn" })).toThrow(/language/);
    expect(parseKwargs(LANGUAGE, { language: "fi" })).toEqual({ language: "fi" });
  });
});

describe("change_case:capital_word_frequency", () => {
  const at = (n: number, text: string) =>
    check(CAPITAL_WORDS, { capital_frequency: n, capital_relation: "at least" }, text) &&
    check(CAPITAL_WORDS, { capital_frequency: n + 1, capital_relation: "less than" }, text);
  /** Exactly n capital tokens. */
  const exactly = (n: number, text: string) => at(n, text) && !at(n + 1, text);

  it("counts all-capital tokens (official cases, own sentences)", () => {
    const mixed = "\n  THESE are ONLY THREE FUlly CAPITAL words? no.\n  ";
    expect(exactly(4, mixed)).toBe(true); // THESE ONLY THREE CAPITAL
    const second = "\n  THERE are Four FULLY CAPITAL WORDS. Many Others Are Only Partially So.\n  ";
    expect(check(CAPITAL_WORDS, { capital_frequency: 5, capital_relation: "less than" }, second)).toBe(true);
    expect(check(CAPITAL_WORDS, { capital_frequency: 4, capital_relation: "less than" }, second)).toBe(false);
  });

  it("counts NLTK tokens with Python isupper()", () => {
    expect(exactly(1, "I")).toBe(true);
    expect(exactly(1, "A")).toBe(true);
    expect(exactly(2, "I'M")).toBe(true);
    expect(exactly(2, "DON'T")).toBe(true);
    expect(exactly(1, "U.S.")).toBe(true);
    expect(exactly(0, "NASA-led")).toBe(true);
    expect(exactly(0, "2023")).toBe(true);
    expect(exactly(1, "**BOLD**")).toBe(true);
  });
});

describe("change_case:english_capital", () => {
  it("needs isupper() and English (official cases)", () => {
    expect(check(CAPITAL, {}, "\n  THIS IS AN ENGLISH SENTENCE. EVERY LETTER IS CAPITALIZED!!! AMAZING.\n  ")).toBe(
      true,
    );
    expect(check(CAPITAL, {}, "\n  Every Word Is Capitalized.\n  ")).toBe(false);
  });

  it("fails all-caps text in another language", () => {
    expect(check(CAPITAL, {}, "WIR SIND HEUTE IN BERLIN UND ESSEN KUCHEN.")).toBe(false);
  });

  it("passes when isupper() holds and detection raises", () => {
    expect(check(CAPITAL, {}, "123 Ⅻ!")).toBe(true);
  });

  it("does not detect when the case test fails", () => {
    expect(check(CAPITAL, {}, "12345 !!!")).toBe(false);
  });
});

describe("change_case:english_lowercase", () => {
  it("needs islower() and English (official cases)", () => {
    expect(check(LOWER, {}, "\n  every letter is lowercase.\n  ")).toBe(true);
    expect(check(LOWER, {}, "\n  Almost every letter is lowercase.\n  ")).toBe(false);
  });

  it("passes when islower() holds and detection raises", () => {
    expect(check(LOWER, {}, "123 ⓐ")).toBe(true);
  });
});
