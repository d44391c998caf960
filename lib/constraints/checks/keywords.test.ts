import { describe, expect, it } from "vitest";
import { parseKwargs } from "./index";
import { check } from "./test-helpers";

const EXISTENCE = "keywords:existence";
const FREQUENCY = "keywords:frequency";
const FORBIDDEN = "keywords:forbidden_words";
const LETTER = "keywords:letter_frequency";

describe("keywords:existence", () => {
  const tour = `
  Lisbon climbs seven hills above the Tagus river. Yellow trams rattle past tiled facades, and
  at sunset the romantic viewpoints fill with music. In the Gulbenkian you can stand in front of
  a Rembrandt before walking back down to the river for grilled sardines.`;
  const brochure = `
  Lisbon is a city of light, music and food. It is known for its trams, its tiled houses and
  its river views, which many visitors call romantic.`;

  it("needs every keyword (official: all three present passes, one missing fails)", () => {
    const kwargs = { keywords: ["romantic", "river", "Rembrandt"] };
    expect(check(EXISTENCE, kwargs, tour)).toBe(true);
    expect(check(EXISTENCE, kwargs, brochure)).toBe(false);
  });

  it("is a case-insensitive search without word boundaries", () => {
    expect(check(EXISTENCE, { keywords: ["cat"] }, "Concatenate the files.")).toBe(true);
    expect(check(EXISTENCE, { keywords: ["RIVER"] }, "a riverbank")).toBe(true);
    expect(check(EXISTENCE, { keywords: ["dog"] }, "a cat")).toBe(false);
  });

  it("uses the keyword as an unescaped regex", () => {
    expect(check(EXISTENCE, { keywords: ["react.js"] }, "I like reactXjs")).toBe(true);
    expect(check(EXISTENCE, { keywords: ["2*input"] }, "the input")).toBe(true);
    expect(check(EXISTENCE, { keywords: ["Einstein's"] }, "EINSTEIN'S theory")).toBe(true);
  });
});

describe("keywords:frequency", () => {
  it("strips the keyword and counts case-insensitively (official cases)", () => {
    const text = "\n  token, Token, TOKEN\n  ";
    expect(check(FREQUENCY, { keyword: "  token ", frequency: 4, relation: "less than" }, text)).toBe(true);
    expect(check(FREQUENCY, { keyword: "  token ", frequency: 3, relation: "at least" }, text)).toBe(true);
    const bullets = "\n    *token\n    *Token\n    *TOKEN\n  ";
    expect(check(FREQUENCY, { keyword: "TOKEN", frequency: 4, relation: "at least" }, bullets)).toBe(false);
  });

  it("counts non-overlapping substring matches", () => {
    const text = "war warfare Warsaw award";
    expect(check(FREQUENCY, { keyword: "war", frequency: 4, relation: "at least" }, text)).toBe(true);
    expect(check(FREQUENCY, { keyword: "war", frequency: 5, relation: "at least" }, text)).toBe(false);
    expect(check(FREQUENCY, { keyword: "aa", frequency: 2, relation: "at least" }, "aaa")).toBe(false);
  });

  it("compares with < for 'less than' and >= for 'at least'", () => {
    expect(check(FREQUENCY, { keyword: "x", frequency: 2, relation: "less than" }, "x x")).toBe(false);
    expect(check(FREQUENCY, { keyword: "x", frequency: 2, relation: "at least" }, "x x")).toBe(true);
    expect(check(FREQUENCY, { keyword: "x", frequency: 0, relation: "at least" }, "none")).toBe(true);
  });
});

