import { describe, expect, it } from "vitest";
import { countSentences, sentSpans, sentTokenize } from "./punkt";

// Expected values are NLTK 3.8 `sent_tokenize` outputs (English Punkt model).

describe("countSentences: spec §4.2 sanity vectors", () => {
  it.each([
    ["It costs $3.50. Really? Yes! Mr. Smith agrees... OK.", 4],
    ["1. Apples\n2. Pears.", 3],
    ["Sentence one.Sentence two.", 1],
    ["e.g. this is one. U.S. is big.", 3],
    ["First line.\nSecond line.", 2],
  ])("%j has %i sentences", (text, n) => {
    expect(countSentences(text)).toBe(n);
  });

  it("splits the vectors as NLTK does", () => {
    expect(sentTokenize("It costs $3.50. Really? Yes! Mr. Smith agrees... OK.")).toEqual([
      "It costs $3.50.",
      "Really?",
      "Yes!",
      "Mr. Smith agrees... OK.",
    ]);
    expect(sentTokenize("1. Apples\n2. Pears.")).toEqual(["1.", "Apples\n2.", "Pears."]);
    expect(sentTokenize("e.g. this is one. U.S. is big.")).toEqual(["e.g.", "this is one.", "U.S. is big."]);
  });
});

describe("sentTokenize", () => {
  it("handles empty, blank and unpunctuated text", () => {
    expect(sentTokenize("")).toEqual([]);
    expect(sentTokenize("   \n\t ")).toEqual([]);
    expect(sentTokenize("Hello world")).toEqual(["Hello world"]);
    expect(sentTokenize("  Hello world.  \n")).toEqual(["  Hello world."]);
    // Newlines alone never split; a bullet list without periods is one sentence.
    expect(sentTokenize("- item one\n- item two\n- item three")).toHaveLength(1);
  });

  it("keeps known abbreviations inside the sentence", () => {
    expect(sentTokenize("Dr. Jones and Mrs. Brown met Prof. White at the Co. office.")).toHaveLength(1);
    expect(sentTokenize("Mr. Smith went to Washington. He arrived at 5 p.m. on Friday.")).toEqual([
      "Mr. Smith went to Washington.",
      "He arrived at 5 p.m. on Friday.",
    ]);
    expect(sentTokenize("She works at Acme Inc. and she is leaving.")).toHaveLength(1);
    expect(sentTokenize("Visit the ph.d. office.")).toHaveLength(1);
    // hyphen rule: the last hyphen-separated part is an abbreviation
    expect(sentTokenize("pre-jan. Then.")).toHaveLength(1);
  });

  it("breaks after an abbreviation before a frequent sentence starter", () => {
    expect(sentTokenize("She works at Acme Inc. However, she is leaving.")).toEqual([
      "She works at Acme Inc.",
      "However, she is leaving.",
    ]);
    expect(sentTokenize("He left at 5 a.m. The sun rose.")).toEqual(["He left at 5 a.m.", "The sun rose."]);
  });

  it("applies the orthographic heuristic", () => {
    // capitalised word seen lower-case and never capitalised mid-sentence: a sentence start
    expect(sentTokenize("Ask Mr. Went home.")).toEqual(["Ask Mr.", "Went home."]);
    expect(sentTokenize("See Dr. Yesterday it rained.")).toEqual(["See Dr.", "Yesterday it rained."]);
    // a name after an abbreviation: no break
    expect(sentTokenize("Acme Inc. Smith said so.")).toHaveLength(1);
    // ellipsis followed by a lower-case word: no break; by a sentence starter: break
    expect(sentTokenize("The cat sat... the dog ran.")).toHaveLength(1);
    expect(sentTokenize("The cat sat... The dog ran.")).toEqual(["The cat sat...", "The dog ran."]);
    expect(sentTokenize("Wait... what happened? I don't know!")).toEqual(["Wait... what happened?", "I don't know!"]);
  });

  it("treats initials and numbers", () => {
    expect(sentTokenize("I saw J. S. Bach play. It was great.")).toEqual(["I saw J. S. Bach play.", "It was great."]);
    expect(sentTokenize("A. Lincoln spoke.")).toHaveLength(1);
    expect(sentTokenize("Plan A. then plan B.")).toHaveLength(1);
    expect(sentTokenize("He scored 95. the rest failed.")).toHaveLength(1);
    expect(sentTokenize("The vote was 10 to 3. The motion passed.")).toHaveLength(2);
    expect(sentTokenize("Section 1. The beginning.")).toEqual(["Section 1.", "The beginning."]);
    expect(sentTokenize("Is it 3.14? Yes. It is.")).toEqual(["Is it 3.14?", "Yes.", "It is."]);
    // collocations of the model: "b. smith", "##number## business"
    expect(sentTokenize("I met B. Smith today.")).toHaveLength(1);
    expect(sentTokenize("He has 3. Business is good.")).toHaveLength(1);
    expect(sentTokenize("Read ch. 5. Next.")).toEqual(["Read ch.", "5.", "Next."]);
  });

  it("keeps closing quotes and brackets with their sentence", () => {
    expect(sentTokenize('He said "Stop." Then he left.')).toEqual(['He said "Stop."', "Then he left."]);
    expect(sentTokenize("(This is a test.) And another one.")).toEqual(["(This is a test.)", "And another one."]);
    expect(sentTokenize("'Quoted sentence.' Next sentence.")).toEqual(["'Quoted sentence.'", "Next sentence."]);
    expect(sentTokenize("It ended.) Next.")).toEqual(["It ended.)", "Next."]);
  });

  it("takes a run of end marks as one break", () => {
    expect(sentTokenize("Very bad acting!!! I promise.")).toEqual(["Very bad acting!!!", "I promise."]);
  });

  it("returns spans into the text", () => {
    const text = "One. Two? Three!";
    expect(sentSpans(text)).toEqual([
      [0, 4],
      [5, 9],
      [10, 16],
    ]);
  });
});
