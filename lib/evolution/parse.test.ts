import { describe, expect, it } from "vitest";
import { extractJson, parseEvolution, parseJudgement, parseKeywords, parseRevision } from "./parse";
import { createRng } from "../constraints/index";
import { correctionMessages, evolutionMessages, evolutionSchema, TEMPLATE_MARKERS } from "./prompts";
import { leakedTemplateWords, seedKeywords } from "./text";

describe("extractJson", () => {
  it("reads bare JSON, fenced JSON, and JSON inside prose", () => {
    expect(extractJson('{"a": 1}')).toEqual({ a: 1 });
    expect(extractJson('Here:\n```json\n{"a": 2}\n```\nDone.')).toEqual({ a: 2 });
    expect(extractJson('```\n{"a": 3}\n```')).toEqual({ a: 3 });
    expect(extractJson('Sure! {"a": {"b": 4}} Hope this helps.')).toEqual({ a: { b: 4 } });
    expect(extractJson("no json here")).toBeUndefined();
    expect(extractJson('{"a": 1,}')).toBeUndefined();
  });
});

describe("parseEvolution", () => {
  it("parses verifiable constraints with kwargs as a JSON string or an object", () => {
    const out = parseEvolution(
      JSON.stringify({
        instruction: " Write a poem. Use at most 40 words. ",
        added_requirements: ["word limit", 3],
        new_constraints: [
          {
            id: "length_constraints:number_words",
            kwargs_json: '{"num_words": 40, "relation": "less than"}',
            text: "at most 40 words",
          },
          { id: "punctuation:no_comma", kwargs: { extra: null } },
        ],
      }),
      "add_verifiable",
    );
    expect(out).toEqual({
      ok: true,
      value: {
        instruction: "Write a poem. Use at most 40 words.",
        addedRequirements: ["word limit"],
        newConstraints: [
          {
            kind: "verifiable",
            id: "length_constraints:number_words",
            kwargs: { num_words: 40, relation: "less than" },
            text: "at most 40 words",
          },
          {
            kind: "verifiable",
            id: "punctuation:no_comma",
            kwargs: {},
            text: "Do not use any commas anywhere in your response.",
          },
        ],
      },
    });
  });

  it("fails (with the raw text) on unknown ids, bad kwargs, missing fields and non-JSON", () => {
    const bad = (items: unknown[]) =>
      JSON.stringify({ instruction: "x", added_requirements: [], new_constraints: items });
    expect(parseEvolution(bad([{ id: "nope:nope", kwargs_json: "{}" }]), "add_verifiable")).toEqual({
      ok: false,
      reason: 'evolution reply has an invalid constraint: unknown constraint id "nope:nope"',
    });
    const kw = parseEvolution(
      bad([{ id: "length_constraints:number_words", kwargs_json: '{"num_words": "many"}' }]),
      "add_verifiable",
    );
    expect(kw.ok).toBe(false);
    expect(!kw.ok && kw.reason).toMatch(
      /^evolution reply has an invalid constraint: invalid kwargs: length_constraints:number_words/,
    );
    expect(parseEvolution(bad([{ id: "punctuation:no_comma", kwargs_json: "[1]" }]), "add_verifiable")).toEqual({
      ok: false,
      reason: "evolution reply has an invalid constraint: punctuation:no_comma: kwargs is not a JSON object",
    });
    expect(parseEvolution('{"instruction": ""}', "deepen")).toEqual({
      ok: false,
      reason: 'unparsable evolution reply (instruction: is empty): "{\\"instruction\\": \\"\\"}"',
    });
    const prose = parseEvolution("I rewrote it.", "deepen");
    expect(prose).toEqual({ ok: false, reason: 'unparsable evolution reply (no JSON object): "I rewrote it."' });
  });

  it("takes free-form constraints from new_constraints, else from added_requirements", () => {
    const a = parseEvolution(
      JSON.stringify({
        instruction: "x",
        added_requirements: ["r"],
        new_constraints: [{ text: "Mention fog." }, "Be brief."],
      }),
      "deepen",
    );
    expect(a.ok && a.value.newConstraints).toEqual([
      { kind: "free", text: "Mention fog." },
      { kind: "free", text: "Be brief." },
    ]);
    const b = parseEvolution(
      JSON.stringify({ instruction: "x", added_requirements: ["Cover the cost."] }),
      "concretize",
    );
    expect(b.ok && b.value.newConstraints).toEqual([{ kind: "free", text: "Cover the cost." }]);
  });
});

