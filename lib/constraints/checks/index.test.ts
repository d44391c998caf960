import { describe, expect, it } from "vitest";
import { CONSTRAINT_IDS } from "../ids";
import { CHECKS, ConstraintKwargsError, parseKwargs } from "./index";

describe("CHECKS", () => {
  it("has one definition per instruction id, keyed by its own id", () => {
    expect(Object.keys(CHECKS).sort()).toEqual([...CONSTRAINT_IDS].sort());
    for (const id of CONSTRAINT_IDS) expect(CHECKS[id].id).toBe(id);
  });
});

describe("parseKwargs", () => {
  it("drops null-valued keys (Hugging Face copy of IFEval)", () => {
    const hf = {
      num_highlights: 3,
      relation: null,
      num_words: null,
      keywords: null,
      language: null,
      prompt_to_repeat: null,
    };
    expect(parseKwargs("detectable_format:number_highlighted_sections", hf)).toEqual({ num_highlights: 3 });
    expect(parseKwargs("punctuation:no_comma", { keyword: null, frequency: null })).toEqual({});
  });

  it("rejects relations other than 'less than' and 'at least'", () => {
    expect(() => parseKwargs("length_constraints:number_words", { num_words: 10, relation: "at most" })).toThrow(
      ConstraintKwargsError,
    );
    try {
      parseKwargs("length_constraints:number_words", { num_words: 10, relation: "at most" });
    } catch (err) {
      const e = err as ConstraintKwargsError;
      expect(e.id).toBe("length_constraints:number_words");
      expect(e.field).toBe("relation");
      expect(e.message).toContain("length_constraints:number_words");
      expect(e.message).toContain("relation");
    }
  });

  it("names missing and unexpected fields", () => {
    expect(() => parseKwargs("keywords:frequency", { keyword: "x", relation: "at least" })).toThrow(
      /keywords:frequency.*frequency.*missing/,
    );
    expect(() => parseKwargs("punctuation:no_comma", { extra: 1 })).toThrow(/punctuation:no_comma.*extra/);
  });

  it("rejects negative or fractional counts and wrong types", () => {
    expect(() => parseKwargs("detectable_content:number_placeholders", { num_placeholders: -1 })).toThrow(
      /num_placeholders/,
    );
    expect(() => parseKwargs("detectable_content:number_placeholders", { num_placeholders: 1.5 })).toThrow(
      /num_placeholders/,
    );
    expect(() => parseKwargs("detectable_content:number_placeholders", { num_placeholders: "3" })).toThrow(
      /num_placeholders/,
    );
  });

  it("rejects keywords that are not valid Python regexes", () => {
    expect(() => parseKwargs("keywords:existence", { keywords: ["ok", "bad\\q"] })).toThrow(/keywords\.1/);
    expect(() => parseKwargs("keywords:forbidden_words", { forbidden_words: ["(open"] })).toThrow(/forbidden_words/);
    expect(() => parseKwargs("detectable_format:multiple_sections", { section_spliter: "[", num_sections: 2 })).toThrow(
      /section_spliter/,
    );
    expect(() => parseKwargs("keywords:existence", { keywords: [] })).toThrow(/keywords/);
  });

  it("rejects a non-object", () => {
    expect(() => parseKwargs("punctuation:no_comma", null as never)).toThrow(ConstraintKwargsError);
  });
});
