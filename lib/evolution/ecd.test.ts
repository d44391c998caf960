import { describe, expect, it } from "vitest";
import { LlmCallError } from "../llm/types";
import { runEcd as runEcdWith, type EcdOptions } from "./ecd";
import { LlmEvolver, LlmJudge, LlmResponder } from "./llm-roles";
import { isTaskLevelError, isTransientLlmError } from "./roles";
import { RuleBasedEvolver } from "./rule-based-roles";
import { LIGHTHOUSE_R0, LIGHTHOUSE_SEED, ScriptedChatModel, userText } from "./test-helpers";
import { EvolutionInputError, type Constraint, type SeedInput } from "./types";

const R0 = LIGHTHOUSE_R0;
const SEED = LIGHTHOUSE_SEED;

/** These tests script R(0) as the seed's reference answer (the default asks the LLM responder). */
const runEcd = (seed: SeedInput, roles: Parameters<typeof runEcdWith>[1], options: EcdOptions) =>
  runEcdWith(seed, roles, { r0Source: "reference", ...options });

const evolution = (instruction: string, newConstraints: unknown[], added: string[] = ["something"]) =>
  JSON.stringify({ instruction, added_requirements: added, new_constraints: newConstraints });

function models(evolver: (string | Error)[], responder: (string | Error)[], judge?: ScriptedChatModel) {
  const ev = new ScriptedChatModel("test", "evolver-1", evolver);
  const resp = new ScriptedChatModel("test", "responder-1", responder);
  return {
    ev,
    resp,
    roles: {
      evolver: new LlmEvolver(ev),
      responder: new LlmResponder(resp),
      judge: judge ? new LlmJudge(judge) : undefined,
    },
  };
}

