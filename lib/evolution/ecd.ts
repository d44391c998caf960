/**
 * Evolutionary Contrastive Distillation for one seed (DESIGN.md, "Generation pipelines"):
 *
 * 1. R(0) = the responder's answer to I(0), or the seed's reference response (option r0Source).
 * 2. I(t+1) = evolver(I(t), operation), for `branches` children of every kept node, `rounds` deep.
 * 3. A candidate is dropped when it equals its parent, leaks template words, adds no requirement,
 *    carries an invalid constraint, or conflicts with an earlier constraint (registry conflicts).
 * 4. R(t+1) = responder(I(t+1)). A rule-based repair of R(t) must keep every content word of R(t)
 *    and insert no fragment (`repairProblem`: "content_lost" / "fragment_inserted"). R(t+1) must
 *    pass every constraint of I(t+1) (code for verifiable, judge for free-form) and R(t) must fail at least one NEW constraint; hardNegative = R(t)
 *    passes every OLD constraint.
 * 5. The pair (I(t+1), chosen R(t+1), rejected R(t)) is kept only then; every dropped candidate is
 *    a node with status "dropped" and its reason. Only kept nodes are evolved further.
 *
 * Calls are made one at a time, in key order, so a run is deterministic for a given seed, options
 * and set of model replies.
 */
import { z } from "zod";
import { conflicts, createRng, describeConstraint, isConstraintId, type Rng } from "../constraints/index";
import type { Answer, EcdRoles, RoleOutcome } from "./roles";
import { addedWordCount, leakedTemplateWords, normalizeInstruction } from "./text";
import { kwargsDisagreement } from "./kwargs-agreement";
import {
  EVOLUTION_OPERATIONS,
  EvolutionInputError,
  RULE_BASED_PROVIDER,
  SEED_PROVIDER,
  seedText as seedTextOf,
  type Constraint,
  type EvolutionOperation,
  type GeneratedNode,
  type GeneratedPair,
  type GeneratedResponse,
  type PipelineResult,
  type SeedInput,
} from "./types";
import { describeFailure, toVerification, verify, type Checked, type VerifyContext } from "./verify";
import { repairProblem } from "./repair-check";
import { responseProblem, type ResponseFilters } from "./filters";
import { describeDrop, type Drop, type DropCode } from "./drop-reasons";
import { validateSeed } from "./seed";
import { verifiableFromItem } from "./parse";

export interface EcdOptions {
  /** Evolution rounds T (depth of the tree). */
  rounds: number;
  /** Children per kept node (default 1: a chain). */
  branches?: number;
  /** Operations to draw from (default: all the evolver supports). */
  operations?: readonly EvolutionOperation[];
  /** Seed of the random draws (operation per child, rule-based choices). Default 0. */
  rngSeed?: number | string;
  /** Refusal and degenerate-reply filters on the responder's answers (both on by default). */
  filters?: ResponseFilters;
  /**
   * Where R(0) comes from: "responder" = the responder answers I(0); "reference" = the seed's
   * reference answer (the responder when the seed has none). Default: the responder, unless the
   * responder is rule-based (DESIGN.md: a one-word reference answer makes an easy negative).
   */
  r0Source?: R0Source;
  /**
   * Extra negatives for ablations, each a further pair on a kept node: "ancestors" = the accepted
   * responses of ancestors two or more rounds back, "siblings" = the chosen responses of kept
   * siblings; each only when it fails at least one constraint of the node. Both off by default.
   */
  negatives?: { ancestors?: boolean; siblings?: boolean };
  /** At most this many words added per evolution step (WizardLM: 10–20); told to the evolver and checked. */
  wordBudget?: number;
  /**
   * How the written instruction is held to its verifiable constraints' kwargs: "check" (default)
   * drops a candidate whose text disagrees with its kwargs (kwargs-agreement.ts); "render" writes
   * the registry's sentence of every new verifiable constraint into the instruction instead;
   * "off" trusts the evolver.
   */
  constraintText?: ConstraintTextMode;
}

