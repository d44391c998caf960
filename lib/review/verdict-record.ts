/**
 * THE verdict record of a pair (DESIGN.md "Verdicts"), pure: for every constraint of the pair's
 * node, whether it is new at this node and pass / fail / unknown for chosen and for rejected.
 * Computed once here and stored with the pair (Pair.verdicts + the summary columns that filters
 * read); the review screen, pairs table, tree, overview and exports all read the stored record.
 *
 * - New at this node: for complex-to-simple every composed constraint is new; otherwise a
 *   constraint is new when the parent node does not carry it (the seed's node: all are new).
 * - Verifiable constraints are checked by code against the pair's prompt's constraints (IFEval
 *   strict). Free-form ones take the judge's stored verdict for this exact response and this
 *   node, else `unknown` (a human edit is unknown until a judge re-checks it).
 */
import type { PairMethod, VerdictOutcome } from "../domain.ts";
import type { StoredConstraint, VerificationEntry } from "./types.ts";
import { checkConstraint } from "./verdicts.ts";

export type ConstraintVerdict = {
  index: number;
  /** The verifiable constraint id, or null for a free-form one. */
  id: string | null;
  isNew: boolean;
  chosen: VerdictOutcome;
  rejected: VerdictOutcome;
  /** How the verdicts were reached: code (checker), judge (stored judge verdict) or null (unknown). */
  chosenBy: "code" | "judge" | null;
  rejectedBy: "code" | "judge" | null;
  /** The judge's reason, when a judge decided. */
  chosenReason?: string;
  rejectedReason?: string;
};

export type PairVerdicts = {
  constraints: ConstraintVerdict[];
  /** pass: every constraint passes; fail: some fails; unknown: none fails but some is unknown. */
  chosen: VerdictOutcome;
  rejected: VerdictOutcome;
  /** Some new constraint fails for the rejected response. */
  rejectedFailsNew: boolean;
  /**
   * The rejected response passes every old (not new) constraint — a "hard" negative. Null for
   * complex-to-simple, where every constraint is new and the notion does not apply.
   */
  hardNegative: boolean | null;
  /** Some verdict (either side) is unknown. */
  hasUnknown: boolean;
  /** The chosen response fails a constraint checked by code (accepting it is an override). */
  chosenFailsCode: boolean;
  /** Words of chosen / words of rejected (null when the rejected response has no words). */
  lengthRatio: number | null;
  /** Ids of the new constraints ("free" for a free-form one), for breakdowns. */
  newConstraintIds: string[];
};

/** The key two constraints share when they are the same requirement. */
export function constraintKey(c: StoredConstraint): string {
  return c.kind === "verifiable" ? `v:${c.id}:${JSON.stringify(c.kwargs ?? {})}` : `f:${c.text.trim()}`;
}

/** For each constraint of a node: is it new at this node (the one rule, used by every screen). */
export function newConstraintFlags(
  method: PairMethod | string,
  constraints: readonly StoredConstraint[],
  parentConstraints: readonly StoredConstraint[] | null,
): boolean[] {
  if (method === "c2s" || parentConstraints === null) return constraints.map(() => true);
  const parentKeys = new Set(parentConstraints.map(constraintKey));
  return constraints.map((c) => !parentKeys.has(constraintKey(c)));
}

/** Words as a reader counts them: runs of non-space characters. */
export function wordCount(text: string): number {
  const words = text.trim().split(/\s+/);
  return words.length === 1 && words[0] === "" ? 0 : words.length;
}

export function lengthRatio(chosen: string, rejected: string): number | null {
  const r = wordCount(rejected);
  return r === 0 ? null : wordCount(chosen) / r;
}

function outcome(passed: boolean | null): VerdictOutcome {
  return passed === null ? "unknown" : passed ? "pass" : "fail";
}

function summary(outcomes: readonly VerdictOutcome[]): VerdictOutcome {
  if (outcomes.includes("fail")) return "fail";
  if (outcomes.includes("unknown")) return "unknown";
  return "pass";
}

export type VerdictInput = {
  method: PairMethod | string;
  constraints: readonly StoredConstraint[];
  /** The parent node's constraints; null at a seed's node. */
  parentConstraints: readonly StoredConstraint[] | null;
  chosen: { text: string; judged: readonly VerificationEntry[] };
  /** `judged`: verdicts stored against THIS node's constraint indexes (empty when there are none). */
  rejected: { text: string; judged: readonly VerificationEntry[] };
};

export function computePairVerdicts(input: VerdictInput): PairVerdicts {
  const isNew = newConstraintFlags(input.method, input.constraints, input.parentConstraints);
  const judgeOnly = (entries: readonly VerificationEntry[]) => entries.filter((e) => e.by === "judge");
  const chosenJudged = judgeOnly(input.chosen.judged);
  const rejectedJudged = judgeOnly(input.rejected.judged);
  const constraints = input.constraints.map((c, index): ConstraintVerdict => {
    const chosen = checkConstraint(c, index, input.chosen.text, chosenJudged);
    const rejected = checkConstraint(c, index, input.rejected.text, rejectedJudged);
    return {
      index,
      id: c.kind === "verifiable" ? c.id : null,
      isNew: isNew[index]!,
      chosen: outcome(chosen.passed),
      rejected: outcome(rejected.passed),
      chosenBy: chosen.passed === null ? null : chosen.by,
      rejectedBy: rejected.passed === null ? null : rejected.by,
      ...(chosen.by === "judge" && chosen.reason ? { chosenReason: chosen.reason } : {}),
      ...(rejected.by === "judge" && rejected.reason ? { rejectedReason: rejected.reason } : {}),
    };
  });
  return {
    constraints,
    chosen: summary(constraints.map((c) => c.chosen)),
    rejected: summary(constraints.map((c) => c.rejected)),
    rejectedFailsNew: constraints.some((c) => c.isNew && c.rejected === "fail"),
    hardNegative: input.method === "c2s" ? null : constraints.every((c) => c.isNew || c.rejected === "pass"),
    hasUnknown: constraints.some((c) => c.chosen === "unknown" || c.rejected === "unknown"),
    chosenFailsCode: constraints.some((c) => c.chosen === "fail" && c.chosenBy === "code"),
    lengthRatio: lengthRatio(input.chosen.text, input.rejected.text),
    newConstraintIds: [
      ...new Set(input.constraints.filter((_, i) => isNew[i]).map((c) => (c.kind === "verifiable" ? c.id : "free"))),
    ],
  };
}

/** The columns of Pair that hold the record and its summaries (written together, never alone). */
export function verdictColumns(record: PairVerdicts) {
  return {
    verdicts: record as unknown as object,
    chosenOutcome: record.chosen,
    rejectedOutcome: record.rejected,
    rejectedFailsNew: record.rejectedFailsNew,
    hardNegative: record.hardNegative,
    hasUnknown: record.hasUnknown,
    lengthRatio: record.lengthRatio,
    newConstraintIds: record.newConstraintIds.join(" "),
  };
}

/** A stored record (Pair.verdicts) read back; null when missing or of an unknown shape. */
export function parsePairVerdicts(value: unknown): PairVerdicts | null {
  const v = jsonColumn(value);
  if (!v || typeof v !== "object" || !Array.isArray((v as PairVerdicts).constraints)) return null;
  return v as PairVerdicts;
}

/** A JSON column as read: raw SQL on SQLite gives its text, Prisma's API the parsed value. */
export function jsonColumn(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}