describe("runEcd with scripted models", () => {
  it("makes exactly the expected tree, responses and pairs over two rounds (verifiable, then free-form)", async () => {
    const I1 = "Describe a lighthouse. Do not use any commas.";
    const I2 = "Describe a lighthouse. Do not use any commas. Explain how it helps ships in fog.";
    const R1 = "A lighthouse is a tall tower that guides ships at night.";
    const R2 = "A lighthouse is a tall tower that guides ships at night and sounds a horn in fog.";
    const FOG = "The response explains how the lighthouse helps ships in fog.";
    const judge = new ScriptedChatModel("test", "judge-1", (req) =>
      JSON.stringify({ passed: /horn in fog/.test(userText(req)), reason: "checked" }),
    );
    const { roles, ev, resp } = models(
      [
        evolution(
          I1,
          [{ id: "punctuation:no_comma", kwargs_json: "{}", text: "Do not use any commas" }],
          ["no commas"],
        ),
        // Leading prose and a code fence: still parsed.
        "Here is the rewrite:\n```json\n" + evolution(I2, [{ text: FOG }], ["fog"]) + "\n```",
      ],
      [R1, R2],
      judge,
    );

    const result = await runEcd(SEED, roles, {
      rounds: 2,
      operations: ["add_verifiable", "add_free_form"],
      rngSeed: 0,
    });

    const c1: Constraint = {
      kind: "verifiable",
      id: "punctuation:no_comma",
      kwargs: {},
      text: "Do not use any commas",
    };
    const c2: Constraint = { kind: "free", text: FOG };
    expect(result.nodes).toEqual([
      {
        key: "n0",
        parentKey: null,
        depth: 0,
        instruction: "Describe a lighthouse.",
        constraints: [],
        operation: null,
        status: "kept",
      },
      {
        key: "n0.0",
        parentKey: "n0",
        depth: 1,
        instruction: I1,
        constraints: [c1],
        operation: "add_verifiable",
        status: "kept",
      },
      {
        key: "n0.0.0",
        parentKey: "n0.0",
        depth: 2,
        instruction: I2,
        constraints: [c1, c2],
        operation: "add_free_form",
        status: "kept",
      },
    ]);
    expect(result.responses).toEqual([
      { key: "r:n0", nodeKey: "n0", text: R0, role: "responder", provider: "seed", model: "", verification: [] },
      {
        key: "r:n0.0",
        nodeKey: "n0.0",
        text: R1,
        role: "responder",
        provider: "test",
        model: "responder-1",
        verification: [{ constraintIndex: 0, id: "punctuation:no_comma", passed: true, by: "code" }],
      },
      {
        key: "r:n0.0.0",
        nodeKey: "n0.0.0",
        text: R2,
        role: "responder",
        provider: "test",
        model: "responder-1",
        verification: [
          { constraintIndex: 0, id: "punctuation:no_comma", passed: true, by: "code" },
          { constraintIndex: 1, passed: true, by: "judge", reason: "checked" },
        ],
      },
    ]);
    expect(result.pairs).toEqual([
      {
        key: "p:n0.0",
        nodeKey: "n0.0",
        chosenKey: "r:n0.0",
        rejectedKey: "r:n0",
        method: "ecd",
        hardNegative: true,
        metadata: {
          round: 0,
          operation: "add_verifiable",
          addedRequirements: ["no commas"],
          newConstraintIndexes: [0],
          failedNewConstraints: [0],
          failedOldConstraints: [],
          rejectedVerification: [{ constraintIndex: 0, id: "punctuation:no_comma", passed: false, by: "code" }],
        },
      },
      {
        key: "p:n0.0.0",
        nodeKey: "n0.0.0",
        chosenKey: "r:n0.0.0",
        rejectedKey: "r:n0.0",
        method: "ecd",
        hardNegative: true,
        metadata: {
          round: 1,
          operation: "add_free_form",
          addedRequirements: ["fog"],
          newConstraintIndexes: [1],
          failedNewConstraints: [1],
          failedOldConstraints: [],
          rejectedVerification: [
            { constraintIndex: 0, id: "punctuation:no_comma", passed: true, by: "code" },
            { constraintIndex: 1, passed: false, by: "judge", reason: "checked" },
          ],
        },
      },
    ]);
    expect(result.log.filter((l) => l.level === "warn")).toEqual([]);
    // The evolver asked for structured output; the responder got the instruction as the user turn.
    expect(ev.calls[0]!.jsonSchema?.name).toBe("evolved_instruction");
    expect(userText(ev.calls[0]!)).toContain("Catalogue");
    expect(userText(resp.calls[1]!)).toBe(I2);
    expect(judge.calls).toHaveLength(2);
  });

  it("records every dropped candidate with its reason (equal, leak, conflict, chosen fails, rejected passes, unparsable)", async () => {
    const title: Constraint = {
      kind: "verifiable",
      id: "detectable_format:title",
      kwargs: {},
      text: "Add a title in <<>>",
    };
    const seed: SeedInput = {
      ...SEED,
      referenceResponse: "<<The Lighthouse>>\nA lighthouse is a tall tower, with a lamp, that guides ships.",
      constraints: [title],
    };
    const { roles, resp } = models(
      [
        evolution("Describe   a lighthouse.", [{ id: "punctuation:no_comma", kwargs_json: "{}", text: "x" }]),
        evolution("Describe a lighthouse. New requirement: no commas.", [
          { id: "punctuation:no_comma", kwargs_json: "{}", text: "x" },
        ]),
        evolution("Describe a lighthouse in quotes.", [
          { id: "startend:quotation", kwargs_json: "{}", text: "Wrap it in quotes" },
        ]),
        evolution("Describe a lighthouse without commas.", [
          { id: "punctuation:no_comma", kwargs_json: "{}", text: "No commas" },
        ]),
        evolution("Describe a lighthouse and say lighthouse.", [
          { id: "keywords:existence", kwargs_json: '{"keywords": ["lighthouse"]}', text: "Use the word lighthouse" },
        ]),
        "Sure! I made the instruction harder by adding a twist.",
      ],
      ["<<Light>>\nA tower, tall and bright.", "<<Light>>\nA lighthouse stands by the sea."],
    );

    const result = await runEcd(seed, roles, { rounds: 1, branches: 6, operations: ["add_verifiable"] });

    expect(result.nodes.map((n) => [n.key, n.status, n.drop?.code, n.drop?.detail])).toEqual([
      ["n0", "kept", undefined, undefined],
      ["n0.0", "dropped", "equal_to_parent", "equal to its parent instruction"],
      ["n0.1", "dropped", "template_leak", 'leaks template words: "new requirement"'],
      [
        "n0.2",
        "dropped",
        "constraint_conflict",
        "constraint #1 startend:quotation conflicts with earlier constraint #0 detectable_format:title",
      ],
      ["n0.3", "dropped", "chosen_fails", "chosen response fails #1 punctuation:no_comma"],
      ["n0.4", "dropped", "rejected_not_negative", "rejected response passes every new constraint"],
      [
        "n0.5",
        "dropped",
        "evolver_failed",
        'unparsable evolution reply (no JSON object): "Sure! I made the instruction harder by adding a twist."',
      ],
    ]);
    // Only candidates that survived step 3 reached the responder; their responses are recorded.
    expect(resp.calls).toHaveLength(2);
    expect(result.responses.map((r) => r.key)).toEqual(["r:n0", "r:n0.3", "r:n0.4"]);
    expect(result.responses[1]!.verification).toEqual([
      { constraintIndex: 0, id: "detectable_format:title", passed: true, by: "code" },
      { constraintIndex: 1, id: "punctuation:no_comma", passed: false, by: "code" },
    ]);
    expect(result.pairs).toEqual([]);
    expect(result.log).toContainEqual({ level: "warn", message: expect.stringContaining("n0.5: evolver failed") });
  });

  it("evolves only kept nodes: k branches per kept node make a tree", async () => {
    const word = evolution("Describe a lighthouse. Use the word beacon.", [
      { id: "keywords:existence", kwargs_json: '{"keywords": ["beacon"]}', text: "Use beacon" },
    ]);
    const noComma = evolution("Describe a lighthouse. Use the word beacon. No commas.", [
      { id: "punctuation:no_comma", kwargs_json: "{}", text: "No commas" },
    ]);
    const titled = evolution("Describe a lighthouse. Use the word beacon. Add a title.", [
      { id: "detectable_format:title", kwargs_json: "{}", text: "Add a title" },
    ]);
    const { roles } = models(
      [word, evolution("Describe a lighthouse.", []), noComma, titled],
      [
        "A lighthouse is a beacon, tall and bright.",
        "A lighthouse is a beacon that is tall and bright.",
        "<<Beacon>>\nA lighthouse is a beacon, tall and bright.",
      ],
    );
    const result = await runEcd(SEED, roles, { rounds: 2, branches: 2, operations: ["add_verifiable"] });
    expect(result.nodes.map((n) => `${n.key}:${n.status}`)).toEqual([
      "n0:kept",
      "n0.0:kept",
      "n0.1:dropped",
      "n0.0.0:kept",
      "n0.0.1:kept",
    ]);
    expect(result.pairs.map((p) => [p.key, p.chosenKey, p.rejectedKey])).toEqual([
      ["p:n0.0", "r:n0.0", "r:n0"],
      ["p:n0.0.0", "r:n0.0.0", "r:n0.0"],
      ["p:n0.0.1", "r:n0.0.1", "r:n0.0"],
    ]);
  });

  it("records hardNegative=false when R(0) fails an old (seed) constraint", async () => {
    const noComma: Constraint = { kind: "verifiable", id: "punctuation:no_comma", kwargs: {}, text: "No commas" };
    const { roles } = models(
      [
        evolution("Describe a lighthouse with a title.", [
          { id: "detectable_format:title", kwargs_json: "{}", text: "Title" },
        ]),
      ],
      ["<<Beacon>>\nA lighthouse guides ships."],
    );
    const result = await runEcd({ ...SEED, constraints: [noComma] }, roles, {
      rounds: 1,
      operations: ["add_verifiable"],
    });
    expect(result.pairs).toHaveLength(1);
    expect(result.pairs[0]!.hardNegative).toBe(false);
    expect(result.pairs[0]!.metadata.failedOldConstraints).toEqual([0]);
    expect(result.log).toContainEqual({
      level: "warn",
      message: "n0: R(0) fails seed constraint(s) #0 punctuation:no_comma",
    });
  });

  it("records an unparsable judge reply as a failed verification, not a crash", async () => {
    const judge = new ScriptedChatModel("test", "judge-1", ["I think it does, yes."]);
    const { roles } = models(
      [evolution("Describe a lighthouse for a child.", [{ text: "The response is written for a child." }])],
      ["A lighthouse is a big tower with a light."],
      judge,
    );
    const result = await runEcd(SEED, roles, { rounds: 1, operations: ["add_free_form"] });
    expect(result.responses[1]!.verification).toEqual([
      {
        constraintIndex: 0,
        passed: false,
        by: "judge",
        reason: 'judge failed: unparsable judge reply (no JSON object): "I think it does, yes."',
      },
    ]);
    expect(result.nodes[1]!.drop?.code).toBe("chosen_fails");
    expect(result.nodes[1]!.drop?.detail).toMatch(
      /^chosen response fails #0 "The response is written for a child\." \(judge failed/,
    );
  });

  it("without a judge, free-form constraints never verify", async () => {
    const { roles } = models(
      [evolution("Describe a lighthouse for a child.", [{ text: "For a child." }])],
      ["A big tower."],
    );
    const result = await runEcd(SEED, roles, { rounds: 1, operations: ["deepen"] });
    expect(result.nodes[1]!.drop).toEqual({
      code: "chosen_fails",
      detail: 'chosen response fails #0 "For a child." (no judge model configured for free-form constraints)',
    });
  });

  it("uses the responder for R(0) when the seed has no reference", async () => {
    const { roles, resp } = models([], ["A tower with a lamp."]);
    const result = await runEcd({ ...SEED, referenceResponse: null }, roles, { rounds: 0 });
    expect(result.responses).toEqual([
      {
        key: "r:n0",
        nodeKey: "n0",
        text: "A tower with a lamp.",
        role: "responder",
        provider: "test",
        model: "responder-1",
        verification: [],
      },
    ]);
    expect(userText(resp.calls[0]!)).toBe("Describe a lighthouse.");
  });

  it("puts the input after a blank line in node 0", async () => {
    const { roles } = models([], []);
    const result = await runEcd({ ...SEED, input: "It stands on a cliff." }, roles, { rounds: 0 });
    expect(result.nodes[0]!.instruction).toBe("Describe a lighthouse.\n\nIt stands on a cliff.");
  });
});