export const R0_SOURCES = ["responder", "reference"] as const;
export type R0Source = (typeof R0_SOURCES)[number];
export const CONSTRAINT_TEXT_MODES = ["check", "render", "off"] as const;
export type ConstraintTextMode = (typeof CONSTRAINT_TEXT_MODES)[number];

/** Upper bound on evolution candidates per seed (Σ branches^t for t = 1..rounds). */
export const MAX_ECD_CANDIDATES = 1000;

const EcdOptionsSchema = z.object({
  rounds: z.number().int().min(0).max(20),
  branches: z.number().int().min(1).max(20).default(1),
  operations: z.array(z.enum(EVOLUTION_OPERATIONS)).min(1).optional(),
  rngSeed: z.union([z.number().finite(), z.string()]).default(0),
  filters: z.object({ refusal: z.boolean().optional(), degenerate: z.boolean().optional() }).default({}),
  r0Source: z.enum(R0_SOURCES).optional(),
  negatives: z.object({ ancestors: z.boolean().optional(), siblings: z.boolean().optional() }).default({}),
  wordBudget: z.number().int().min(1).max(1000).optional(),
  constraintText: z.enum(CONSTRAINT_TEXT_MODES).default("check"),
});

function parseOptions(options: EcdOptions) {
  const parsed = EcdOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EvolutionInputError(`ECD options: ${issue.path.join(".") || "(options)"}: ${issue.message}`);
  }
  const o = parsed.data;
  let total = 0;
  for (let t = 1, level = 1; t <= o.rounds; t++) {
    level *= o.branches;
    total += level;
  }
  if (total > MAX_ECD_CANDIDATES) {
    throw new EvolutionInputError(
      `ECD options: ${o.rounds} rounds × ${o.branches} branches make ${total} candidates per seed (limit ${MAX_ECD_CANDIDATES})`,
    );
  }
  return o;
}

interface Accepted {
  node: GeneratedNode;
  responseKey: string;
  response: string;
  /** The accepted response's verdicts on the node's constraints. */
  checks: Checked[];
  /** The accepted parent (undefined for node 0): the chain of ancestors for ancestor negatives. */
  parent?: Accepted;
}

/** Why a candidate's constraints are unusable, or null. Checks ids/kwargs and conflicts. */
function constraintProblem(
  parent: readonly Constraint[],
  added: readonly Constraint[],
  operation: EvolutionOperation,
): Drop | null {
  const drop = (code: DropCode, detail: string): Drop => ({ code, detail });
  if (added.length === 0) return drop("no_new_requirement", "adds no requirement");
  if (operation === "add_verifiable" && !added.some((c) => c.kind === "verifiable")) {
    return drop("no_new_requirement", "operation add_verifiable added no verifiable constraint");
  }
  const all = [...parent, ...added];
  for (let i = parent.length; i < all.length; i++) {
    const c = all[i]!;
    if (c.kind === "free") {
      if (c.text.trim() === "") return drop("invalid_constraint", `constraint #${i} is empty`);
      continue;
    }
    if (!isConstraintId(c.id))
      return drop("invalid_constraint", `constraint #${i} has an unknown id ${JSON.stringify(c.id)}`);
    const valid = verifiableFromItem({ id: c.id, kwargs: c.kwargs, text: c.text });
    if (!valid.ok) return drop("invalid_constraint", `constraint #${i}: ${valid.reason}`);
    for (let j = 0; j < i; j++) {
      const earlier = all[j]!;
      if (earlier.kind === "verifiable" && conflicts(c.id, earlier.id)) {
        return drop(
          "constraint_conflict",
          `constraint #${i} ${c.id} conflicts with earlier constraint #${j} ${earlier.id}`,
        );
      }
    }
  }
  return null;
}

/** Why the instruction or a new constraint's text says something else than the constraint's kwargs, or null. */
function textProblem(instruction: string, added: readonly Constraint[]): string | null {
  for (const c of added) {
    if (c.kind !== "verifiable") continue;
    const problem =
      kwargsDisagreement(c, c.text) ??
      // The instruction may hold several constraints in different wordings: values only.
      kwargsDisagreement(c, instruction, { relations: false });
    if (problem) return problem;
  }
  return null;
}

