import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeWithSharedData, sharedDataPath } from "../../test/shared-data";
import { CONFLICTS, conflicts, conflictsWithAny } from "./conflicts";
import { CONSTRAINT_IDS, type ConstraintId } from "./ids";

const byName = (name: string): ConstraintId => {
  const id = CONSTRAINT_IDS.find((i) => i.split(":")[1] === name);
  if (!id) throw new Error(`no id named ${name}`);
  return id;
};
const compatibleWith = (name: string) =>
  CONSTRAINT_IDS.filter((other) => !conflicts(byName(name), other))
    .map((i) => i.split(":")[1])
    .sort();

describe("conflicts (FCI's effective symmetric table, spec §8.3)", () => {
  it("is symmetric and every id conflicts with itself", () => {
    for (const a of CONSTRAINT_IDS) {
      expect(conflicts(a, a)).toBe(true);
      for (const b of CONSTRAINT_IDS) expect(conflicts(a, b)).toBe(conflicts(b, a));
    }
  });

  it("gives the four restricted ids exactly their compatible lists", () => {
    expect(compatibleWith("constrained_response")).toEqual([]);
    expect(compatibleWith("json_format")).toEqual(["existence", "forbidden_words", "frequency"]);
    expect(compatibleWith("two_responses")).toEqual(
      ["existence", "forbidden_words", "no_comma", "quotation", "response_language", "title"].sort(),
    );
    expect(compatibleWith("repeat_prompt")).toEqual(["existence", "no_comma", "title"]);
  });

  it("has the other pairwise exclusions", () => {
    for (const other of [
      "existence",
      "frequency",
      "forbidden_words",
      "multiple_sections",
      "end_checker",
      "english_capital",
      "english_lowercase",
    ]) {
      expect(conflicts(byName("response_language"), byName(other))).toBe(true);
    }
    for (const other of ["number_sentences", "nth_paragraph_first_word", "multiple_sections"]) {
      expect(conflicts(byName("number_paragraphs"), byName(other))).toBe(true);
    }
    expect(conflicts(byName("multiple_sections"), byName("number_highlighted_sections"))).toBe(true);
    expect(conflicts(byName("capital_word_frequency"), byName("english_capital"))).toBe(true);
    expect(conflicts(byName("capital_word_frequency"), byName("english_lowercase"))).toBe(true);
    expect(conflicts(byName("english_capital"), byName("english_lowercase"))).toBe(true);
    expect(conflicts(byName("title"), byName("quotation"))).toBe(true);
  });

  it("lets everything else combine (spot checks from the spec)", () => {
    expect(conflicts(byName("nth_paragraph_first_word"), byName("number_sentences"))).toBe(false);
    expect(conflicts(byName("json_format"), byName("frequency"))).toBe(false);
    expect(conflicts(byName("two_responses"), byName("quotation"))).toBe(false);
    expect(conflicts(byName("no_comma"), byName("end_checker"))).toBe(false);
    expect(conflicts(byName("letter_frequency"), byName("number_words"))).toBe(false);
  });

  it("counts exactly the pairs the rules produce", () => {
    let pairs = 0;
    for (let i = 0; i < CONSTRAINT_IDS.length; i++) {
      for (let j = i + 1; j < CONSTRAINT_IDS.length; j++)
        if (conflicts(CONSTRAINT_IDS[i]!, CONSTRAINT_IDS[j]!)) pairs++;
    }
    // constrained_response: 24; json_format: 21 others, 20 new; two_responses: 18 others, 16 new;
    // repeat_prompt: 21 others, 18 new; then 7 + 3 + 1 + 2 + 1 + 1 = 15 listed exclusions.
    expect(pairs).toBe(24 + 20 + 16 + 18 + 15);
  });

  it("CONFLICTS lists the same relation, itself included", () => {
    for (const a of CONSTRAINT_IDS) {
      expect(CONFLICTS[a]).toContain(a);
      for (const b of CONSTRAINT_IDS) expect(CONFLICTS[a].includes(b)).toBe(conflicts(a, b));
    }
  });

  it("conflictsWithAny checks against every chosen id", () => {
    expect(conflictsWithAny("startend:quotation", [])).toBe(false);
    expect(conflictsWithAny("startend:quotation", ["punctuation:no_comma"])).toBe(false);
    expect(conflictsWithAny("startend:quotation", ["punctuation:no_comma", "detectable_format:title"])).toBe(true);
    expect(conflictsWithAny("punctuation:no_comma", new Set<ConstraintId>(["punctuation:no_comma"]))).toBe(true);
  });
});

describeWithSharedData("conflicts against FCI's released data", () => {
  it("no record of data.jsonl holds a conflicting pair", () => {
    const lines = readFileSync(sharedDataPath("fci", "data.jsonl"), "utf8").split("\n").filter(Boolean);
    expect(lines.length).toBe(1500);
    for (const line of lines) {
      const ids = (JSON.parse(line) as { instruction_id_list: ConstraintId[] }).instruction_id_list;
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++)
          expect(conflicts(ids[i]!, ids[j]!), `${ids[i]} × ${ids[j]}`).toBe(false);
      }
    }
  });
});
