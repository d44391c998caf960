import { readFileSync } from "node:fs";
import { beforeAll, expect, it } from "vitest";
import { fciSeeds } from "../../test/fci-seeds";
import { describeWithSharedData, sharedDataPath } from "../../test/shared-data";
import { runC2s } from "./c2s";
import { runEcd } from "./ecd";
import { auditRepairedPairs, type AuditedPair } from "./repair-audit";
import { createRuleBasedRoles } from "./rule-based-roles";
import type { SeedInput } from "./types";

/** Both seed files of the FollowComplexInstruction release, read as the importer reads them. */
const FILES = [
  { file: "res_llama2.jsonl", shape: "fci", ecdPairs: 500, c2sPairs: 1000 },
  { file: "seed_data.jsonl", shape: "alpaca", ecdPairs: 1000, c2sPairs: 1000 },
] as const;

describeWithSharedData("rule-based pipelines over every FollowComplexInstruction seed", () => {
  const seeds = new Map<string, SeedInput[]>();
  beforeAll(() => {
    for (const { file, shape } of FILES)
      seeds.set(file, fciSeeds(readFileSync(sharedDataPath("fci", file), "utf8"), shape));
  });

  it.each(FILES)(
    "$file: chosen responses keep every word of their source and insert no fragment",
    async ({ file, ecdPairs, c2sPairs }) => {
      const roles = createRuleBasedRoles();
      const pairs: AuditedPair[] = [];
      const drops = { content_lost: 0, fragment_inserted: 0 };
      for (const seed of seeds.get(file)!) {
        for (const result of [await runEcd(seed, roles, { rounds: 2 }), await runC2s(seed, roles)]) {
          pairs.push(...auditRepairedPairs(result));
          // Dropped candidates carry the code; skipped C2S fixes name it in the log.
          const reasons = [
            ...result.nodes.map((n) => (n.drop ? `${n.drop.code}:` : "")),
            ...result.log.map((l) => l.message),
          ];
          for (const code of ["content_lost", "fragment_inserted"] as const)
            drops[code] += reasons.filter((r) => r.includes(`${code}:`)).length;
        }
      }
      expect(seeds.get(file)!.length).toBe(1500);
      const damaged = pairs.filter((p) => p.damage.lost.length > 0 || p.damage.fragments.length > 0);
      expect(damaged.map((p) => ({ key: p.pairKey, id: p.constraintId, ...p.damage }))).toEqual([]);

      const share = (method: string) => {
        const mine = pairs.filter((p) => p.method === method);
        return `${mine.length} pairs, ${((100 * mine.filter((p) => p.addition).length) / mine.length).toFixed(1)}% pure prefix/suffix additions`;
      };
      console.log(
        `FCI ${file} rule-based: ECD ${share("ecd")}; C2S ${share("c2s")}; candidates dropped by the check: ${JSON.stringify(drops)}`,
      );
      // Not an empty pass: both pipelines still make pairs from most seeds' material.
      expect(pairs.filter((p) => p.method === "ecd").length).toBeGreaterThan(ecdPairs);
      expect(pairs.filter((p) => p.method === "c2s").length).toBeGreaterThan(c2sPairs);
    },
    600_000,
  );
});
