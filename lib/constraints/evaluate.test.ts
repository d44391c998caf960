import { describe, expect, it } from "vitest";
import {
  accuracyReport,
  buildInstructions,
  evaluateAll,
  evaluatePrompt,
  followsLoose,
  followsStrict,
  formatAccuracyReport,
  formatEvaluationBlock,
  InstructionBuildError,
  looseCandidates,
  MissingResponseError,
  PromptRowSchema,
  resultLine,
  resultLinesBoth,
  ResponseRowSchema,
  type PromptResult,
  type PromptRow,
} from "./evaluate";

describe("strict", () => {
  it("checks the raw response", () => {
    expect(followsStrict("punctuation:no_comma", {}, "no commas here")).toBe(true);
    expect(followsStrict("punctuation:no_comma", {}, "Sure, here it is:\nno commas here")).toBe(false);
  });

  it("fails every instruction on a blank response, even 'no commas'", () => {
    expect(followsStrict("punctuation:no_comma", {}, "")).toBe(false);
    expect(followsStrict("punctuation:no_comma", {}, " \n\t\x1c")).toBe(false);
    expect(followsStrict("keywords:forbidden_words", { forbidden_words: ["x"] }, "   ")).toBe(false);
  });
});

describe("loose", () => {
  it("builds the eight candidates in the reference order", () => {
    expect(looseCandidates("*a*\n b \n*c*")).toEqual([
      "*a*\n b \n*c*",
      "a\n b \nc",
      "b \n*c*",
      "*a*\n b",
      "b",
      "b \nc",
      "a\n b",
      "b",
    ]);
    // A one-line response: the dropped-line candidates are blank (and never pass).
    expect(looseCandidates("x")).toEqual(["x", "x", "", "", "", "", "", ""]);
  });

  it("splits on \\n only", () => {
    expect(looseCandidates("a\r\nb")[2]).toBe("b");
    expect(looseCandidates("a\rb")[2]).toBe("");
  });

  it("passes when some candidate passes", () => {
    const response = "Sure, here it is:\nno commas here";
    expect(followsLoose("punctuation:no_comma", {}, response)).toBe(true);
    expect(followsLoose("startend:quotation", {}, '**"quoted"**')).toBe(true);
    expect(followsStrict("startend:quotation", {}, '**"quoted"**')).toBe(false);
  });

  it("does not re-strip the star-free candidates", () => {
    const candidates = looseCandidates('intro\n* "q"');
    expect(candidates[2]).toBe('* "q"');
    expect(candidates[5]).toBe(' "q"');
    // Only that candidate passes (the check strips it itself).
    expect(followsLoose("startend:quotation", {}, 'intro\n* "q"')).toBe(true);
  });

  it("lets each instruction pick its own candidate", () => {
    const row: PromptRow = {
      prompt: "p",
      instruction_id_list: ["startend:end_checker", "punctuation:no_comma"],
      kwargs: [{ end_phrase: "the end" }, {}],
    };
    const response = "Intro, text\nbody the end\nP.S. bye";
    expect(evaluatePrompt(row, response, "strict").follow_instruction_list).toEqual([false, false]);
    const loose = evaluatePrompt(row, response, "loose");
    expect(loose.follow_instruction_list).toEqual([true, true]);
    expect(loose.follow_all_instructions).toBe(true);
  });
});

describe("evaluatePrompt", () => {
  const row: PromptRow = {
    key: 7,
    prompt: "Write two lines.",
    instruction_id_list: ["punctuation:no_comma", "length_constraints:number_words"],
    kwargs: [{}, { num_words: 3, relation: "at least" }],
  };

  it("writes the official keys in the official order", () => {
    const out = evaluatePrompt(row, "one two three", "strict");
    expect(Object.keys(out)).toEqual([
      "follow_all_instructions",
      "follow_instruction_list",
      "instruction_id_list",
      "prompt",
      "response",
    ]);
    expect(out).toEqual({
      follow_all_instructions: true,
      follow_instruction_list: [true, true],
      instruction_id_list: row.instruction_id_list,
      prompt: row.prompt,
      response: "one two three",
    });
  });

  it("builds a fresh checker per instruction (same id, different kwargs)", () => {
    const twice: PromptRow = {
      prompt: "p",
      instruction_id_list: ["keywords:frequency", "keywords:frequency"],
      kwargs: [
        { keyword: "a", frequency: 2, relation: "at least" },
        { keyword: "b", frequency: 1, relation: "less than" },
      ],
    };
    expect(evaluatePrompt(twice, "a a b", "strict").follow_instruction_list).toEqual([true, false]);
  });

  it("names the instruction whose kwargs are bad", () => {
    const bad: PromptRow = {
      prompt: "p",
      instruction_id_list: ["punctuation:no_comma", "keywords:frequency"],
      kwargs: [{}, { keyword: "a", frequency: 2, relation: "more than" }],
    };
    try {
      buildInstructions(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InstructionBuildError);
      expect((err as InstructionBuildError).index).toBe(1);
      expect((err as InstructionBuildError).kwargsError.field).toBe("relation");
    }
  });
});