describe("runEcd errors", () => {
  const good = evolution("Describe a lighthouse. No commas.", [
    { id: "punctuation:no_comma", kwargs_json: "{}", text: "No commas" },
  ]);

  it("propagates transient LLM errors (the job retries the task)", async () => {
    const err = new LlmCallError("HTTP 503", "server_error", 5);
    const { roles } = models([good], [err]);
    await expect(runEcd(SEED, roles, { rounds: 1, operations: ["add_verifiable"] })).rejects.toBe(err);
    expect(isTaskLevelError(err) && isTransientLlmError(err)).toBe(true);
    const cancelled = new LlmCallError("aborted", "cancelled", 1);
    expect(isTaskLevelError(cancelled) && !isTransientLlmError(cancelled)).toBe(true);
    for (const kind of ["rate_limited", "timeout", "network"] as const) {
      const e = new LlmCallError(kind, kind, 3);
      const m = models([e], []);
      await expect(runEcd(SEED, m.roles, { rounds: 1, operations: ["add_verifiable"] })).rejects.toBe(e);
    }
  });

  it("records bad_request and unparsable LLM errors as the step's failure", async () => {
    const { roles } = models(
      [good, new LlmCallError("context too long", "unparsable", 1)],
      [new LlmCallError("context too long", "bad_request", 1)],
    );
    const result = await runEcd(SEED, roles, { rounds: 1, branches: 2, operations: ["add_verifiable"] });
    expect(result.nodes.slice(1).map((n) => n.drop)).toEqual([
      { code: "responder_failed", detail: "responder call failed (bad_request): context too long" },
      { code: "evolver_failed", detail: "evolver call failed (unparsable): context too long" },
    ]);
  });

  it("drops a refusal and a degenerate reply (the elimination step), and keeps them when the filters are off", async () => {
    const NO_COMMA_EVOLUTION = evolution(
      "Describe a lighthouse. Do not use any commas.",
      [{ id: "punctuation:no_comma", kwargs_json: "{}", text: "Do not use any commas" }],
      ["no commas"],
    );
    const REFUSAL = "I'm sorry but I can't help with that request.";
    const LOOP = Array.from({ length: 5 }, () => "The light shines.").join("\n");
    const GOOD = "A lighthouse is a tall tower that guides ships at night.";
    const run = (filters?: { refusal?: boolean; degenerate?: boolean }) => {
      const { roles } = models(Array(3).fill(NO_COMMA_EVOLUTION), [REFUSAL, LOOP, GOOD]);
      return runEcd(SEED, roles, { rounds: 1, branches: 3, operations: ["add_verifiable"], filters });
    };
    const on = await run();
    expect(on.nodes.slice(1).map((n) => [n.key, n.status, n.drop?.code])).toEqual([
      ["n0.0", "dropped", "refusal"],
      ["n0.1", "dropped", "degenerate"],
      ["n0.2", "kept", undefined],
    ]);
    expect(on.nodes[2]!.drop?.detail).toBe('the line "The light shines." repeats 4 times in a row');
    expect(on.pairs.map((p) => [p.key, p.chosenKey, p.rejectedKey])).toEqual([["p:n0.2", "r:n0.2", "r:n0"]]);
    const off = await run({ refusal: false, degenerate: false });
    expect(off.pairs.map((p) => p.key)).toEqual(["p:n0.0", "p:n0.1", "p:n0.2"]);
  });

  it("rejects bad options and seeds with EvolutionInputError", async () => {
    const { roles } = models([], []);
    await expect(runEcd(SEED, roles, { rounds: -1 })).rejects.toThrow(EvolutionInputError);
    await expect(runEcd(SEED, roles, { rounds: 1, branches: 0 })).rejects.toThrow(/branches/);
    await expect(runEcd(SEED, roles, { rounds: 10, branches: 3 })).rejects.toThrow(/limit 1000/);
    await expect(runEcd({ ...SEED, instruction: "  " }, roles, { rounds: 1 })).rejects.toThrow(/seed 1: instruction/);
    const rb = { evolver: new RuleBasedEvolver(), responder: roles.responder };
    await expect(runEcd(SEED, rb, { rounds: 1, operations: ["deepen"] })).rejects.toThrow(/supports none of deepen/);
  });
});
