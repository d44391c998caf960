/**
 * Checker throughput: `npx tsx bench/verify.ts`.
 *
 * - verify_throughput: the 1,500 FCI llama2 responses (../shared/data/fci/res_llama2.jsonl)
 *   repeated to 30,000, each evaluated strict and loose with freshly built instructions, in one
 *   process.
 * - verify_rss: peak resident memory of the process.
 * - verify_process_s_15k: the whole `ecd verify` process on 15,000 responses (bench/verify-process.ts),
 *   and verify_process_cpu_s_15k: its CPU time (user + system, all threads).
 * - verify_keystroke_median_us: median time to strict-check one ~2 KB response against its 5
 *   constraints (what the review screen does on every keystroke).
 */
import { readFileSync } from "node:fs";
import { evaluatePrompt, PromptRowSchema, type PromptRow } from "../lib/constraints/evaluate";
import { sharedDataFile } from "./shared-data";
import { verifyProcessSeconds } from "./verify-process";

const TOTAL = 30_000;
const KEYSTROKE_RUNS = 2_000;

const file = sharedDataFile("verify", "fci", "res_llama2.jsonl");

type Row = PromptRow & { response: string };
const rows: Row[] = readFileSync(file, "utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => {
    const value = JSON.parse(line) as { response: string };
    return { ...PromptRowSchema.parse(value), response: value.response };
  });

// Warm-up: lazily built tables (language profiles, Punkt parameters) and JIT.
for (const row of rows.slice(0, 200)) {
  evaluatePrompt(row, row.response, "strict");
  evaluatePrompt(row, row.response, "loose");
}

let followed = 0;
const start = process.hrtime.bigint();
for (let i = 0; i < TOTAL; i++) {
  const row = rows[i % rows.length]!;
  if (evaluatePrompt(row, row.response, "strict").follow_all_instructions) followed++;
  if (evaluatePrompt(row, row.response, "loose").follow_all_instructions) followed++;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
if (followed < 0) throw new Error("unreachable");

// Typical review-screen input: 5 constraints, a response of about 2 KB.
const typical = rows.filter(
  (r) => r.instruction_id_list.length === 5 && r.response.length >= 1500 && r.response.length <= 2500,
);
const samples = typical.length ? typical : rows.filter((r) => r.instruction_id_list.length === 5);
const times: number[] = [];
for (let i = 0; i < KEYSTROKE_RUNS; i++) {
  const row = samples[i % samples.length]!;
  // Each keystroke changes the text: append a different character so nothing can be reused.
  const text = row.response + String.fromCharCode(97 + (i % 26));
  const t0 = process.hrtime.bigint();
  evaluatePrompt(row, text, "strict");
  times.push(Number(process.hrtime.bigint() - t0) / 1e3);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;

const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`verify_throughput: ${Math.round(TOTAL / seconds)} responses/s\n`);
process.stdout.write(`verify_rss: ${Math.round(peakRssMb)} MB\n`);
process.stdout.write(`verify_keystroke_median_us: ${Math.round(median)} us\n`);
const processRun = verifyProcessSeconds();
process.stdout.write(`verify_process_s_15k: ${processRun.wall.toFixed(2)} s\n`);
process.stdout.write(`verify_process_cpu_s_15k: ${processRun.cpu.toFixed(2)} s\n`);
