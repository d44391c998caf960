/** The ECD method controls for ablations (R(0) source, extra negatives, word budget, text/kwargs agreement). */
import { describe, expect, it } from "vitest";
import { runEcd } from "./ecd";
import { LlmEvolver, LlmResponder } from "./llm-roles";
import { LIGHTHOUSE_R0, LIGHTHOUSE_SEED, ScriptedChatModel, userText } from "./test-helpers";

const R0 = LIGHTHOUSE_R0;
const SEED = LIGHTHOUSE_SEED;
const evolution = (instruction: string, newConstraints: unknown[]) =>
  JSON.stringify({ instruction, added_requirements: ["x"], new_constraints: newConstraints });
const NO_COMMA = { id: "punctuation:no_comma", kwargs_json: "{}", text: "Do not use any commas." };
const LOWER = {
  id: "change_case:english_lowercase",
  kwargs_json: "{}",
  text: "Write in lowercase letters only.",
};

function roles(evolver: string[], responder: string[]) {
  const ev = new ScriptedChatModel("test", "evolver-1", evolver);
  const resp = new ScriptedChatModel("test", "responder-1", responder);
  return { ev, resp, roles: { evolver: new LlmEvolver(ev), responder: new LlmResponder(resp) } };
}

const pairsOf = (result: Awaited<ReturnType<typeof runEcd>>) =>
  result.pairs.map((p) => [p.key, p.chosenKey, p.rejectedKey, p.hardNegative, p.metadata.negative ?? null]);

describe("ECD option r0Source", () => {
  it("asks the LLM responder for R(0) by default, and uses the reference answer when told", async () => {
    const byDefault = roles([], ["A lighthouse guides ships."]);
    const asked = await runEcd(SEED, byDefault.roles, { rounds: 0 });
    expect(asked.responses.map((r) => [r.key, r.text, r.provider, r.model])).toEqual([
      ["r:n0", "A lighthouse guides ships.", "test", "responder-1"],
    ]);
    expect(byDefault.resp.calls).toHaveLength(1);

    const reference = roles([], []);
    const given = await runEcd(SEED, reference.roles, { rounds: 0, r0Source: "reference" });
    expect(given.responses.map((r) => [r.key, r.text, r.provider])).toEqual([["r:n0", R0, "seed"]]);
    expect(reference.resp.calls).toHaveLength(0);
  });

  it("falls back to the responder when the seed has no reference answer", async () => {
    const m = roles([], ["From the responder."]);
    const result = await runEcd({ ...SEED, referenceResponse: null }, m.roles, { rounds: 0, r0Source: "reference" });
    expect(result.responses[0]!.text).toBe("From the responder.");
  });
});

describe("ECD option negatives", () => {
  const I1 = "Describe a lighthouse. Do not use any commas.";
  const I2 = `${I1} Write in lowercase letters only.`;
  const R1 = "A lighthouse is a tall tower that guides ships at night.";
  const R2 = "a lighthouse is a tall tower that guides ships at night.";
  const chain = () => roles([evolution(I1, [NO_COMMA]), evolution(I2, [LOWER])], [R1, R2]);

  it("ancestors: adds a pair on n0.0.0 whose rejected is R(0), two rounds back", async () => {
    const options = { rounds: 2, operations: ["add_verifiable" as const], r0Source: "reference" as const };
    expect(pairsOf(await runEcd(SEED, chain().roles, options))).toEqual([
      ["p:n0.0", "r:n0.0", "r:n0", true, null],
      ["p:n0.0.0", "r:n0.0.0", "r:n0.0", true, null],
    ]);
    const result = await runEcd(SEED, chain().roles, { ...options, negatives: { ancestors: true } });
    expect(pairsOf(result)).toEqual([
      ["p:n0.0", "r:n0.0", "r:n0", true, null],
      ["p:n0.0.0", "r:n0.0.0", "r:n0.0", true, null],
      ["p:n0.0.0:a:n0", "r:n0.0.0", "r:n0", true, "ancestor"],
    ]);
    expect(result.pairs[2]!.metadata).toMatchObject({ negativeNodeKey: "n0", failedConstraints: [0, 1] });
  });

  it("siblings: each kept child gets a pair against its sibling's chosen response when that fails one of its constraints", async () => {
    const S0 = "A lighthouse is a tall tower that guides ships.";
    const S1 = "a lighthouse is a tall tower, with a lamp, that guides ships.";
    const m = roles(
      [evolution(I1, [NO_COMMA]), evolution("Describe a lighthouse. Write in lowercase letters only.", [LOWER])],
      [S0, S1],
    );
    const result = await runEcd(SEED, m.roles, {
      rounds: 1,
      branches: 2,
      operations: ["add_verifiable"],
      r0Source: "reference",
      negatives: { siblings: true },
    });
    expect(pairsOf(result)).toEqual([
      ["p:n0.0", "r:n0.0", "r:n0", true, null],
      ["p:n0.1", "r:n0.1", "r:n0", true, null],
      ["p:n0.0:s:n0.1", "r:n0.0", "r:n0.1", true, "sibling"],
      ["p:n0.1:s:n0.0", "r:n0.1", "r:n0.0", true, "sibling"],
    ]);
  });
});

