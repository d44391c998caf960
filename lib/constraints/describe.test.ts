import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeWithSharedData, sharedDataPath } from "../../test/shared-data";
import { LANGUAGE_NAMES as CHECK_LANGUAGE_NAMES } from "./checks/index";
import { sampleKwargs, VALUE_POOLS } from "./compose";
import {
  describeConstraint,
  fillTemplate,
  LANGUAGE_NAMES,
  ordinal,
  renderConstraint,
  REPEAT_PROMPT_END_TEMPLATES,
  REPEAT_PROMPT_START_TEMPLATES,
  repeatPromptPosition,
  SLOT_PATTERN,
  slotValues,
  TEXTS,
} from "./describe";
import { CONSTRAINT_IDS, type ConstraintId, type Kwargs } from "./ids";
import { NO_REPAIR_REASONS } from "./repair/index";
import { createRng } from "./rng";

/** Template counts of spec §8.2. */
const TEMPLATE_COUNTS: Partial<Record<ConstraintId, number>> = {
  "language:response_language": 5,
  "length_constraints:number_paragraphs": 7,
  "length_constraints:nth_paragraph_first_word": 7,
  "change_case:capital_word_frequency": 7,
};

const WORDS = ["garden", "river", "Jay-Z", "lantern"];

function kwargsSamples(id: ConstraintId, n: number): Kwargs[] {
  const rng = createRng(`describe-${id}`);
  return Array.from({ length: n }, (_, i) =>
    sampleKwargs(id, rng, () => WORDS[i % WORDS.length]!, "Write a haiku about rain."),
  );
}

/** Kwargs names whose value every template of the id must show. */
function shownKwargs(id: ConstraintId, kwargs: Kwargs): string[] {
  if (id === "combination:repeat_prompt") return [];
  return Object.keys(kwargs);
}

describe("instruction templates (spec §8.2)", () => {
  it("has 5–8 templates per id, as many as the spec lists", () => {
    for (const id of CONSTRAINT_IDS) {
      expect(TEXTS[id].templates.length, id).toBe(TEMPLATE_COUNTS[id] ?? 8);
      expect(new Set(TEXTS[id].templates).size, `${id} has duplicate templates`).toBe(TEXTS[id].templates.length);
    }
  });

  it("renders every template of every id with no leftover slot", () => {
    for (const id of CONSTRAINT_IDS) {
      for (const kwargs of kwargsSamples(id, 6)) {
        TEXTS[id].templates.forEach((template, index) => {
          const text = renderConstraint(id, kwargs, createRng(0), index);
          expect([...text.matchAll(SLOT_PATTERN)], `${id} #${index}: ${text}`).toEqual([]);
          for (const name of Object.keys(kwargs)) expect(text).not.toContain(`<${name}>`);
          expect(text.length).toBeGreaterThan(10);
          // compose appends ". " after every text but the repeat_prompt one
          if (id !== "combination:repeat_prompt") expect(template).not.toMatch(/\.$/);
        });
      }
    }
  });

  it("shows every kwarg value in every template", () => {
    for (const id of CONSTRAINT_IDS) {
      const [kwargs] = kwargsSamples(id, 1);
      const values = slotValues(id, kwargs!);
      for (const template of TEXTS[id].templates) {
        for (const name of shownKwargs(id, kwargs!))
          expect(template, `${id}: <${name}> missing`).toContain(`<${name}>`);
        expect(fillTemplate(template, values)).not.toMatch(SLOT_PATTERN);
      }
    }
  });

  it("shows language names, not codes, for all 22 composition languages", () => {
    expect(VALUE_POOLS.languages).toHaveLength(22);
    for (const code of VALUE_POOLS.languages) {
      const name = LANGUAGE_NAMES[code]!;
      expect(name).toMatch(/^[A-Z][a-z]+$/);
      for (let i = 0; i < TEXTS["language:response_language"].templates.length; i++) {
        const text = renderConstraint("language:response_language", { language: code }, createRng(0), i);
        expect(text).toContain(name);
        expect(text).not.toMatch(new RegExp(`\\b${code}\\b`));
      }
    }
    expect(LANGUAGE_NAMES).toEqual(CHECK_LANGUAGE_NAMES);
  });

  it("shows nth_paragraph as an ordinal word", () => {
    expect([1, 2, 3, 4].map(ordinal)).toEqual(["first", "second", "third", "fourth"]);
    expect(ordinal(11)).toBe("11th");
    expect(ordinal(22)).toBe("22nd");
    const kwargs = { num_paragraphs: 4, nth_paragraph: 3, first_word: "river" };
    for (let i = 0; i < 7; i++) {
      const text = renderConstraint("length_constraints:nth_paragraph_first_word", kwargs, createRng(0), i);
      expect(text).toContain("third");
      expect(text).toContain("river");
      expect(text).toContain("4");
    }
  });

  it("has four start and four end templates for repeat_prompt", () => {
    expect(REPEAT_PROMPT_START_TEMPLATES).toHaveLength(4);
    expect(REPEAT_PROMPT_END_TEMPLATES).toHaveLength(4);
    for (const t of REPEAT_PROMPT_START_TEMPLATES) {
      expect(t.endsWith("\n")).toBe(true);
      expect(t.startsWith("\n")).toBe(false);
      expect(repeatPromptPosition(t)).toBe("start");
    }
    for (const t of REPEAT_PROMPT_END_TEMPLATES) {
      expect(t.startsWith("\n")).toBe(true);
      expect(repeatPromptPosition(t)).toBe("end");
    }
    expect(TEXTS["combination:repeat_prompt"].templates).toEqual([
      ...REPEAT_PROMPT_START_TEMPLATES,
      ...REPEAT_PROMPT_END_TEMPLATES,
    ]);
  });

  it("keeps commas out of the texts a repeated prompt may carry next to no_comma", () => {
    // repeat_prompt combines only with existence, title and no_comma: their texts end up in the
    // request the response must repeat, so a comma there would contradict no_comma.
    for (const id of ["keywords:existence", "detectable_format:title", "punctuation:no_comma"] as const) {
      for (const t of TEXTS[id].templates) expect(t, id).not.toContain(",");
    }
  });

  it("picks templates at random but reproducibly", () => {
    const kwargs = { num_words: 40, relation: "less than" };
    const a = Array.from({ length: 20 }, (_, i) =>
      renderConstraint("length_constraints:number_words", kwargs, createRng(i)),
    );
    const b = Array.from({ length: 20 }, (_, i) =>
      renderConstraint("length_constraints:number_words", kwargs, createRng(i)),
    );
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(3);
  });

  it("fillTemplate refuses a slot without a value and leaves <<titles>> alone", () => {
    expect(() => fillTemplate("use <nope>", {})).toThrow(/<nope>/);
    expect(fillTemplate("a title like <<title>> here", {})).toBe("a title like <<title>> here");
  });
});

