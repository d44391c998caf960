/**
 * What the rule-based pipelines make of the FollowComplexInstruction seeds:
 * `npm run bench:rulebased` (SHARED_DATA_DIR = the shared data folder; BENCH_SEEDS=N for the first N
 * seeds; BENCH_EXAMPLES=N prints N damaged pairs to stderr).
 *
 * Every seed of ../shared/data/fci/res_llama2.jsonl (prompt, constraints, Llama-2's response as
 * the reference) and of seed_data.jsonl (instruction, input, output) runs through rule-based ECD
 * (2 rounds, 1 branch) and C2S, as a job would. Prints
 * the pairs made, how many chosen responses lose a word of 4+ letters of their source or carry an
 * inserted fragment, and the share whose chosen is a pure prefix/suffix addition of its source.
 */
import { readFileSync } from "node:fs";
import { auditRepairedPairs, createRuleBasedRoles, runC2s, runEcd, type AuditedPair } from "../lib/evolution/index";
import { fciSeeds } from "../test/fci-seeds";
import { sharedDataFile } from "./shared-data";

const limit = Number(process.env.BENCH_SEEDS ?? Infinity);
const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((1000 * n) / of) / 10);
const FILES = [
  { name: "llama2", file: "res_llama2.jsonl", shape: "fci" },
  { name: "seed_data", file: "seed_data.jsonl", shape: "alpaca" },
] as const;

const roles = createRuleBasedRoles();
const examples: AuditedPair[] = [];
for (const { name, file, shape } of FILES) {
  const seeds = fciSeeds(readFileSync(sharedDataFile("rulebased", "fci", file), "utf8"), shape).slice(0, limit);
  const pairs: AuditedPair[] = [];
  const started = performance.now();
  for (const seed of seeds) {
    pairs.push(...auditRepairedPairs(await runEcd(seed, roles, { rounds: 2 })));
    pairs.push(...auditRepairedPairs(await runC2s(seed, roles)));
  }
  const seconds = (performance.now() - started) / 1000;
  for (const method of ["ecd", "c2s"] as const) {
    const mine = pairs.filter((p) => p.method === method);
    const lost = mine.filter((p) => p.damage.lost.length > 0).length;
    const fragments = mine.filter((p) => p.damage.fragments.length > 0).length;
    const additions = mine.filter((p) => p.addition !== null).length;
    console.log(`rulebased_${name}_${method}_pairs: ${mine.length} pairs`);
    console.log(`rulebased_${name}_${method}_content_lost: ${lost} pairs`);
    console.log(`rulebased_${name}_${method}_fragment_inserted: ${fragments} pairs`);
    console.log(`rulebased_${name}_${method}_prefix_suffix_addition: ${share(additions, mine.length)} %`);
  }
  console.log(`rulebased_${name}_seeds: ${seeds.length} seeds`);
  console.log(`rulebased_${name}_seconds: ${seconds.toFixed(1)} s`);
  examples.push(...pairs.filter((x) => x.damage.lost.length || x.damage.fragments.length));
}
for (const p of examples.slice(0, Number(process.env.BENCH_EXAMPLES ?? 0)))
  console.error(JSON.stringify({ key: p.pairKey, id: p.constraintId, ...p.damage, chosen: p.chosen.slice(0, 300) }));
