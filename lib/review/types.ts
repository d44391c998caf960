/**
 * Words, shapes and input schemas of lib/review. Pure: safe to import from client components
 * (no DB, no Node APIs).
 */
import { z } from "zod";
import { REVIEW_DECISIONS, type PairStatus, type ReviewDecision } from "../domain.ts";
import type { PairVerdicts } from "./verdict-record.ts";

export {
  FINAL_STATUSES,
  isFinal,
  PAIR_METHODS,
  PAIR_STATUSES,
  REVIEW_KINDS,
  type PairMethod,
  type PairStatus,
  type ReviewKind,
} from "../domain.ts";

/** What a review records (lib/domain.ts). Only accept / reject by a reviewer are votes. */
export const DECISIONS = REVIEW_DECISIONS;
export type Decision = ReviewDecision;

/** The short list of reject reasons (plus free text). */
export const REJECT_REASONS = [
  { code: "chosen_fails", label: "Chosen breaks a constraint" },
  { code: "rejected_not_worse", label: "Rejected is not worse" },
  { code: "both_bad", label: "Both responses are poor" },
  { code: "prompt_bad", label: "Prompt is broken or unclear" },
  { code: "unsafe", label: "Harmful or unsafe content" },
  { code: "other", label: "Other" },
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number]["code"];
export const REJECT_REASON_CODES = REJECT_REASONS.map((r) => r.code) as [RejectReason, ...RejectReason[]];

const REJECT_REASON_LABELS = new Map<string, string>(REJECT_REASONS.map((r) => [r.code, r.label]));
/** A stored reason code's label (an unknown code as it is). */
export const rejectReasonLabel = (code: string) => REJECT_REASON_LABELS.get(code) ?? code;

/** The reason recorded on reviews written by a bulk decision (they settle the status). */
export const BULK_REASON = "bulk";

/** Response roles as stored (Response.role). */
export const RESPONSE_ROLES = ["responder", "student", "teacher", "repair", "human"] as const;

// ---------------------------------------------------------------------------------------------
// Constraints and verification as stored in JSON columns
// ---------------------------------------------------------------------------------------------

export type StoredConstraint =
  { kind: "verifiable"; id: string; kwargs: Record<string, unknown>; text: string } | { kind: "free"; text: string };

const verifiableSchema = z.object({
  kind: z.literal("verifiable"),
  id: z.string(),
  kwargs: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => v ?? {}),
  text: z
    .string()
    .nullish()
    .transform((v) => v ?? ""),
});
const freeSchema = z.object({ kind: z.literal("free"), text: z.string() });
const constraintSchema = z.union([verifiableSchema, freeSchema]);

/** Node.constraints → a clean list. Entries of an unknown shape are kept as free-form text. */
export function parseConstraints(value: unknown): StoredConstraint[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry): StoredConstraint => {
    const parsed = constraintSchema.safeParse(entry);
    if (parsed.success) return parsed.data;
    return { kind: "free", text: typeof entry === "string" ? entry : JSON.stringify(entry) };
  });
}

export type VerificationEntry = {
  constraintIndex: number;
  id?: string;
  passed: boolean;
  by: "code" | "judge";
  reason?: string;
};

const verificationEntrySchema = z.object({
  constraintIndex: z.number().int().min(0),
  id: z.string().optional(),
  passed: z.boolean(),
  by: z.enum(["code", "judge"]),
  reason: z.string().optional(),
});

