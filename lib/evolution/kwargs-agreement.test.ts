import { describe, expect, it } from "vitest";
import { CONSTRAINT_IDS, createRng, describeConstraint, sampleKwargs } from "../constraints/index";
import { kwargsDisagreement, numbersIn } from "./kwargs-agreement";
import type { Constraint } from "./types";

type Verifiable = Extract<Constraint, { kind: "verifiable" }>;
const c = (id: Verifiable["id"], kwargs: Record<string, unknown>, text: string): Verifiable =>
  ({ kind: "verifiable", id, kwargs, text }) as Verifiable;

describe("kwargsDisagreement", () => {
  it("flags the issue's example: 'under 100 words' with num_words 50", () => {
    const words = c("length_constraints:number_words", { relation: "less than", num_words: 50 }, "");
    expect(kwargsDisagreement(words, "Answer in under 100 words.")).toBe(
      "length_constraints:number_words: num_words is 50 but the text does not say 50",
    );
    expect(kwargsDisagreement(words, "Answer in under 50 words.")).toBeNull();
    expect(kwargsDisagreement(words, "Answer in fewer than fifty words.")).toBeNull();
  });

  it("flags a relation the text contradicts, not one it leaves open", () => {
    const words = c("length_constraints:number_words", { relation: "less than", num_words: 50 }, "");
    expect(kwargsDisagreement(words, "Write at least 50 words.")).toBe(
      'length_constraints:number_words: relation is "less than" but the text says "at least"',
    );
    expect(kwargsDisagreement(words, "Use 50 words.")).toBeNull();
    expect(kwargsDisagreement(words, "Write at least 50 words.", { relations: false })).toBeNull();
  });

  it("flags a keyword, letter or list the text does not name", () => {
    expect(
      kwargsDisagreement(c("keywords:existence", { keywords: ["harbor", "tide"] }, ""), "Mention the harbor."),
    ).toBe('keywords:existence: keywords include "tide" but the text does not name them');
    expect(
      kwargsDisagreement(
        c("keywords:letter_frequency", { letter: "q", let_frequency: 3, let_relation: "at least" }, ""),
        "Use the letter q at least 3 times.",
      ),
    ).toBeNull();
  });

  it("reads digits, number words and ordinals", () => {
    expect([...numbersIn("the 2nd of three parts, 1,000 words, fifth")].sort((a, b) => a - b)).toEqual([2, 3, 5, 1000]);
  });

  it("never flags the registry's own sentence for any id (200 sampled kwargs each)", () => {
    const rng = createRng("agreement");
    for (const id of CONSTRAINT_IDS)
      for (let i = 0; i < 200; i++) {
        const kwargs = sampleKwargs(id, rng, () => rng.choice(["harbor", "lantern", "meadow"]));
        const text = describeConstraint(id, kwargs);
        expect(kwargsDisagreement(c(id, kwargs, text), text), `${id} ${JSON.stringify(kwargs)}: ${text}`).toBeNull();
      }
  });
});
