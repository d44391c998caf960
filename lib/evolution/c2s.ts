/**
 * "From complex to simple" for one seed (spec §8–§9, DESIGN.md):
 *
 * 1. Compose constraints onto the seed text (composeConstraints; keywords from the evolver's
 *    keyword proposal, or from the seed's own words). The composed prompt is node "n0.c", a
 *    depth-1 child of the seed node "n0", operation "compose".
 * 2. The student answers; the strict checkers list the constraints it fails.
 * 3. The teacher fixes the failed constraints one at a time, in order, each fix working on the
 *    previous fix's output. A failed fix (call or parse failure, unchanged text, or a revision that
 *    still fails its own constraint) is logged and skipped; the chain goes on from the last good
 *    text. A constraint an earlier fix already satisfied is not sent to the teacher. A rule-based
 *    fix that loses content or glues on a fragment (`repairProblem`) is skipped the same way.
 * 4. Pairs (spec §9.4): one per applied fix i, rejected = the response before fix i, chosen = the
 *    FINAL response; a pair whose rejected equals the chosen is dropped. The final response is
 *    re-verified: pairs are kept only when it passes every constraint (otherwise the node is
 *    dropped with the reasons). Node "n0.c" is "kept" exactly when it has pairs. Options for
 *    ablations: mode "original" (the original method: no final re-verification) and a second
 *    correction pass over what the first left failing (fixes "r:n0.c:fix2:<i>", pairs "p:n0.c:2:<i>").
 *
 * Keys: responses "r:n0.c:student", "r:n0.c:fix:<i>"; pairs "p:n0.c:<i>" (i = constraint index).
 */
import { z } from "zod";
import { composeConstraints, CONSTRAINT_IDS, type ConstraintId } from "../constraints/index";
import type { C2sRoles } from "./roles";
import { repairProblem } from "./repair-check";
import { responseProblem, type ResponseFilters } from "./filters";
import { describeDrop, type DropCode } from "./drop-reasons";
import { validateSeed } from "./seed";
import { excerpt, seedKeywords } from "./text";
import {
  EvolutionInputError,
  seedText as seedTextOf,
  type Constraint,
  type GeneratedNode,
  type GeneratedPair,
  type GeneratedResponse,
  type PipelineResult,
  type SeedInput,
} from "./types";
import { checkVerifiable, describeFailure, toVerification, type Checked } from "./verify";

export interface C2sOptions {
  /** Bounds of the number of composed constraints (default 3..5, both inclusive). */
  constraintsPerPrompt?: { min: number; max: number };
  /** Seed of composition's random draws. Default 0. */
  rngSeed?: number | string;
  /**
   * Where keywords come from: "evolver" = the evolver role's keyword proposal (the rule-based
   * evolver takes the seed's words), "seed" = the seed's own words without any call. Default:
   * "evolver" when an evolver is given, else "seed".
   */
  keywordSource?: "evolver" | "seed";
  /** Only compose from these ids (default: the teacher's `supportedIds` when it has them, else all 25). */
  ids?: readonly ConstraintId[];
  /** Refusal and degenerate-reply filters on the student's answer and the teacher's fixes (both on by default). */
  filters?: ResponseFilters;
  /**
   * "strict" (default): pairs only when the final response passes every constraint. "original":
   * the original method's mode: every fix that passes its own constraint is kept and the final
   * response is not re-verified.
   */
  mode?: C2sMode;
  /** A second correction pass over the constraints the first pass left failing. Default off. */
  secondPass?: boolean;
}

export const C2S_MODES = ["strict", "original"] as const;
export type C2sMode = (typeof C2S_MODES)[number];

const C2sOptionsSchema = z.object({
  constraintsPerPrompt: z
    .object({ min: z.number().int().min(1).max(25), max: z.number().int().min(1).max(25) })
    .refine((c) => c.min <= c.max, "min must not exceed max")
    .default({ min: 3, max: 5 }),
  rngSeed: z.union([z.number().finite(), z.string()]).default(0),
  keywordSource: z.enum(["evolver", "seed"]).optional(),
  ids: z.array(z.enum(CONSTRAINT_IDS)).min(1).optional(),
  filters: z.object({ refusal: z.boolean().optional(), degenerate: z.boolean().optional() }).default({}),
  mode: z.enum(C2S_MODES).default("strict"),
  secondPass: z.boolean().default(false),
});