describe("descriptions (IFEval's meaning)", () => {
  it("describes every id with its kwargs values", () => {
    for (const id of CONSTRAINT_IDS) {
      for (const kwargs of kwargsSamples(id, 3)) {
        const text = describeConstraint(id, kwargs);
        expect(text.length, id).toBeGreaterThan(20);
        for (const [key, value] of Object.entries(kwargs)) {
          if (key === "prompt_to_repeat") continue;
          const shown =
            key === "language"
              ? LANGUAGE_NAMES[String(value)]!
              : Array.isArray(value)
                ? String(value[0])
                : String(value);
          expect(text, `${id}.${key}`).toContain(shown);
        }
      }
    }
  });

  it("states the facts the checks test", () => {
    expect(describeConstraint("keywords:frequency", { keyword: "war", frequency: 3, relation: "at least" })).toBe(
      "The word war should appear at least 3 times in your response.",
    );
    expect(describeConstraint("length_constraints:number_paragraphs", { num_paragraphs: 3 })).toContain("***");
    expect(describeConstraint("combination:two_responses", {})).toContain("******");
    expect(describeConstraint("detectable_format:constrained_response", {})).toContain('"My answer is maybe."');
    expect(
      describeConstraint("detectable_format:multiple_sections", { section_spliter: "SECTION", num_sections: 2 }),
    ).toContain("SECTION 1\n");
    expect(describeConstraint("keywords:existence", { keywords: ["a", "b", "c"] })).toContain("a, b and c");
    expect(describeConstraint("language:response_language", { language: "sw" })).toContain("Swahili");
  });
});

describeWithSharedData("templates are our own wording", () => {
  it("no rendered template equals a constraint text of FCI's released data", () => {
    const fci = new Set<string>();
    const lines = readFileSync(sharedDataPath("fci", "data.jsonl"), "utf8").split("\n").filter(Boolean);
    for (const line of lines)
      for (const c of (JSON.parse(line) as { constraints: string[] }).constraints) fci.add(c.trim());
    for (const id of CONSTRAINT_IDS) {
      for (const kwargs of kwargsSamples(id, 4)) {
        for (let i = 0; i < TEXTS[id].templates.length; i++) {
          expect(fci.has(renderConstraint(id, kwargs, createRng(0), i).trim()), `${id} #${i}`).toBe(false);
        }
      }
    }
  });
});

describe("REGISTRY", async () => {
  const { REGISTRY } = await import("./registry");
  const { CONFLICTS } = await import("./conflicts");

  it("holds every id with its text, conflicts, check and repair", () => {
    expect(Object.keys(REGISTRY).sort()).toEqual([...CONSTRAINT_IDS].sort());
    for (const id of CONSTRAINT_IDS) {
      const def = REGISTRY[id];
      expect(def.id).toBe(id);
      expect(def.group).toBe(id.split(":")[0]);
      expect(def.templates).toBe(TEXTS[id].templates);
      expect(def.conflicts).toEqual(CONFLICTS[id]);
      const [kwargs] = kwargsSamples(id, 1);
      expect(def.describe(kwargs!)).toBe(describeConstraint(id, kwargs!));
      expect(def.render(kwargs!, createRng(1))).toBe(renderConstraint(id, kwargs!, createRng(1)));
      expect(def.kwargsSchema.safeParse(kwargs).success, id).toBe(true);
      expect(def.repair === undefined, id).toBe(NO_REPAIR_REASONS[id] !== undefined);
    }
    expect(REGISTRY["punctuation:no_comma"].check("a, b", {})).toBe(false);
    expect(REGISTRY["punctuation:no_comma"].repair!("a, b", {})).toEqual({ ok: true, response: "a b", changed: true });
  });
});
