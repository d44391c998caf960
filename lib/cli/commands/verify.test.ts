import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../main";
import { CliError, type CliIO } from "../command";
import { verifyCommand } from "./verify";

let dir: string;
let out: string;
let err: string;
const io: CliIO = {
  stdout: (t) => void (out += t),
  stderr: (t) => void (err += t),
  readStdin: async () => "",
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ecd-verify-"));
  out = "";
  err = "";
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: (string | object)[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return file;
}

const PROMPTS = [
  {
    key: 1,
    prompt: "Say hi without commas. Wrap it in quotes.",
    instruction_id_list: ["punctuation:no_comma", "startend:quotation"],
    kwargs: [{}, {}],
  },
  {
    key: 2,
    prompt: "Écris un titre <<comme ça>>.",
    instruction_id_list: ["detectable_format:title"],
    kwargs: [{ prompt_to_repeat: null }],
  },
];
const RESPONSES = [
  { prompt: PROMPTS[1]!.prompt, response: "<<Titre>>\nVoilà — fini 😀" },
  { prompt: PROMPTS[0]!.prompt, response: 'Sure, here:\n"hi there"' },
];

async function run(args: string[]): Promise<number> {
  return (await verifyCommand.run(args, io)) ?? 0;
}

function argsFor(inputData: string, responses: string, outputDir = path.join(dir, "out")): string[] {
  return ["--input-data", inputData, "--input-response-data", responses, "--output-dir", outputDir];
}

async function expectCliError(args: string[], pattern: RegExp): Promise<string> {
  try {
    await run(args);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    const message = (e as CliError).message;
    expect(message).not.toContain("\n");
    expect(message).toMatch(pattern);
    return message;
  }
  throw new Error("expected a CliError");
}

describe("ecd verify", () => {
  it("writes the official layout (json.dumps separators, ASCII escapes, sorted keys)", async () => {
    const input = write("input.jsonl", PROMPTS);
    const responses = write("responses.jsonl", RESPONSES);
    expect(await run(argsFor(input, responses))).toBe(0);
    const strict = readFileSync(path.join(dir, "out", "eval_results_strict.jsonl"), "utf8");
    expect(strict).toBe(
      '{"follow_all_instructions": false, "follow_instruction_list": [false, false], "instruction_id_list": ["punctuation:no_comma", "startend:quotation"], "prompt": "Say hi without commas. Wrap it in quotes.", "response": "Sure, here:\\n\\"hi there\\""}\n' +
        '{"follow_all_instructions": true, "follow_instruction_list": [true], "instruction_id_list": ["detectable_format:title"], "prompt": "\\u00c9cris un titre <<comme \\u00e7a>>.", "response": "<<Titre>>\\nVoil\\u00e0 \\u2014 fini \\ud83d\\ude00"}\n',
    );
    const loose = readFileSync(path.join(dir, "out", "eval_results_loose.jsonl"), "utf8").split("\n");
    expect(JSON.parse(loose[0]!).follow_instruction_list).toEqual([true, true]);
  });

  it("prints the official report for both modes", async () => {
    const input = write("input.jsonl", PROMPTS);
    const responses = write("responses.jsonl", RESPONSES);
    await run(argsFor(input, responses, `${dir}/out/`));
    expect(out).toBe(
      [
        "=".repeat(64),
        `${dir}/out/eval_results_strict.jsonl Accuracy Scores:`,
        "prompt-level: 0.5",
        "instruction-level: 0.3333333333333333",
        "",
        "detectable_format 1.0",
        "punctuation 0.0",
        "startend 0.0",
        "",
        "detectable_format:title 1.0",
        "punctuation:no_comma 0.0",
        "startend:quotation 0.0",
        "=".repeat(64),
        `${dir}/out/eval_results_loose.jsonl Accuracy Scores:`,
        "prompt-level: 1.0",
        "instruction-level: 1.0",
        "",
        "detectable_format 1.0",
        "punctuation 1.0",
        "startend 1.0",
        "",
        "detectable_format:title 1.0",
        "punctuation:no_comma 1.0",
        "startend:quotation 1.0",
        "",
      ].join("\n"),
    );
  });

  it("accepts absl-style option spellings, CRLF files and blank lines", async () => {
    const input = path.join(dir, "input.jsonl");
    writeFileSync(input, PROMPTS.map((p) => JSON.stringify(p)).join("\r\n") + "\r\n\r\n");
    const responses = write("responses.jsonl", ["", ...RESPONSES]);
    const code = await run([`--input_data=${input}`, "--input_response_data", responses, `--output_dir=${dir}/o`]);
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, "o", "eval_results_loose.jsonl"), "utf8").split("\n")).toHaveLength(3);
  });

  it("reads a byte order mark and LF, CRLF or CR line breaks alike", async () => {
    const outputs = ["\n", "\r\n", "\r"].map((eol, k) => {
      const lines = (rows: object[]) => `\ufeff${rows.map((r) => JSON.stringify(r)).join(eol)}${eol}${eol}`;
      writeFileSync(path.join(dir, `in${k}.jsonl`), lines(PROMPTS));
      writeFileSync(path.join(dir, `re${k}.jsonl`), lines(RESPONSES));
      return path.join(dir, `o${k}`);
    });
    for (const [k, outputDir] of outputs.entries()) {
      expect(await run(argsFor(path.join(dir, `in${k}.jsonl`), path.join(dir, `re${k}.jsonl`), outputDir))).toBe(0);
    }
    const loose = outputs.map((o) => readFileSync(path.join(o, "eval_results_loose.jsonl"), "utf8"));
    expect(loose[0]!.split("\n")).toHaveLength(3);
    expect(loose[0]).toContain("\\u00c9cris");
    expect(new Set(loose).size).toBe(1);
  });

  it("skips lines of only white space, ASCII or not, and still counts them", async () => {
    const blanks = [" \t ", "\u00a0\u3000\ufeff"];
    const responses = write("responses.jsonl", [...blanks, ...RESPONSES]);
    const valid = write("input.jsonl", [PROMPTS[0]!, ...blanks, PROMPTS[1]!]);
    expect(await run(argsFor(valid, responses, `${dir}/blank`))).toBe(0);
    expect(readFileSync(path.join(dir, "blank", "eval_results_strict.jsonl"), "utf8").split("\n")).toHaveLength(3);
    const input = write("input.jsonl", [PROMPTS[0]!, ...blanks, "{not json", "\u00e9"]);
    await expectCliError(argsFor(input, responses), new RegExp(`^${input}:4: \\(line\\): invalid JSON`));
  });

  it("names file, line and field for invalid JSON", async () => {
    const input = write("input.jsonl", [PROMPTS[0]!, "{not json"]);
    const responses = write("responses.jsonl", RESPONSES);
    await expectCliError(argsFor(input, responses), new RegExp(`^${input}:2: \\(line\\): invalid JSON`));
  });

  it("reports a prompt file's invalid JSON ahead of a field error on an earlier line", async () => {
    const { prompt: _prompt, ...noPrompt } = PROMPTS[1]!;
    const input = write("input.jsonl", [PROMPTS[0]!, noPrompt, "{not json"]);
    const responses = write("responses.jsonl", RESPONSES);
    await expectCliError(argsFor(input, responses), new RegExp(`^${input}:3: \\(line\\): invalid JSON`));
  });

  it("reports the prompt file's errors ahead of the response file's", async () => {
    const { prompt: _prompt, ...noPrompt } = PROMPTS[1]!;
    const input = write("input.jsonl", [PROMPTS[0]!, noPrompt]);
    const responses = write("responses.jsonl", [RESPONSES[0]!, "{not json"]);
    await expectCliError(argsFor(input, responses), new RegExp(`^${input}:2: prompt: missing$`));
    await expectCliError(argsFor(input, path.join(dir, "nope.jsonl")), new RegExp(`^${input}:2: prompt: missing$`));
  });

  it("names a missing prompt", async () => {
    const { prompt: _prompt, ...noPrompt } = PROMPTS[1]!;
    const input = write("input.jsonl", [PROMPTS[0]!, noPrompt]);
    const responses = write("responses.jsonl", RESPONSES);
    await expectCliError(argsFor(input, responses), new RegExp(`^${input}:2: prompt: missing$`));
  });

  it("names an unknown instruction id", async () => {
    const input = write("input.jsonl", [
      { ...PROMPTS[0]!, instruction_id_list: ["punctuation:no_comma", "startend:nope"] },
    ]);
    const responses = write("responses.jsonl", RESPONSES);
    await expectCliError(
      argsFor(input, responses),
      new RegExp(`^${input}:1: instruction_id_list\\[1\\]: unknown instruction id "startend:nope"$`),
    );
  });

  it("names bad kwargs with the instruction index and field", async () => {
    const input = write("input.jsonl", [
      PROMPTS[0]!,
      {
        key: 3,
        prompt: "p",
        instruction_id_list: ["length_constraints:number_words"],
        kwargs: [{ num_words: 10, relation: "at most" }],
      },
    ]);
    const responses = write("responses.jsonl", RESPONSES);
    const message = await expectCliError(
      argsFor(input, responses),
      new RegExp(`^${input}:2: kwargs\\[0\\]\\.relation: must be "less than" or "at least"`),
    );
    expect(message).toContain("length_constraints:number_words");
  });

  it("names a prompt with no response", async () => {
    const input = write("input.jsonl", PROMPTS);
    const responses = write("responses.jsonl", [RESPONSES[0]!]);
    await expectCliError(
      argsFor(input, responses),
      new RegExp(`^${input}:1: prompt: no row of ${responses} has this prompt$`),
    );
  });

  it("names a response row without a response", async () => {
    const input = write("input.jsonl", PROMPTS);
    const responses = write("responses.jsonl", [RESPONSES[0]!, { prompt: "x" }]);
    await expectCliError(argsFor(input, responses), new RegExp(`^${responses}:2: response: missing$`));
  });

  it("reports unreadable files and bad options", async () => {
    await expectCliError(argsFor(path.join(dir, "nope.jsonl"), "x"), /nope\.jsonl: cannot read \(ENOENT\)/);
    await expectCliError(["--input-data", "a"], /missing --input-response-data/);
    await expectCliError(["--frobnicate", "a"], /unknown option --frobnicate/);
    await expectCliError(["stray"], /unexpected argument "stray"/);
  });

  it("exits non-zero through the CLI with one line on stderr", async () => {
    const input = write("input.jsonl", PROMPTS);
    const responses = write("responses.jsonl", [RESPONSES[0]!]);
    const code = await runCli(["verify", ...argsFor(input, responses)], io);
    expect(code).toBe(2);
    expect(err.trimEnd().split("\n")).toHaveLength(1);
    expect(err).toContain(`${input}:1: prompt`);
  });
});
