/**
 * What the rule-based pipelines make of the FollowComplexInstruction seeds:
 * `npm run bench:rulebased` (SHARED_DATA_DIR = the shared data folder; BENCH_SEEDS=N for the first N
 * seeds; BENCH_EXAMPLES=N prints N damaged pairs to stderr).
 *
 * Every seed of ../shared/data/fci/res_llama2.jsonl (prompt, constraints, Llama-2's response as
 * the reference) runs through rule-based ECD (2 rounds, 1 branch) and C2S, as a job would. Prints
 * the pairs made, how many chosen responses lose a word of 4+ letters of their source or carry an
 * inserted fragment, and the share whose chosen is a pure prefix/suffix addition of its source.
 */
import { readFileSync } from "node:fs";
import { auditRepairedPairs, createRuleBasedRoles, runC2s, runEcd, type AuditedPair } from "../lib/evolution/index";
import { fciSeeds } from "../test/fci-seeds";
import { sharedDataFile } from "./shared-data";

const file = sharedDataFile("rulebased", "fci", "res_llama2.jsonl");
const limit = Number(process.env.BENCH_SEEDS ?? Infinity);
const seeds = fciSeeds(readFileSync(file, "utf8")).slice(0, limit);

const roles = createRuleBasedRoles();
const pairs: AuditedPair[] = [];
const started = performance.now();
for (const seed of seeds) {
  pairs.push(...auditRepairedPairs(await runEcd(seed, roles, { rounds: 2 })));
  pairs.push(...auditRepairedPairs(await runC2s(seed, roles)));
}
const seconds = (performance.now() - started) / 1000;

const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((1000 * n) / of) / 10);
for (const method of ["ecd", "c2s"] as const) {
  const mine = pairs.filter((p) => p.method === method);
  const lost = mine.filter((p) => p.damage.lost.length > 0).length;
  const fragments = mine.filter((p) => p.damage.fragments.length > 0).length;
  const additions = mine.filter((p) => p.addition !== null).length;
  console.log(`rulebased_${method}_pairs: ${mine.length} pairs`);
  console.log(`rulebased_${method}_content_lost: ${lost} pairs`);
  console.log(`rulebased_${method}_fragment_inserted: ${fragments} pairs`);
  console.log(`rulebased_${method}_prefix_suffix_addition: ${share(additions, mine.length)} %`);
}
console.log(`rulebased_seeds: ${seeds.length} seeds`);
console.log(`rulebased_seconds: ${seconds.toFixed(1)} s`);
if (process.env.BENCH_EXAMPLES) {
  for (const p of pairs
    .filter((x) => x.damage.lost.length || x.damage.fragments.length)
    .slice(0, Number(process.env.BENCH_EXAMPLES)))
    console.error(JSON.stringify({ key: p.pairKey, id: p.constraintId, ...p.damage, chosen: p.chosen.slice(0, 300) }));
}