describe("result lines", () => {
  it("writes Python json.dumps of the result; strict and loose lines share the escaped prompt", () => {
    const base = { instruction_id_list: ["a:b", "c:d"], prompt: 'Say "h\u00e9llo"\n\u{1F600}\\', response: "" };
    const strict: PromptResult = { ...base, follow_all_instructions: false, follow_instruction_list: [false, true] };
    const loose: PromptResult = { ...base, follow_all_instructions: true, follow_instruction_list: [true, true] };
    const rest =
      '"instruction_id_list": ["a:b", "c:d"], "prompt": "Say \\"h\\u00e9llo\\"\\n\\ud83d\\ude00\\\\", "response": ""}\n';
    expect(resultLine(strict)).toBe(
      `{"follow_all_instructions": false, "follow_instruction_list": [false, true], ${rest}`,
    );
    expect(resultLinesBoth({ strict, loose })).toEqual({
      strict: resultLine(strict),
      loose: `{"follow_all_instructions": true, "follow_instruction_list": [true, true], ${rest}`,
    });
  });
});

describe("row schemas", () => {
  it("accepts IFEval and FCI rows, and Hugging Face null kwargs", () => {
    expect(
      PromptRowSchema.safeParse({ key: 1, prompt: "p", instruction_id_list: ["punctuation:no_comma"], kwargs: [{}] })
        .success,
    ).toBe(true);
    expect(
      PromptRowSchema.safeParse({ prompt: "p", instruction_id_list: ["punctuation:no_comma"], kwargs: [{ x: null }] })
        .success,
    ).toBe(true);
  });

  it("rejects unknown ids and short kwargs lists", () => {
    const unknown = PromptRowSchema.safeParse({ prompt: "p", instruction_id_list: ["nope:x"], kwargs: [{}] });
    expect(unknown.success).toBe(false);
    expect(unknown.error!.issues[0]!.path).toEqual(["instruction_id_list", 0]);
    expect(unknown.error!.issues[0]!.message).toContain("unknown instruction id");
    const short = PromptRowSchema.safeParse({ prompt: "p", instruction_id_list: ["punctuation:no_comma"], kwargs: [] });
    expect(short.error!.issues[0]!.path).toEqual(["kwargs"]);
  });

  it("needs prompt and response strings", () => {
    expect(ResponseRowSchema.safeParse({ prompt: "p" }).success).toBe(false);
    expect(ResponseRowSchema.safeParse({ prompt: "p", response: "r" }).success).toBe(true);
  });
});

describe("evaluateAll and the report", () => {
  const rows: PromptRow[] = [
    { key: 1, prompt: "A", instruction_id_list: ["punctuation:no_comma"], kwargs: [{}] },
    {
      key: 2,
      prompt: "B",
      instruction_id_list: ["punctuation:no_comma", "startend:quotation", "detectable_format:title"],
      kwargs: [{}, {}, {}],
    },
  ];

  it("joins responses by prompt (Map or record) and returns both modes", () => {
    const responses = { A: "Hi, there", B: 'x\n"<<T>> quoted"' };
    const fromRecord = evaluateAll(rows, responses);
    const fromMap = evaluateAll(rows, new Map(Object.entries(responses)));
    expect(fromMap).toEqual(fromRecord);
    expect(fromRecord.strict.map((o) => o.follow_instruction_list)).toEqual([[false], [true, false, true]]);
    expect(fromRecord.loose.map((o) => o.follow_instruction_list)).toEqual([[false], [true, true, true]]);
  });

  it("throws on a prompt without response", () => {
    expect(() => evaluateAll(rows, { A: "x", ["__proto__"]: "y" })).toThrow(MissingResponseError);
  });

  it("reports prompt-level, instruction-level, per group and per id like print_report", () => {
    const outputs: PromptResult[] = [
      {
        follow_all_instructions: false,
        follow_instruction_list: [false],
        instruction_id_list: ["punctuation:no_comma"],
        prompt: "A",
        response: "",
      },
      {
        follow_all_instructions: false,
        follow_instruction_list: [true, false, true],
        instruction_id_list: ["punctuation:no_comma", "startend:quotation", "detectable_format:title"],
        prompt: "B",
        response: "",
      },
      {
        follow_all_instructions: true,
        follow_instruction_list: [true],
        instruction_id_list: ["startend:end_checker"],
        prompt: "C",
        response: "",
      },
    ];
    const report = accuracyReport(outputs);
    expect(report.prompt).toEqual({ correct: 1, total: 3, accuracy: 1 / 3 });
    expect(report.instruction).toEqual({ correct: 3, total: 5, accuracy: 0.6 });
    expect(Object.keys(report.byGroup)).toEqual(["detectable_format", "punctuation", "startend"]);
    expect(report.byId["punctuation:no_comma"]).toEqual({ correct: 1, total: 2, accuracy: 0.5 });
    expect(formatAccuracyReport(report)).toBe(
      [
        "prompt-level: 0.3333333333333333",
        "instruction-level: 0.6",
        "",
        "detectable_format 1.0",
        "punctuation 0.5",
        "startend 0.5",
        "",
        "detectable_format:title 1.0",
        "punctuation:no_comma 0.5",
        "startend:end_checker 1.0",
        "startend:quotation 0.0",
        "",
      ].join("\n"),
    );
    expect(formatEvaluationBlock("out/eval_results_strict.jsonl", outputs)).toMatch(
      /^={64}\nout\/eval_results_strict\.jsonl Accuracy Scores:\nprompt-level: /,
    );
  });
});
