/**
 * The roles the pipelines talk to. Two implementations: LLM-backed (llm-roles.ts, one ChatModel
 * per role) and rule-based (rule-based-roles.ts, no model at all).
 *
 * Error policy (the same for every role):
 * - a role answers `{ok: false, reason}` for a failure that belongs to this one step (an
 *   unparsable reply, a refused request, a constraint no rule can repair): the pipeline records it
 *   (a dropped node, a skipped fix, a log line) and goes on;
 * - a role THROWS only what the task as a whole should fail on: transient LLM errors
 *   (`LlmCallError` of kind rate_limited, server_error, timeout, network — the provider has
 *   already retried, so the job retries the task later, and the request-hash cache makes the re-run
 *   cheap), cancellation, and programming errors. See `isTaskLevelError`.
 */
import { LlmCallError } from "../llm/types";
import type { ConstraintId, Rng } from "../constraints/index";
import type { Constraint, EvolutionOperation, GeneratedResponse, SeedInput } from "./types";

export type RoleOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export const ok = <T>(value: T): RoleOutcome<T> => ({ ok: true, value });
export const failure = <T = never>(reason: string): RoleOutcome<T> => ({ ok: false, reason });

/** Who wrote a response, as recorded on it. */
export type ResponseRole = GeneratedResponse["role"];

/** Something that plays a role: its provenance is recorded on what it makes. */
export interface RolePlayer {
  readonly provider: string;
  readonly model: string;
}

// ---------------------------------------------------------------------------------------------
// Evolver
// ---------------------------------------------------------------------------------------------

export interface EvolveRequest {
  /** The parent node's instruction I(t). */
  instruction: string;
  /** The parent node's constraints (the new ones must not conflict with these). */
  constraints: readonly Constraint[];
  operation: EvolutionOperation;
  /** The parent's accepted response R(t) (a rule-based evolver uses it to pick a near miss). */
  parentResponse: string;
  /** The seed's text (instruction + input), e.g. as a keyword source. */
  seedText: string;
  /** A generator for this candidate only (deterministic per node key). */
  rng: Rng;
  /**
   * Which candidate this is (its node key). Sibling branches send the same prompt; the variant
   * keeps the LLM cache from answering every sibling with the first one's evolution.
   */
  variant?: string;
  /** At most this many words to add (the job's word budget), when set. */
  wordBudget?: number;
}

export interface Evolution {
  /** The evolved instruction I(t+1). */
  instruction: string;
  /** What was added, in a few words each (for the log and the reviewer). */
  addedRequirements: string[];
  /** The constraints I(t+1) adds to I(t). */
  newConstraints: Constraint[];
}

/**
 * An evolution, or why there is none, with the model's reply as it came (absent for a rule-based
 * evolver and for a call that failed): a dropped candidate keeps it for a person to read.
 */
export type EvolveOutcome = RoleOutcome<Evolution> & { rawReply?: string };

export interface Evolver extends RolePlayer {
  /** The operations this evolver can perform. */
  readonly operations: readonly EvolutionOperation[];
  evolve(request: EvolveRequest): Promise<EvolveOutcome>;
  /** C2S: keywords that could appear in an answer to `seedText`. */
  proposeKeywords(seedText: string): Promise<RoleOutcome<string[]>>;
}

// ---------------------------------------------------------------------------------------------
// Responder, student, teacher, judge
// ---------------------------------------------------------------------------------------------

export interface RespondRequest {
  seed: SeedInput;
  depth: number;
  /** The node's full instruction and all of its constraints. */
  instruction: string;
  constraints: readonly Constraint[];
  /** The parent node and its accepted response (absent at depth 0). */
  parent?: { instruction: string; constraints: readonly Constraint[]; response: string };
  /** The constraints this node adds to its parent (indexes into `constraints`). */
  newConstraintIndexes: readonly number[];
}

export interface Answer {
  text: string;
  /** "responder" / "student" / "teacher" for a model's answer, "repair" for a rule-based edit. */
  role: ResponseRole;
  /** True when the text is an edit of the parent's (or the previous) response. */
  derived: boolean;
}

export interface Responder extends RolePlayer {
  respond(request: RespondRequest): Promise<RoleOutcome<Answer>>;
}

export interface StudentRequest {
  seed: SeedInput;
  /** The composed prompt. */
  prompt: string;
}

export interface Student extends RolePlayer {
  answer(request: StudentRequest): Promise<RoleOutcome<Answer>>;
}

export interface CorrectRequest {
  /** The composed prompt (context only; the teacher fixes one constraint). */
  prompt: string;
  /** The current, possibly already partly corrected response. */
  response: string;
  /** The one constraint the response violates. */
  constraint: Extract<Constraint, { kind: "verifiable" }>;
  /** The prompt's other constraints (a rule-based repair keeps clear of them). */
  otherConstraints: readonly Constraint[];
  /**
   * Which attempt this is (C2S's second pass: "pass-2"): a retry of the same correction must not
   * be answered from the LLM cache with the first attempt's reply.
   */
  variant?: string;
}

export interface Teacher extends RolePlayer {
  /**
   * The constraint ids this teacher can fix at all, when it knows (a rule-based teacher: the ids
   * with a rule-based repair). C2S composes only from these unless its options name the ids.
   */
  readonly supportedIds?: readonly ConstraintId[];
  correct(request: CorrectRequest): Promise<RoleOutcome<Answer>>;
}

export interface JudgeRequest {
  instruction: string;
  response: string;
  /** The one free-form requirement to judge. */
  requirement: string;
}

export interface Judgement {
  passed: boolean;
  reason: string;
}

export interface Judge extends RolePlayer {
  judge(request: JudgeRequest): Promise<RoleOutcome<Judgement>>;
}

/** The roles ECD uses. Without a judge, free-form constraints never verify (rule-based mode). */
export interface EcdRoles {
  evolver: Evolver;
  responder: Responder;
  judge?: Judge;
}

/** The roles C2S uses. The evolver is asked for keywords only (keywordSource "evolver"). */
export interface C2sRoles {
  evolver?: Evolver;
  student: Student;
  teacher: Teacher;
}

export interface Roles extends EcdRoles, C2sRoles {
  evolver: Evolver;
}

// ---------------------------------------------------------------------------------------------
// Error policy
// ---------------------------------------------------------------------------------------------

const TASK_LEVEL_KINDS: ReadonlySet<LlmCallError["kind"]> = new Set([
  "rate_limited",
  "server_error",
  "timeout",
  "network",
  "cancelled",
]);

/**
 * True for errors that must fail the whole task rather than one step: transient LLM errors (the
 * job retries the task) and cancellation. `bad_request` and `unparsable` LLM errors are recorded
 * as the step's failure instead.
 */
export function isTaskLevelError(error: unknown): boolean {
  return error instanceof LlmCallError && TASK_LEVEL_KINDS.has(error.kind);
}

/** True for LLM errors a job should retry (everything task-level except cancellation). */
export function isTransientLlmError(error: unknown): boolean {
  return isTaskLevelError(error) && (error as LlmCallError).kind !== "cancelled";
}