function parseOptions(options: C2sOptions) {
  const parsed = C2sOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EvolutionInputError(`C2S options: ${issue.path.join(".") || "(options)"}: ${issue.message}`);
  }
  return parsed.data;
}

export const C2S_NODE_KEY = "n0.c";

/** Runs C2S on one seed. Throws EvolutionInputError for bad input, and task-level LLM errors. */
export async function runC2s(seed: SeedInput, roles: C2sRoles, options: C2sOptions = {}): Promise<PipelineResult> {
  validateSeed(seed);
  const opts = parseOptions(options);
  const keywordSource = opts.keywordSource ?? (roles.evolver ? "evolver" : "seed");
  if (keywordSource === "evolver" && !roles.evolver) {
    throw new EvolutionInputError('C2S options: keywordSource "evolver" needs an evolver role');
  }
  const result: PipelineResult = { nodes: [], responses: [], pairs: [], log: [] };
  const info = (message: string) => result.log.push({ level: "info", message });
  const warn = (message: string) => result.log.push({ level: "warn", message });
  const key = C2S_NODE_KEY;

  const text0 = seedTextOf(seed);
  result.nodes.push({
    key: "n0",
    parentKey: null,
    depth: 0,
    instruction: text0,
    constraints: seed.constraints.slice(),
    operation: null,
    status: "kept",
  });

  // --- 1. compose -------------------------------------------------------------------------
  const composed = await composeConstraints({
    // A space between the seed text and the first constraint sentence.
    seedText: `${text0} `,
    seed: `c2s|${String(opts.rngSeed)}|${seed.contentHash}`,
    count: opts.constraintsPerPrompt,
    ids: opts.ids ?? roles.teacher.supportedIds,
    keywordSource: async (text) => {
      if (keywordSource === "seed") return seedKeywords(text);
      const proposal = await roles.evolver!.proposeKeywords(text.trim());
      if (proposal.ok) return proposal.value;
      warn(`${key}: keyword proposal failed, using built-in words: ${proposal.reason}`);
      return [];
    },
  });
  const constraints: Extract<Constraint, { kind: "verifiable" }>[] = composed.instruction_id_list.map((id, i) => ({
    kind: "verifiable",
    id,
    kwargs: composed.kwargs[i]!,
    text: composed.constraints[i]!,
  }));
  const prompt = composed.prompt.trimEnd();
  const node: GeneratedNode = {
    key,
    parentKey: "n0",
    depth: 1,
    instruction: prompt,
    constraints,
    operation: "compose",
    status: "dropped",
  };
  result.nodes.push(node);
  const drop = (code: DropCode, detail: string) => {
    node.drop = { code, detail };
    info(`${key}: dropped: ${describeDrop(node.drop)}`);
    return result;
  };
  const check = (text: string): Checked[] => constraints.map((c, i) => checkVerifiable(c, i, text));

  // --- 2. student -------------------------------------------------------------------------
  const student = await roles.student.answer({ seed, prompt });
  if (!student.ok) {
    warn(`${key}: student failed: ${student.reason}`);
    return drop("student_failed", student.reason);
  }
  const studentKey = `r:${key}:student`;
  const studentChecks = check(student.value.text);
  result.responses.push({
    key: studentKey,
    nodeKey: key,
    text: student.value.text,
    role: student.value.role,
    provider: roles.student.provider,
    model: roles.student.model,
    verification: studentChecks.map(toVerification),
  });
  const refused = student.value.role === "student" ? responseProblem(student.value.text, opts.filters) : null;
  if (refused) return drop(refused.code, refused.detail);
  const failed = studentChecks.filter((c) => !c.passed).map((c) => c.constraintIndex);
  if (failed.length === 0)
    return drop("nothing_to_correct", "the student's response follows every constraint; nothing to correct");

  // --- 3. teacher, one constraint at a time -------------------------------------------------
  let current = { key: studentKey, text: student.value.text, checks: studentChecks };
  const fixes: {
    index: number;
    pass: 1 | 2;
    rejectedKey: string;
    rejectedText: string;
    rejectedChecks: Checked[];
    fixKey: string;
  }[] = [];
  await correctionPass(1, failed);
  if (opts.secondPass) {
    const left = current.checks.filter((c) => !c.passed).map((c) => c.constraintIndex);
    if (left.length > 0) {
      info(`${key}: second pass over ${left.map((i) => `#${i}`).join(", ")}`);
      await correctionPass(2, left);
    }
  }

  // --- 4. re-verify the final response and assemble pairs ----------------------------------
  if (fixes.length === 0) return drop("no_fix_applied", "no fix could be applied");
  const finalFails = current.checks.filter((c) => !c.passed);
  if (finalFails.length > 0) {
    const detail = `the final response still fails ${finalFails.map((c) => describeFailure(c, constraints)).join(", ")}`;
    if (opts.mode === "strict") return drop("final_fails", detail);
    info(`${key}: ${detail} (original mode: kept)`);
  }
  // Each rule-based fix was checked against its input; the final text is checked against the student's too.
  const repaired = result.responses.some((r) => r.nodeKey === key && r.role === "repair");
  const damage = repaired ? repairProblem(student.value.text, current.text, constraints) : null;
  if (damage) return drop(damage.code, damage.detail);
  const pairs: GeneratedPair[] = [];
  for (const [order, f] of fixes.entries()) {
    if (f.rejectedText === current.text) {
      info(`${key}: pair for #${f.index} dropped: rejected equals chosen`);
      continue;
    }
    pairs.push({
      key: f.pass === 1 ? `p:${key}:${f.index}` : `p:${key}:2:${f.index}`,
      nodeKey: key,
      chosenKey: current.key,
      rejectedKey: f.rejectedKey,
      method: "c2s",
      hardNegative: null,
      metadata: {
        constraintIndex: f.index,
        constraintId: constraints[f.index]!.id,
        constraintText: constraints[f.index]!.text,
        fixOrder: order,
        fixKey: f.fixKey,
        failedByRejected: f.rejectedChecks.filter((c) => !c.passed).map((c) => c.constraintIndex),
        ...(f.pass === 2 ? { pass: 2 } : {}),
      },
    });
  }
  if (pairs.length === 0) return drop("rejected_equals_chosen", "every pair had rejected equal to chosen");
  node.status = "kept";
  result.pairs.push(...pairs);
  info(`${key}: kept; ${pairs.length} pair(s) ${pairs.map((p) => p.key).join(", ")}`);
  return result;

  /** One pass of the teacher over `indexes`, in order, each fix working on the last good text. */
  async function correctionPass(pass: 1 | 2, indexes: readonly number[]) {
    for (const index of indexes) {
      const c = constraints[index]!;
      const label = `#${index} ${c.id}`;
      if (current.checks[index]!.passed) {
        info(`${key}: constraint ${label} already satisfied after earlier fixes; not sent to the teacher`);
        continue;
      }
      const fix = await roles.teacher.correct({
        prompt,
        response: current.text,
        constraint: c,
        otherConstraints: constraints.filter((_, j) => j !== index),
        ...(pass === 2 ? { variant: "pass-2" } : {}),
      });
      if (!fix.ok) {
        warn(`${key}: fix of ${label} failed, skipped: ${fix.reason}`);
        continue;
      }
      const revised = fix.value.text;
      const filtered = fix.value.role === "teacher" ? responseProblem(revised, opts.filters) : null;
      if (filtered) {
        warn(`${key}: fix of ${label} skipped: ${describeDrop(filtered)}`);
        continue;
      }
      if (revised === current.text) {
        warn(`${key}: fix of ${label} returned the response unchanged, skipped`);
        continue;
      }
      const damage = fix.value.role === "repair" ? repairProblem(current.text, revised, constraints) : null;
      if (damage) {
        warn(`${key}: fix of ${label} skipped: ${describeDrop(damage)}`);
        continue;
      }
      const checks = check(revised);
      if (!checks[index]!.passed) {
        warn(`${key}: fix of ${label} still fails its constraint, skipped: ${JSON.stringify(excerpt(revised, 200))}`);
        continue;
      }
      const fixKey = pass === 1 ? `r:${key}:fix:${index}` : `r:${key}:fix2:${index}`;
      const response: GeneratedResponse = {
        key: fixKey,
        nodeKey: key,
        text: revised,
        role: fix.value.role,
        provider: roles.teacher.provider,
        model: roles.teacher.model,
        verification: checks.map(toVerification),
        parentKey: current.key,
      };
      result.responses.push(response);
      fixes.push({
        index,
        pass,
        rejectedKey: current.key,
        rejectedText: current.text,
        rejectedChecks: current.checks,
        fixKey,
      });
      current = { key: fixKey, text: revised, checks };
    }
  }
}
