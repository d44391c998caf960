/**
 * An audit of the pairs a pipeline made from rule-based repairs: for each pair, the text the
 * chosen response was repaired from (ECD: the rejected parent response; C2S: the student's
 * answer the fixes started from), what the repair lost or glued on (`repairDamage`), and whether
 * the chosen response is a pure addition at the start or the end of its source. Used by the tests
 * over the FollowComplexInstruction seeds and by `bench/rulebased.ts`.
 */
import { repairDamage, type RepairDamage } from "../constraints/index";
import { requiredTextsOf } from "./repair-check";
import { C2S_NODE_KEY } from "./c2s";
import type { PipelineResult } from "./types";

export interface AuditedPair {
  pairKey: string;
  method: "ecd" | "c2s";
  /** ECD: the constraint the pair's node added; C2S: the constraint the pair is about. */
  constraintId: string;
  source: string;
  chosen: string;
  damage: RepairDamage;
  /** The chosen response is its source with text added only before it, only after it, or neither. */
  addition: "prefix" | "suffix" | null;
}

function additionOf(source: string, chosen: string): AuditedPair["addition"] {
  const s = source.trim();
  const c = chosen.trim();
  if (c === s) return null;
  if (c.startsWith(s)) return "suffix";
  if (c.endsWith(s)) return "prefix";
  return null;
}

/** Every pair of `result` whose chosen response is a rule-based repair, audited. */
export function auditRepairedPairs(result: PipelineResult): AuditedPair[] {
  const responses = new Map(result.responses.map((r) => [r.key, r]));
  const nodes = new Map(result.nodes.map((n) => [n.key, n]));
  const out: AuditedPair[] = [];
  for (const pair of result.pairs) {
    const chosen = responses.get(pair.chosenKey)!;
    if (chosen.role !== "repair") continue;
    const sourceKey = pair.method === "c2s" ? `r:${C2S_NODE_KEY}:student` : pair.rejectedKey;
    const source = responses.get(sourceKey)!.text;
    const node = nodes.get(pair.nodeKey)!;
    const index =
      pair.method === "c2s"
        ? (pair.metadata.constraintIndex as number)
        : (pair.metadata.newConstraintIndexes as number[])[0]!;
    const constraint = node.constraints[index];
    out.push({
      pairKey: pair.key,
      method: pair.method,
      constraintId: constraint?.kind === "verifiable" ? constraint.id : "free-form",
      source,
      chosen: chosen.text,
      damage: repairDamage(source, chosen.text, requiredTextsOf(node.constraints)),
      addition: additionOf(source, chosen.text),
    });
  }
  return out;
}