describe("ECD option wordBudget", () => {
  it("tells the evolver the budget and drops an evolution that adds more words", async () => {
    const long = `${SEED.instruction} Do not use any commas at all in the answer you write for me here.`;
    const m = roles([evolution(long, [NO_COMMA]), evolution(long, [NO_COMMA])], []);
    const result = await runEcd(SEED, m.roles, {
      rounds: 1,
      branches: 2,
      operations: ["add_verifiable"],
      r0Source: "reference",
      wordBudget: 10,
    });
    expect(userText(m.ev.calls[0]!)).toContain("Add at most 10 words to the instruction.");
    expect(result.nodes[1]!.drop).toEqual({ code: "over_word_budget", detail: "adds 15 words (budget 10)" });
  });
});

describe("ECD option constraintText", () => {
  const WORDS = {
    id: "length_constraints:number_words",
    kwargs_json: '{"relation": "less than", "num_words": 50}',
    text: "Answer in under 100 words.",
  };
  const I1 = "Describe a lighthouse. Answer in under 100 words.";
  const SHORT = "A lighthouse guides ships at night.";
  // R(0) must fail "under 50 words" for a pair.
  const LONG_SEED = { ...SEED, referenceResponse: `${R0} ${R0} ${R0} ${R0}` };

  it("check (default): drops an instruction whose text contradicts its kwargs, with that reason", async () => {
    const m = roles([evolution(I1, [WORDS])], []);
    const result = await runEcd(SEED, m.roles, { rounds: 1, operations: ["add_verifiable"], r0Source: "reference" });
    expect(result.nodes[1]!.status).toBe("dropped");
    expect(result.nodes[1]!.drop).toEqual({
      code: "text_kwargs_disagree",
      detail: "length_constraints:number_words: num_words is 50 but the text does not say 50",
    });
    expect(m.resp.calls).toHaveLength(0);
  });

  it("render: writes the registry's sentence into the instruction and the constraint, and goes on", async () => {
    const m = roles([evolution(I1, [WORDS])], [SHORT]);
    const result = await runEcd(LONG_SEED, m.roles, {
      rounds: 1,
      operations: ["add_verifiable"],
      r0Source: "reference",
      constraintText: "render",
    });
    const node = result.nodes[1]!;
    const sentence = node.constraints[0]!.text;
    expect(sentence).toMatch(/50/);
    expect(node.instruction).toBe(`${I1} ${sentence}`);
    expect(node.status).toBe("kept");
    expect(userText(m.resp.calls[0]!)).toContain(sentence);
  });

  it("off: trusts the evolver's text", async () => {
    const m = roles([evolution(I1, [WORDS])], [SHORT]);
    const result = await runEcd(LONG_SEED, m.roles, {
      rounds: 1,
      operations: ["add_verifiable"],
      r0Source: "reference",
      constraintText: "off",
    });
    expect(result.nodes[1]!.instruction).toBe(I1);
    expect(result.nodes[1]!.status).toBe("kept");
  });
});
