/**
 * Every verdict of the checker equals the official evaluator's (spec §7): IFEval GPT-4 (834
 * instructions, strict and loose) and FCI llama2 (5,712 strict verdicts). Needs ../shared/data
 * (skips without it; fails under CI=true).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithSharedData, sharedDataPath } from "../../test/shared-data";
import { verifyCommand } from "../cli/commands/verify";
import {
  accuracyReport,
  buildInstructions,
  evaluateAll,
  evaluateBuilt,
  PromptRowSchema,
  ResponseRowSchema,
  type PromptResult,
} from "./evaluate";

function readJsonl(file: string): unknown[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

interface Disagreement {
  key: unknown;
  id: string;
  mode: string;
  ours: boolean;
}

describeWithSharedData("IFEval conformance (GPT-4 responses)", () => {
  let strict: PromptResult[];
  let loose: PromptResult[];
  let keys: unknown[];
  let officialStrict: PromptResult[];
  let officialLoose: PromptResult[];

  beforeAll(() => {
    const rows = readJsonl(sharedDataPath("ifeval", "input_data.jsonl")).map((r) => PromptRowSchema.parse(r));
    const responses = new Map<string, string>();
    for (const r of readJsonl(sharedDataPath("ifeval", "input_response_data_gpt4_20231107_145030.jsonl"))) {
      const { prompt, response } = ResponseRowSchema.parse(r);
      responses.set(prompt, response);
    }
    ({ strict, loose } = evaluateAll(rows, responses));
    keys = rows.map((r) => r.key);
    officialStrict = readJsonl(sharedDataPath("ifeval", "official_eval_results_strict_gpt4.jsonl")) as PromptResult[];
    officialLoose = readJsonl(sharedDataPath("ifeval", "official_eval_results_loose_gpt4.jsonl")) as PromptResult[];
  });

  function disagreements(ours: PromptResult[], official: PromptResult[], mode: string): Disagreement[] {
    const out: Disagreement[] = [];
    ours.forEach((o, i) => {
      expect(o.prompt).toBe(official[i]!.prompt);
      o.follow_instruction_list.forEach((v, j) => {
        if (v !== official[i]!.follow_instruction_list[j])
          out.push({ key: keys[i], id: o.instruction_id_list[j]!, mode, ours: v });
      });
    });
    return out;
  }

  it("agrees on all 834 strict instruction verdicts", () => {
    expect(strict).toHaveLength(541);
    expect(strict.flatMap((o) => o.follow_instruction_list)).toHaveLength(834);
    expect(disagreements(strict, officialStrict, "strict")).toEqual([]);
    expect(strict).toEqual(officialStrict);
  });

  it("agrees on all 834 loose instruction verdicts", () => {
    expect(disagreements(loose, officialLoose, "loose")).toEqual([]);
    expect(loose).toEqual(officialLoose);
  });

  it("reproduces the official aggregates", () => {
    const s = accuracyReport(strict);
    const l = accuracyReport(loose);
    expect([s.prompt.correct, s.prompt.total, s.instruction.correct, s.instruction.total]).toEqual([
      417, 541, 698, 834,
    ]);
    expect([l.prompt.correct, l.prompt.total, l.instruction.correct, l.instruction.total]).toEqual([
      431, 541, 714, 834,
    ]);
  });

  it("matches the compact verdict file", () => {
    const compact = readJsonl(sharedDataPath("ifeval", "official_verdicts_gpt4_compact.jsonl")) as {
      key: number;
      strict: boolean[];
      loose: boolean[];
      strict_all: boolean;
      loose_all: boolean;
    }[];
    compact.forEach((c, i) => {
      expect(keys[i]).toBe(c.key);
      expect(strict[i]!.follow_instruction_list).toEqual(c.strict);
      expect(loose[i]!.follow_instruction_list).toEqual(c.loose);
      expect(strict[i]!.follow_all_instructions).toBe(c.strict_all);
      expect(loose[i]!.follow_all_instructions).toBe(c.loose_all);
    });
  });
});

describeWithSharedData("FCI conformance (llama2 responses, strict)", () => {
  it("agrees on all 5,712 strict verdicts of checked_res_llama2.jsonl", () => {
    const records = readJsonl(sharedDataPath("fci", "checked_res_llama2.jsonl")) as (PromptResult & {
      kwargs: Record<string, unknown>[];
    })[];
    expect(records).toHaveLength(1500);
    const bad: { record: number; id: string; ours: boolean }[] = [];
    let total = 0;
    records.forEach((r, i) => {
      const row = PromptRowSchema.parse(r);
      const ours = evaluateBuilt(row, buildInstructions(row), r.response, "strict");
      ours.follow_instruction_list.forEach((v, j) => {
        total++;
        if (v !== r.follow_instruction_list[j]) bad.push({ record: i, id: row.instruction_id_list[j]!, ours: v });
      });
      expect(ours.follow_all_instructions).toBe(r.follow_all_instructions);
    });
    expect(total).toBe(5712);
    expect(bad).toEqual([]);
  });
});

describeWithSharedData("ecd verify reproduces the official output files", () => {
  let dir: string;
  let stdout = "";
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "ecd-verify-conformance-"));
    const io = { stdout: (t: string) => void (stdout += t), stderr: () => {}, readStdin: async () => "" };
    const code = await verifyCommand.run(
      [
        "--input-data",
        sharedDataPath("ifeval", "input_data.jsonl"),
        "--input-response-data",
        sharedDataPath("ifeval", "input_response_data_gpt4_20231107_145030.jsonl"),
        "--output-dir",
        dir,
      ],
      io,
    );
    expect(code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const mode of ["strict", "loose"]) {
    it(`eval_results_${mode}.jsonl is byte-identical to the official file`, () => {
      const ours = readFileSync(path.join(dir, `eval_results_${mode}.jsonl`), "utf8");
      const official = readFileSync(sharedDataPath("ifeval", `official_eval_results_${mode}_gpt4.jsonl`), "utf8");
      const ourLines = ours.split("\n");
      const officialLines = official.split("\n");
      expect(ourLines.length).toBe(officialLines.length);
      ourLines.forEach((line, i) => {
        if (line !== officialLines[i]) expect(JSON.parse(line), `line ${i + 1}`).toEqual(JSON.parse(officialLines[i]!));
      });
      expect(ours).toBe(official);
    });
  }

  it("prints the official report", () => {
    expect(stdout).toContain(`${dir}/eval_results_strict.jsonl Accuracy Scores:\nprompt-level: 0.7707948243992606\n`);
    expect(stdout).toContain("instruction-level: 0.8369304556354916\n");
    expect(stdout).toContain(`${dir}/eval_results_loose.jsonl Accuracy Scores:\nprompt-level: 0.7966728280961183\n`);
    expect(stdout).toContain("instruction-level: 0.8561151079136691\n");
    expect(stdout).toContain("\ncombination:two_responses 1.0\n");
  });
});