describe("parseJudgement and parseKeywords", () => {
  it("accepts booleans and boolean-like strings; fails on prose", () => {
    expect(parseJudgement('{"passed": true, "reason": "ok"}')).toEqual({
      ok: true,
      value: { passed: true, reason: "ok" },
    });
    expect(parseJudgement('```json\n{"passed": "false"}\n```')).toEqual({
      ok: true,
      value: { passed: false, reason: "" },
    });
    expect(parseJudgement('{"passed": "perhaps"}').ok).toBe(false);
    expect(parseKeywords('{"keywords": ["a", "", 3, " b "]}')).toEqual({ ok: true, value: ["a", "b"] });
    expect(parseKeywords("a, b").ok).toBe(false);
  });
});

describe("parseRevision", () => {
  it("takes everything after the revised-response header", () => {
    expect(parseRevision("### Analysis\nAdd the phrase.\n### Revised response\nHello there.\nBye!\n")).toEqual({
      ok: true,
      value: "Hello there.\nBye!",
    });
    expect(parseRevision("**Revised Response:**\n\n  Indented first line.")).toEqual({
      ok: true,
      value: "  Indented first line.",
    });
    expect(parseRevision("---revised response---:\nText")).toEqual({ ok: true, value: "Text" });
    expect(parseRevision("Analysis: fine.\nRevised response: Same line text.")).toEqual({
      ok: true,
      value: "Same line text.",
    });
    expect(parseRevision("Here is my revised response:\nText after.")).toEqual({ ok: true, value: "Text after." });
    expect(parseRevision("Just the text, no header.")).toEqual({
      ok: false,
      reason: 'unparsable teacher reply (no revised-response section): "Just the text, no header."',
    });
    expect(parseRevision("### Revised response\n   \n").ok).toBe(false);
  });
});

describe("prompts", () => {
  it("the evolution prompt carries the operation, the kept requirements and (for verifiable) a catalogue without conflicts", () => {
    const [system, user] = evolutionMessages(
      "Write a poem.",
      [{ kind: "verifiable", id: "detectable_format:title", kwargs: {}, text: "Add a title" }],
      "add_verifiable",
    );
    expect(system!.role).toBe("system");
    expect(user!.content).toContain("Kind of change: add verifiable");
    expect(user!.content).toContain("- Add a title");
    expect(user!.content).toContain("<<<\nWrite a poem.\n>>>");
    expect(user!.content).toContain("- punctuation:no_comma:");
    expect(user!.content).not.toContain("- startend:quotation:"); // conflicts with title
    expect(user!.content).not.toContain("- detectable_format:title:"); // already present
    expect(user!.content).not.toContain("combination:repeat_prompt");
    expect(evolutionMessages("Write a poem.", [], "deepen")[1]!.content).not.toContain("Catalogue");
    const schema = evolutionSchema("add_verifiable").schema as { required: string[] };
    expect(schema.required).toEqual(["instruction", "added_requirements", "new_constraints"]);
  });

  it("the catalogue's example kwargs vary with the node's random draws (nothing single to copy)", () => {
    const catalogue = (seed: string) =>
      evolutionMessages("Write a poem.", [], "add_verifiable", createRng(seed))[1]!.content;
    expect(catalogue("job 0|seed a|n0.0")).toBe(catalogue("job 0|seed a|n0.0"));
    const examples = ["n0.0", "n0.1", "n0.2", "n0.3"].map((key) => catalogue(`job 0|seed a|${key}`));
    expect(new Set(examples).size).toBe(examples.length);
    // The keyword examples are not one fixed word.
    const keywords = examples.map((text) => /- keywords:existence:.*example kwargs: (.*)/.exec(text)?.[1]);
    expect(keywords.every(Boolean)).toBe(true);
    expect(new Set(keywords).size).toBeGreaterThan(1);
  });

  it("every template marker of our prompt is detected as a leak, unless the parent already had it", () => {
    const user = evolutionMessages("Write a poem.", [], "deepen")[1]!.content.toLowerCase();
    for (const marker of [
      "kind of change",
      "instruction to rewrite",
      "requirements it already carries",
      "<<<",
      ">>>",
    ]) {
      expect(user).toContain(marker);
      expect(TEMPLATE_MARKERS).toContain(marker);
    }
    expect(leakedTemplateWords("Instruction to rewrite: write a poem", "Write a poem")).toEqual([
      "instruction to rewrite",
    ]);
    expect(
      leakedTemplateWords("Follow the original instruction and add rhymes", "Follow the original instruction"),
    ).toEqual([]);
  });

  it("the correction prompt ends with the current response and the one requirement", () => {
    const [, user] = correctionMessages("Write a poem.", "Roses are red.", "End with the word fin");
    expect(user!.content.endsWith("### Response\nRoses are red.\n### Requirement\nEnd with the word fin")).toBe(true);
    expect(user!.content).toContain("### Revised response");
  });

  it("seedKeywords keeps content words in order", () => {
    expect(seedKeywords("Write a story about the brave little toaster and the toaster's journey.")).toEqual([
      "story",
      "brave",
      "little",
      "toaster",
      "journey",
    ]);
  });
});
