/**
 * An eval run's files in IFEval's layouts (CLI only: kept out of lib/eval/index.ts so the app's
 * server bundle has no file writes).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { resultLine } from "../constraints/evaluate.ts";
import { pyJsonDumps } from "../constraints/python/index.ts";
import type { EvalRunResults } from "./runs.ts";

/**
 * Writes eval_results_strict.jsonl, eval_results_loose.jsonl (the official evaluator's layout)
 * and input_response_data.jsonl ({prompt, response}, IFEval's own response format) into `dir`.
 */
export async function writeEvalOutputs(results: EvalRunResults, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ["eval_results_strict.jsonl", results.responses.map((r) => resultLine(r.strict)).join("")],
    ["eval_results_loose.jsonl", results.responses.map((r) => resultLine(r.loose)).join("")],
    [
      "input_response_data.jsonl",
      results.responses
        .map((r) => `${pyJsonDumps({ prompt: r.strict.prompt, response: r.strict.response })}\n`)
        .join(""),
    ],
  ];
  for (const [name, text] of files) await writeFile(path.join(dir, name), text, "utf8");
  return files.map(([name]) => path.join(dir, name));
}