describe("keywords:forbidden_words", () => {
  const history = `
  The party won power in 1933 through a mix of legal and illegal means. Within a year its leader
  had made himself dictator, and the parliament had stopped meeting.`;
  const dinosaurs = `
  Dinosaurs ruled the land for more than 160 million years, from the tiny Compsognathus to the
  huge Argentinosaurus, until an asteroid impact ended their reign.`;
  const models = `
  GPT, or Generative Pre-trained Transformer, is a family of neural network models. They are
  trained on text and code and are used for text generation and translation by companies like Google.`;

  it("fails when a whole word appears, case-insensitively (official cases)", () => {
    const first = { forbidden_words: ["HOUSE", "POWER", "BECOME"] };
    expect(check(FORBIDDEN, first, history)).toBe(false);
    expect(check(FORBIDDEN, first, dinosaurs)).toBe(true);
    expect(check(FORBIDDEN, first, models)).toBe(true);
    const second = { forbidden_words: ["GOOGLE", "TEXT"] };
    expect(check(FORBIDDEN, second, history)).toBe(true);
    expect(check(FORBIDDEN, second, dinosaurs)).toBe(true);
    expect(check(FORBIDDEN, second, models)).toBe(false);
    expect(check(FORBIDDEN, { forbidden_words: ["GENE", "TRANSFORM"] }, models)).toBe(true);
  });

  it("uses \\b boundaries: inflections pass, hyphenated compounds fail", () => {
    expect(check(FORBIDDEN, { forbidden_words: ["rock"] }, "These rocks are old.")).toBe(true);
    expect(check(FORBIDDEN, { forbidden_words: ["rock"] }, "A ROCK-solid plan.")).toBe(false);
    expect(check(FORBIDDEN, { forbidden_words: ["rock", "rock"] }, "no stones")).toBe(true);
  });

  it("uses Unicode word characters for the boundary", () => {
    expect(check(FORBIDDEN, { forbidden_words: ["caf"] }, "un café")).toBe(true);
    expect(check(FORBIDDEN, { forbidden_words: ["café"] }, "UN CAFÉ")).toBe(false);
  });
});

describe("keywords:letter_frequency", () => {
  it("lowercases letter and text (official cases)", () => {
    const text = "\n  Tap the T key. Four T's.\n  ";
    expect(check(LETTER, { letter: "T", let_frequency: 4, let_relation: "at least" }, text)).toBe(true);
    const keys = "\n  asdfghjkl!!aA\n  ";
    expect(check(LETTER, { letter: "a", let_frequency: 4, let_relation: "less than" }, keys)).toBe(true);
    expect(check(LETTER, { letter: "p", let_frequency: 4, let_relation: "at least" }, keys)).toBe(false);
  });

  it("accepts punctuation as the letter (newest rule; IFEval uses '#' and '!')", () => {
    const kwargs = { letter: "#", let_frequency: 4, let_relation: "at least" };
    expect(check(LETTER, kwargs, "#red #green #blue #white")).toBe(true);
    expect(check(LETTER, kwargs, "#red #green #blue")).toBe(false);
    expect(check(LETTER, { letter: "!", let_frequency: 2, let_relation: "less than" }, "Wow! Yes!")).toBe(false);
  });

  it("counts code points of the Unicode-lowercased text", () => {
    expect(check(LETTER, { letter: "É", let_frequency: 2, let_relation: "at least" }, "été")).toBe(true);
    expect(check(LETTER, { letter: "😀", let_frequency: 2, let_relation: "at least" }, "😀 and 😀")).toBe(true);
  });

  it("rejects a multi-character letter and a negative frequency", () => {
    expect(() => parseKwargs(LETTER, { letter: "ab", let_frequency: 1, let_relation: "at least" })).toThrow(/letter/);
    expect(() => parseKwargs(LETTER, { letter: " ", let_frequency: 1, let_relation: "at least" })).toThrow(/letter/);
    expect(() => parseKwargs(LETTER, { letter: "a", let_frequency: -1, let_relation: "at least" })).toThrow(
      /let_frequency/,
    );
  });
});

describe("keywords:forbidden_words fast path", () => {
  // Literal words take a hand-written boundary search; it must agree with the regex route.
  const cases: [string, string, boolean][] = [
    ["rock", "rocks", true],
    ["rock", "a rock", false],
    ["rock", "rockrock rock", false],
    ["rock", "rockrock", true],
    ["rock", "_rock", true],
    ["rock", "éROCK", true],
    ["rock", "😀rock😀", false],
    ["𐐨rock", "x 𐐀ROCK y", false],
    ["self-care", "SELF-CARE routine", false],
    ["10%", "up 10% now", true],
    ["10%", "up 10%x now", false],
    ["%", "50 % off", true],
    ["a b", "A  B", true],
    ["a b", "A B.", false],
  ];
  it.each(cases)("%j in %j → followed %s", (word, text, followed) => {
    expect(check(FORBIDDEN, { forbidden_words: [word] }, text)).toBe(followed);
  });
});