/** Response.verification → a clean list (malformed entries are dropped). */
export function parseVerification(value: unknown): VerificationEntry[] {
  if (!Array.isArray(value)) return [];
  const out: VerificationEntry[] = [];
  for (const entry of value) {
    const parsed = verificationEntrySchema.safeParse(entry);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** A pass/fail badge for one constraint and one response. `passed: null` = not known. */
export type Verdict = { index: number; passed: boolean | null; by: "code" | "judge" | null; reason?: string };

// ---------------------------------------------------------------------------------------------
// What the review screen shows (plain JSON: crosses the server/client boundary)
// ---------------------------------------------------------------------------------------------

/** `isNew`: new at this node (lib/review/verdict-record.ts, the one rule). */
export type ConstraintView = StoredConstraint & { index: number; label: string; isNew: boolean };

export type ResponseView = {
  id: number;
  text: string;
  role: string;
  provider: string;
  model: string;
  /** How it was written: an LLM, a rule (no model), or a person. */
  /** reference = the seed's own reference answer (imported, not generated). */
  origin: "llm" | "rule-based" | "human" | "reference";
  parentId: number | null;
  createdBy: string | null;
  jobId: number | null;
  createdAt: string;
  verdicts: Verdict[];
};

export type ChainStepView = {
  nodeId: number;
  depth: number;
  instruction: string;
  operation: string | null;
  constraints: ConstraintView[];
};

export type ReviewView = {
  id: number;
  user: string;
  userId: number;
  decision: Decision;
  kind: string;
  round: number;
  override: boolean;
  migrated: boolean;
  reason: string | null;
  reasonText: string | null;
  pairVersion: number;
  decidedAt: string;
  durationMs: number;
  edited: { prompt: boolean; chosen: boolean; rejected: boolean };
};

export type PairView = {
  id: number;
  datasetId: number;
  seedId: number;
  nodeId: number;
  version: number;
  status: PairStatus;
  /** The current prompt or a response carries a human edit. */
  edited: boolean;
  /** The orientation differs from the generated one. */
  swapped: boolean;
  round: number;
  /** Accepted although the chosen response fails a code-checked constraint. */
  override: boolean;
  /** THE verdict record, as stored with the pair. */
  verdicts: PairVerdicts;
  lengthRatio: number | null;
  /** Constraint sentences the (edited) prompt no longer states. */
  missingFromPrompt: string[];
  method: string;
  depth: number;
  reviewCount: number;
  reviewsPerPair: number;
  hardNegative: boolean | null;
  jobId: number | null;
  createdAt: string;
  updatedAt: string;
  /** The prompt as reviewed: the node's instruction, or a reviewer's edit of it. */
  prompt: string;
  originalPrompt: string;
  constraints: ConstraintView[];
  chain: ChainStepView[];
  chosen: ResponseView;
  rejected: ResponseView;
  reviews: ReviewView[];
  claim: { userId: number; user: string; until: string } | null;
  /** The dataset's review mode. */
  reviewMode: "labelled" | "ab";
  /**
   * A/B mode before this reviewer's vote: the two texts as A (left) and B (right). The view is
   * then redacted (lib/review/view.ts): nothing in it tells which side was generated as chosen.
   */
  ab: { a: string; b: string } | null;
};

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const id = z.coerce.number().int().positive();
/** How long the pair was on screen before the decision (measured in the browser). */
const durationMs = z.coerce.number().int().min(0).max(86_400_000).default(0);

/** A checkbox or flag: true, "true", "on", "1". */
const flag = z.preprocess((v) => v === true || v === "true" || v === "on" || v === "1", z.boolean()).default(false);

export const decisionInputSchema = z.object({
  pairId: id,
  version: z.coerce.number().int().positive(),
  decision: z.enum(["accept", "reject", "skip", "swap"]),
  reason: z.enum(REJECT_REASON_CODES).nullish(),
  reasonText: z.string().trim().max(2000, "Reason must be at most 2000 characters").nullish(),
  /** The reviewer confirmed accepting a chosen response that fails a code-checked constraint. */
  override: flag,
  durationMs,
});
export type DecisionInput = z.input<typeof decisionInputSchema>;

const editedText = z.string().max(200_000, "Text must be at most 200,000 characters");
export const editInputSchema = z
  .object({
    pairId: id,
    version: z.coerce.number().int().positive(),
    prompt: editedText.min(1, "The prompt cannot be empty").nullish(),
    chosen: editedText.min(1, "The chosen response cannot be empty").nullish(),
    rejected: editedText.min(1, "The rejected response cannot be empty").nullish(),
    reasonText: z.string().trim().max(2000).nullish(),
    /** "Save and accept": an accept vote on the edited pair right after the edit. */
    accept: flag,
    override: flag,
    durationMs,
  })
  .refine((v) => v.prompt != null || v.chosen != null || v.rejected != null, {
    message: "Nothing was edited",
    path: ["chosen"],
  });
export type EditInput = z.input<typeof editInputSchema>;

export const reopenInputSchema = z.object({
  pairId: id,
  version: z.coerce.number().int().positive(),
  reason: z
    .string()
    .trim()
    .min(1, "A reason is required to reopen a pair")
    .max(2000, "Reason must be at most 2000 characters"),
});
export type ReopenInput = z.input<typeof reopenInputSchema>;

// ---------------------------------------------------------------------------------------------
// A/B votes (lib/review/ab.ts maps them; the panel shows them)
// ---------------------------------------------------------------------------------------------

export const AB_CHOICES = ["a", "b", "tie", "both_bad"] as const;
export type AbChoice = (typeof AB_CHOICES)[number];
export const AB_STRENGTHS = ["slight", "clear"] as const;
export type AbStrength = (typeof AB_STRENGTHS)[number];

/** An A/B vote: which side is better (A = left, B = right), how clearly, against the version seen. */
export const abVoteInputSchema = z.object({
  pairId: z.coerce.number().int().positive(),
  version: z.coerce.number().int().positive(),
  choice: z.enum(AB_CHOICES, { message: "choice must be one of a, b, tie, both_bad" }),
  strength: z.enum(AB_STRENGTHS, { message: "strength must be slight or clear" }).default("clear"),
  reasonText: z.string().trim().max(2000, "Reason must be at most 2000 characters").nullish(),
  durationMs: z.coerce.number().int().min(0).max(86_400_000).default(0),
});
export type AbVoteInput = z.input<typeof abVoteInputSchema>;

/** A researcher's decision on a pair in adjudication (final, audited). */
export const adjudicationInputSchema = z.object({
  pairId: z.coerce.number().int().positive(),
  version: z.coerce.number().int().positive(),
  decision: z.enum(["accept", "flip", "reject"], { message: "decision must be accept, flip or reject" }),
  reason: z.string().trim().max(2000, "Reason must be at most 2000 characters").nullish(),
  durationMs: z.coerce.number().int().min(0).max(86_400_000).default(0),
});
export type AdjudicationInput = z.input<typeof adjudicationInputSchema>;
