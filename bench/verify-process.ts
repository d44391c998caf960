/**
 * Whole-process `ecd verify` timing (printed by bench/verify.ts).
 *
 * verify_process_s_15k: FCI's 1,500 llama2 responses (../shared/data/fci/res_llama2.jsonl)
 * repeated ten times, each copy's prompt made unique, verified strict and loose by a fresh
 * `ecd verify` process (start-up included), best of three runs. By default the process is
 * `node scripts/ecd.mjs verify ...` (what `npm run ecd` runs); ECD_VERIFY_CMD overrides it
 * (e.g. "npx tsx lib/cli/main.ts" for the uncompiled entry).
 *
 * verify_process_cpu_s_15k: user + system CPU seconds of that fastest run, all threads (summed
 * over the node processes of the command; bench/verify-rusage.mjs reports them on exit). On a
 * shared machine the wall time varies with load, the CPU time much less.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sharedDataFile } from "./shared-data";

const COPIES = 10;
const RUNS = 3;

const RUSAGE_PRELOAD = fileURLToPath(new URL("./verify-rusage.mjs", import.meta.url));

/** CPU seconds the command's processes reported on stderr (see bench/verify-rusage.mjs). */
function reportedCpuSeconds(stderr: string): number {
  let micros = 0;
  for (const match of stderr.matchAll(/^ECD_BENCH_RUSAGE (.*)$/gm)) {
    const { userCPUTime, systemCPUTime } = JSON.parse(match[1]!) as { userCPUTime: number; systemCPUTime: number };
    micros += userCPUTime + systemCPUTime;
  }
  return micros / 1e6;
}

/**
 * Best-of-three wall time, in seconds, of `ecd verify` on the 15,000 responses, and the CPU
 * seconds (user + system, all threads) of that run.
 */
export function verifyProcessSeconds(): { wall: number; cpu: number } {
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
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${RUSAGE_PRELOAD}`.trim() };
    let best = { wall: Infinity, cpu: NaN };
    for (let run = 0; run < RUNS; run++) {
      const start = process.hrtime.bigint();
      const result = spawnSync(command!, [...args, "--output-dir", path.join(dir, `out${run}`)], {
        encoding: "utf8",
        maxBuffer: 1 << 26,
        env,
      });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (result.status !== 0) throw new Error(`ecd verify failed (${result.status}): ${result.stderr}`);
      if (seconds < best.wall) best = { wall: seconds, cpu: reportedCpuSeconds(result.stderr) };
    }
    return best;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
