/**
 * Rule-based roles (provider "rule-based", model ""): the whole pipeline runs with no LLM.
 *
 * - evolver: adds one verifiable constraint from the registry that conflicts with none of the
 *   node's constraints (seeded rng). It prefers a constraint that the parent's response fails and
 *   that rule-based repair can then satisfy by addition alone (a real near miss whose repair
 *   passes `repairProblem`); a constraint only deletion could meet (number_words "less than" below
 *   the current length, forbidden words…) is never picked that way. When none qualifies it adds
 *   the first non-conflicting one and the pipeline records why the candidate is dropped. Instruction =
 *   parent instruction + " " + rendered constraint + ".". Only the add_verifiable operation.
 *   Keywords come from the seed's own words.
 * - responder: depth 0 = the seed's reference response; depth > 0 = `repairAll` of the parent's
 *   response for the node's constraints (recorded as role "repair").
 * - student: the seed's reference response.
 * - teacher: `repair` of the one failed constraint (role "repair").
 * - judge: none (free-form constraints are never produced in rule-based mode).
 */
import {
  CONSTRAINT_IDS,
  conflictsWithAny,
  FALLBACK_WORDS,
  followsStrict,
  hasRepair,
  renderConstraint,
  repair,
  repairAll,
  sampleKwargs,
  type ConstraintId,
  type ConstraintSpec,
} from "../constraints/index";
import {
  failure,
  ok,
  type Answer,
  type CorrectRequest,
  type Evolution,
  type EvolveRequest,
  type Evolver,
  type Responder,
  type RespondRequest,
  type RoleOutcome,
  type Roles,
  type Student,
  type StudentRequest,
  type Teacher,
} from "./roles";
import { repairProblem } from "./repair-check";
import { seedKeywords } from "./text";
import { RULE_BASED_PROVIDER, type Constraint, type EvolutionOperation, type SeedInput } from "./types";

/**
 * Ids the rule-based evolver never adds: repeat_prompt (its argument is the whole prompt) and
 * response_language (no rule can translate an answer).
 */
export const RULE_BASED_EXCLUDED_IDS: readonly ConstraintId[] = [
  "combination:repeat_prompt",
  "language:response_language",
];

const NO_REFERENCE = "seed has no reference response";

function verifiableSpecs(constraints: readonly Constraint[]): ConstraintSpec[] {
  return constraints.flatMap((c) => (c.kind === "verifiable" ? [{ id: c.id, kwargs: c.kwargs }] : []));
}

function reference(seed: SeedInput): string | null {
  const text = seed.referenceResponse;
  return text !== null && text.trim() !== "" ? text : null;
}

abstract class RuleBasedRole {
  readonly provider = RULE_BASED_PROVIDER;
  readonly model = "";
}

export class RuleBasedEvolver extends RuleBasedRole implements Evolver {
  readonly operations: readonly EvolutionOperation[] = ["add_verifiable"];

  async evolve(request: EvolveRequest): Promise<RoleOutcome<Evolution>> {
    if (request.operation !== "add_verifiable") {
      return failure(`the rule-based evolver only adds verifiable constraints (asked for ${request.operation})`);
    }
    const { rng } = request;
    const existing = verifiableSpecs(request.constraints);
    const taken = existing.map((c) => c.id);
    const candidates = rng
      .shuffle(CONSTRAINT_IDS.filter((id) => !RULE_BASED_EXCLUDED_IDS.includes(id)))
      .filter((id) => !conflictsWithAny(id, taken));
    if (candidates.length === 0) return failure("no registry constraint can be added without a conflict");

    const words = seedKeywords(request.seedText);
    const pool = words.length > 0 ? words : FALLBACK_WORDS;
    const word = () => rng.choice(pool);
    const parent = request.parentResponse;

    let chosen: ConstraintSpec | null = null;
    let fallback: ConstraintSpec | null = null;
    for (const id of candidates) {
      const spec = { id, kwargs: sampleKwargs(id, rng, word) };
      fallback ??= spec;
      if (parent.trim() === "") break;
      // A near miss: the parent's response fails the new constraint, and repair can fix it by
      // adding (nothing lost, no fragment) while keeping every earlier constraint satisfied.
      if (followsStrict(id, spec.kwargs, parent)) continue;
      const repaired = repairAll(parent, [...existing, spec]);
      if (
        !repaired.allFollowed ||
        repairProblem(parent, repaired.response, [
          ...request.constraints,
          { kind: "verifiable", ...spec, text: "" },
        ]) !== null
      )
        continue;
      chosen = spec;
      break;
    }
    const spec = chosen ?? fallback!;
    const text = renderConstraint(spec.id, spec.kwargs, rng);
    return ok({
      instruction: `${request.instruction} ${text}.`,
      addedRequirements: [text],
      newConstraints: [{ kind: "verifiable", id: spec.id, kwargs: spec.kwargs, text }],
    });
  }

  async proposeKeywords(seedText: string): Promise<RoleOutcome<string[]>> {
    return ok(seedKeywords(seedText));
  }
}

export class RuleBasedResponder extends RuleBasedRole implements Responder {
  async respond(request: RespondRequest): Promise<RoleOutcome<Answer>> {
    if (request.depth === 0 || !request.parent) {
      const text = reference(request.seed);
      return text === null ? failure(NO_REFERENCE) : ok({ text, role: "responder", derived: false });
    }
    if (request.constraints.some((c) => c.kind === "free")) {
      return failure("rule-based repair cannot satisfy free-form constraints");
    }
    const result = repairAll(request.parent.response, verifiableSpecs(request.constraints));
    if (!result.allFollowed) {
      const why = result.unsatisfied.map((u) => `${u.id}: ${u.reason}`).join("; ");
      return failure(`rule-based repair could not satisfy ${why}`);
    }
    return ok({ text: result.response, role: "repair", derived: true });
  }
}

export class RuleBasedStudent extends RuleBasedRole implements Student {
  async answer(request: StudentRequest): Promise<RoleOutcome<Answer>> {
    const text = reference(request.seed);
    return text === null ? failure(NO_REFERENCE) : ok({ text, role: "student", derived: false });
  }
}

export class RuleBasedTeacher extends RuleBasedRole implements Teacher {
  readonly supportedIds: readonly ConstraintId[] = CONSTRAINT_IDS.filter((id) => hasRepair(id));

  async correct(request: CorrectRequest): Promise<RoleOutcome<Answer>> {
    const { id, kwargs } = request.constraint;
    const result = repair(id, request.response, kwargs, { context: verifiableSpecs(request.otherConstraints) });
    if (!result.ok) return failure(`rule-based repair of ${id} failed: ${result.reason}`);
    return ok({ text: result.response, role: "repair", derived: true });
  }
}

/** Every role played by rules (no judge). */
export function createRuleBasedRoles(): Roles {
  return {
    evolver: new RuleBasedEvolver(),
    responder: new RuleBasedResponder(),
    student: new RuleBasedStudent(),
    teacher: new RuleBasedTeacher(),
  };
}