/** The instruction with the registry's sentence of each new verifiable constraint it does not already contain. */
function renderConstraintSentences(instruction: string, added: Constraint[]): string {
  let text = instruction.trimEnd();
  for (const [i, c] of added.entries()) {
    if (c.kind !== "verifiable") continue;
    const sentence = describeConstraint(c.id, c.kwargs);
    added[i] = { ...c, text: sentence };
    if (!text.includes(sentence)) text += (/[.!?]$/u.test(text) ? " " : ". ") + sentence;
  }
  return text;
}

/** Runs ECD on one seed. Throws EvolutionInputError for bad input, and task-level LLM errors. */
export async function runEcd(seed: SeedInput, roles: EcdRoles, options: EcdOptions): Promise<PipelineResult> {
  validateSeed(seed);
  const opts = parseOptions(options);
  const result: PipelineResult = { nodes: [], responses: [], pairs: [], log: [] };
  const info = (message: string) => result.log.push({ level: "info", message });
  const warn = (message: string) => result.log.push({ level: "warn", message });

  const supported = new Set(roles.evolver.operations);
  const wanted = opts.operations ?? roles.evolver.operations;
  const operations = wanted.filter((op) => supported.has(op));
  const unsupported = wanted.filter((op) => !supported.has(op));
  if (unsupported.length > 0) {
    warn(`the ${roles.evolver.provider} evolver cannot perform ${unsupported.join(", ")}; skipped`);
  }
  if (operations.length === 0) {
    throw new EvolutionInputError(
      `ECD options: the ${roles.evolver.provider} evolver supports none of ${wanted.join(", ")}`,
    );
  }

  const vctx: VerifyContext = { judge: roles.judge, cache: new Map() };
  const text0 = seedTextOf(seed);
  const rngFor = (key: string): Rng => createRng(`ecd|${String(opts.rngSeed)}|${seed.contentHash}|${key}`);

  // --- node 0 and R(0) --------------------------------------------------------------------
  const n0: GeneratedNode = {
    key: "n0",
    parentKey: null,
    depth: 0,
    instruction: text0,
    constraints: seed.constraints.slice(),
    operation: null,
    status: "kept",
  };
  result.nodes.push(n0);

  let r0: { text: string; provider: string; model: string; role: GeneratedResponse["role"] } | null = null;
  const ref = seed.referenceResponse;
  const r0Source = opts.r0Source ?? (roles.responder.provider === RULE_BASED_PROVIDER ? "reference" : "responder");
  if (r0Source === "reference" && ref !== null && ref.trim() !== "") {
    r0 = { text: ref, provider: SEED_PROVIDER, model: "", role: "responder" };
  } else {
    const answer = await roles.responder.respond({
      seed,
      depth: 0,
      instruction: text0,
      constraints: n0.constraints,
      newConstraintIndexes: n0.constraints.map((_, i) => i),
    });
    if (answer.ok) {
      r0 = {
        text: answer.value.text,
        provider: roles.responder.provider,
        model: roles.responder.model,
        role: answer.value.role,
      };
    } else {
      warn(`n0: no R(0), nothing to evolve: ${answer.reason}`);
      return result;
    }
  }
  const checks0 = await verify(r0.text, n0.constraints, n0.instruction, vctx);
  result.responses.push({
    key: "r:n0",
    nodeKey: "n0",
    text: r0.text,
    role: r0.role,
    provider: r0.provider,
    model: r0.model,
    verification: checks0.map(toVerification),
  });
  const failed0 = checks0.filter((c) => !c.passed);
  if (failed0.length > 0) {
    warn(`n0: R(0) fails seed constraint(s) ${failed0.map((c) => describeFailure(c, n0.constraints)).join(", ")}`);
  }

  // --- rounds -----------------------------------------------------------------------------
  let frontier: Accepted[] = [{ node: n0, responseKey: "r:n0", response: r0.text, checks: checks0 }];
  for (let round = 0; round < opts.rounds && frontier.length > 0; round++) {
    const next: Accepted[] = [];
    for (const parent of frontier) {
      const children: Accepted[] = [];
      for (let b = 0; b < opts.branches; b++) {
        const accepted = await evolveChild(parent, `${parent.node.key}.${b}`, round);
        if (accepted) children.push(accepted);
      }
      if (opts.negatives.siblings) await siblingPairs(children, round);
      next.push(...children);
    }
    frontier = next;
  }
  return result;

  async function evolveChild(parent: Accepted, key: string, round: number): Promise<Accepted | null> {
    const rng = rngFor(key);
    const operation = rng.choice(operations);
    const depth = parent.node.depth + 1;
    const node: GeneratedNode = {
      key,
      parentKey: parent.node.key,
      depth,
      instruction: "",
      constraints: parent.node.constraints.slice(),
      operation,
      status: "dropped",
    };
    result.nodes.push(node);
    const evolution = await roles.evolver.evolve({
      instruction: parent.node.instruction,
      constraints: parent.node.constraints,
      operation,
      parentResponse: parent.response,
      seedText: text0,
      rng,
      variant: key,
      wordBudget: opts.wordBudget,
    });
    const drop = (code: DropCode, detail: string): null => {
      node.drop = { code, detail };
      // What the model wrote, for a person to see why (a kept node's reply is its instruction).
      if (evolution.rawReply !== undefined) node.rawReply = evolution.rawReply;
      info(`${key}: dropped (${operation}): ${describeDrop(node.drop)}`);
      return null;
    };
    if (!evolution.ok) {
      warn(`${key}: evolver failed: ${evolution.reason}`);
      return drop("evolver_failed", evolution.reason);
    }
    const { newConstraints, addedRequirements } = evolution.value;
    const instruction =
      opts.constraintText === "render"
        ? renderConstraintSentences(evolution.value.instruction, newConstraints)
        : evolution.value.instruction;
    node.instruction = instruction;
    node.constraints = [...parent.node.constraints, ...newConstraints];
    const newIndexes = newConstraints.map((_, i) => parent.node.constraints.length + i);

    // Step 3: reject bad evolutions.
    if (instruction.trim() === "") return drop("empty_instruction", "the evolved instruction is empty");
    if (normalizeInstruction(instruction) === normalizeInstruction(parent.node.instruction)) {
      return drop("equal_to_parent", "equal to its parent instruction");
    }
    const leaked = leakedTemplateWords(instruction, parent.node.instruction);
    if (leaked.length > 0)
      return drop("template_leak", `leaks template words: ${leaked.map((w) => JSON.stringify(w)).join(", ")}`);
    const problem = constraintProblem(parent.node.constraints, newConstraints, operation);
    if (problem) return drop(problem.code, problem.detail);
    if (opts.constraintText === "check") {
      const disagreement = textProblem(instruction, newConstraints);
      if (disagreement) return drop("text_kwargs_disagree", disagreement);
    }
    if (opts.wordBudget !== undefined) {
      const added = addedWordCount(parent.node.instruction, instruction);
      if (added > opts.wordBudget) return drop("over_word_budget", `adds ${added} words (budget ${opts.wordBudget})`);
    }

    // Step 4: R(t+1) and the checks.
    const answer: RoleOutcome<Answer> = await roles.responder.respond({
      seed,
      depth,
      instruction,
      constraints: node.constraints,
      parent: { instruction: parent.node.instruction, constraints: parent.node.constraints, response: parent.response },
      newConstraintIndexes: newIndexes,
    });
    if (!answer.ok) {
      warn(`${key}: responder failed: ${answer.reason}`);
      return drop("responder_failed", answer.reason);
    }
    const responseKey = `r:${key}`;
    const damage =
      answer.value.role === "repair" ? repairProblem(parent.response, answer.value.text, node.constraints) : null;
    const chosen = await verify(answer.value.text, node.constraints, instruction, vctx);
    const response: GeneratedResponse = {
      key: responseKey,
      nodeKey: key,
      text: answer.value.text,
      role: answer.value.role,
      provider: roles.responder.provider,
      model: roles.responder.model,
      verification: chosen.map(toVerification),
    };
    if (answer.value.derived) response.parentKey = parent.responseKey;
    result.responses.push(response);

    if (damage) return drop(damage.code, damage.detail);
    const filtered = answer.value.role === "responder" ? responseProblem(answer.value.text, opts.filters) : null;
    if (filtered) return drop(filtered.code, filtered.detail);
    const chosenFails = chosen.filter((c) => !c.passed);
    if (chosenFails.length > 0) {
      return drop(
        "chosen_fails",
        `chosen response fails ${chosenFails.map((c) => describeFailure(c, node.constraints)).join(", ")}`,
      );
    }
    const rejectedNew = await verify(parent.response, node.constraints, instruction, vctx, newIndexes);
    const failedNew = rejectedNew.filter((c) => !c.passed && !c.unknown);
    if (failedNew.length === 0) {
      const unknown = rejectedNew.filter((c) => c.unknown);
      return drop(
        "rejected_not_negative",
        unknown.length > 0
          ? `rejected response is not shown to fail a new constraint (${unknown.map((c) => describeFailure(c, node.constraints)).join(", ")})`
          : "rejected response passes every new constraint",
      );
    }
    // The old constraints' verdicts on R(t) were computed when R(t) was accepted for the parent.
    const rejectedChecks = [...parent.checks, ...rejectedNew];
    const failedOld = parent.checks.filter((c) => !c.passed);
    const hardNegative = failedOld.length === 0;

    // Step 5: the pair.
    node.status = "kept";
    const pair: GeneratedPair = {
      key: `p:${key}`,
      nodeKey: key,
      chosenKey: responseKey,
      rejectedKey: parent.responseKey,
      method: "ecd",
      hardNegative,
      metadata: {
        round,
        operation,
        addedRequirements,
        newConstraintIndexes: newIndexes,
        failedNewConstraints: failedNew.map((c) => c.constraintIndex),
        failedOldConstraints: failedOld.map((c) => c.constraintIndex),
        rejectedVerification: rejectedChecks.map(toVerification),
      },
    };
    result.pairs.push(pair);
    info(`${key}: kept (${operation}); pair ${pair.key}${hardNegative ? " (hard negative)" : ""}`);
    const accepted: Accepted = { node, responseKey, response: answer.value.text, checks: chosen, parent };
    if (opts.negatives.ancestors) await ancestorPairs(accepted, round);
    return accepted;
  }

  /** A further pair on `of` whose rejected is `other`'s accepted response, when that fails a constraint of `of`. */
  async function extraPair(of: Accepted, other: Accepted, negative: "ancestor" | "sibling", round: number) {
    const checks = await verify(other.response, of.node.constraints, of.node.instruction, vctx);
    const failed = checks.filter((c) => !c.passed && !c.unknown);
    if (failed.length === 0) {
      info(`${of.node.key}: ${negative} ${other.node.key} passes every constraint; no pair`);
      return;
    }
    const pair: GeneratedPair = {
      key: `p:${of.node.key}:${negative === "ancestor" ? "a" : "s"}:${other.node.key}`,
      nodeKey: of.node.key,
      chosenKey: of.responseKey,
      rejectedKey: other.responseKey,
      method: "ecd",
      // The other response passed every constraint of its own node (n0's may fail some).
      hardNegative: other.checks.every((c) => c.passed),
      metadata: {
        round,
        operation: of.node.operation,
        negative,
        negativeNodeKey: other.node.key,
        failedConstraints: failed.map((c) => c.constraintIndex),
        rejectedVerification: checks.map(toVerification),
      },
    };
    result.pairs.push(pair);
    info(`${of.node.key}: ${negative} pair ${pair.key}`);
  }

  async function ancestorPairs(accepted: Accepted, round: number) {
    for (let ancestor = accepted.parent?.parent; ancestor; ancestor = ancestor.parent)
      await extraPair(accepted, ancestor, "ancestor", round);
  }

  async function siblingPairs(children: readonly Accepted[], round: number) {
    for (const child of children)
      for (const sibling of children) if (sibling !== child) await extraPair(child, sibling, "sibling", round);
  }
}
