/**
 * Whole-process `ecd verify` timing (printed by bench/verify.ts).
 *
 * verify_process_s_15k: FCI's 1,500 llama2 responses (../shared/data/fci/res_llama2.jsonl)
 * repeated ten times, each copy's prompt made unique, verified strict and loose by a fresh
 * `ecd verify` process (start-up included), best of three runs. By default the process is
 * `node scripts/ecd.mjs verify ...` (what `npm run ecd` runs); ECD_VERIFY_CMD overrides it
 * (e.g. "npx tsx lib/cli/main.ts" for the uncompiled entry).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sharedDataFile } from "./shared-data";

const COPIES = 10;
const RUNS = 3;

/** Best-of-three wall time, in seconds, of `ecd verify` on the 15,000 responses. */
export function verifyProcessSeconds(): number {
  const source = readFileSync(sharedDataFile("verify-process", "fci", "res_llama2.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown> & { prompt: string; response: string });

  const dir = mkdtempSync(path.join(tmpdir(), "ecd-bench-verify-"));
  try {
    let prompts = "";
    let responses = "";
    for (let copy = 0; copy < COPIES; copy++) {
      for (const row of source) {
        const prompt = `${row.prompt}\n(copy ${copy})`;
        const { response, ...rest } = row;
        prompts += `${JSON.stringify({ ...rest, prompt })}\n`;
        responses += `${JSON.stringify({ prompt, response })}\n`;
      }
    }
    const inputData = path.join(dir, "input_data.jsonl");
    const inputResponses = path.join(dir, "responses.jsonl");
    writeFileSync(inputData, prompts);
    writeFileSync(inputResponses, responses);

    const [command, ...commandArgs] = (process.env.ECD_VERIFY_CMD ?? `${process.execPath} scripts/ecd.mjs`).split(" ");
    const args = [...commandArgs, "verify", "--input-data", inputData, "--input-response-data", inputResponses];
    let best = Infinity;
    for (let run = 0; run < RUNS; run++) {
      const start = process.hrtime.bigint();
      const result = spawnSync(command!, [...args, "--output-dir", path.join(dir, `out${run}`)], {
        encoding: "utf8",
        maxBuffer: 1 << 26,
      });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (result.status !== 0) throw new Error(`ecd verify failed (${result.status}): ${result.stderr}`);
      best = Math.min(best, seconds);
    }
    return best;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
