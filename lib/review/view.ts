import type { Db } from "../db/client.ts";
import { datasetSettingsSchema } from "../datasets/index.ts";
import { DomainError } from "../errors.ts";
import {
  parseConstraints,
  parseVerification,
  type ChainStepView,
  type Decision,
  type PairStatus,
  type PairView,
  type ResponseView,
  type Verdict,
} from "./types.ts";
import { constraintsMissingFromPrompt, pairPrompt } from "./prompt.ts";
import { judgeModelOf, NO_JUDGE_REASON, REJUDGE_PENDING_REASON } from "./rejudge.ts";
import { newConstraintFlags, parsePairVerdicts, type PairVerdicts } from "./verdict-record.ts";
import { verdictsOf } from "./verdict-store.ts";
import { checkConstraints, toConstraintViews } from "./verdicts.ts";
import { chosenOnLeft } from "./ab.ts";

/** Everything the review screen shows about one pair, as plain JSON. */

/** The Response columns a ResponseView needs (the pair view and the tree both read these). */
export const responseSelect = {
  id: true,
  text: true,
  role: true,
  provider: true,
  model: true,
  verification: true,
  parentId: true,
  jobId: true,
  createdAt: true,
  createdBy: { select: { email: true } },
} as const;

export function responseOrigin(role: string, provider: string): ResponseView["origin"] {
  if (role === "human" || provider === "human") return "human";
  if (provider === "rule-based" || role === "repair") return "rule-based";
  if (provider === "seed") return "reference"; // lib/evolution's SEED_PROVIDER: the imported reference answer
  return "llm";
}

type SelectedResponse = {
  id: number;
  text: string;
  role: string;
  provider: string;
  model: string;
  verification: unknown;
  parentId: number | null;
  jobId: number | null;
  createdAt: Date;
  createdBy: { email: string } | null;
};

/** A stored response as the review screen and the tree show it, re-checked against the node's constraints. */
export function toResponseView(r: SelectedResponse, constraints: ReturnType<typeof parseConstraints>): ResponseView {
  return {
    id: r.id,
    text: r.text,
    role: r.role,
    provider: r.provider,
    model: r.model,
    origin: responseOrigin(r.role, r.provider),
    parentId: r.parentId,
    createdBy: r.createdBy?.email ?? null,
    jobId: r.jobId,
    createdAt: r.createdAt.toISOString(),
    verdicts: checkConstraints(constraints, r.text, parseVerification(r.verification)),
  };
}

/**
 * The pair as the review screen shows it. `viewerId`: the reviewer it is sent to — on a blind
 * dataset they see no other reviewer's votes, comments or names before voting on the pair, and in
 * the A/B mode the orientation is hidden too (redactForViewer). Researchers' tools omit it.
 */
export async function loadPairView(
  db: Db,
  pairId: number,
  options: { datasetId?: number; viewerId?: number } = {},
): Promise<PairView> {
  const { blind, ...view } = await loadFullPairView(db, pairId, options);
  return options.viewerId === undefined ? view : redactForViewer(view, options.viewerId, blind);
}

async function loadFullPairView(
  db: Db,
  pairId: number,
  options: { datasetId?: number },
): Promise<PairView & { blind: boolean }> {
  const pair = await db.pair.findUnique({
    where: { id: pairId },
    include: {
      dataset: { select: { settings: true } },
      node: {
        select: {
          id: true,
          seedId: true,
          parentId: true,
          depth: true,
          instruction: true,
          operation: true,
          constraints: true,
        },
      },
      chosen: { select: { ...responseSelect, nodeId: true } },
      rejected: { select: { ...responseSelect, nodeId: true } },
      reviews: { orderBy: { id: "asc" }, include: { user: { select: { email: true } } } },
      claimedBy: { select: { email: true } },
    },
  });
  if (!pair || (options.datasetId !== undefined && pair.datasetId !== options.datasetId)) {
    throw new DomainError(`Pair ${pairId} does not exist in this dataset`, "not_found");
  }
  const constraints = parseConstraints(pair.node.constraints);
  // THE verdict record as stored (computed here only for a pair the backfill has not reached).
  const record: PairVerdicts =
    parsePairVerdicts(pair.verdicts) ??
    verdictsOf({
      ...pair,
      node: {
        constraints: pair.node.constraints,
        parent: pair.node.parentId
          ? await db.node.findUnique({ where: { id: pair.node.parentId }, select: { constraints: true } })
          : null,
      },
    });
  const constraintViews = toConstraintViews(
    constraints,
    record.constraints.map((c) => c.isNew),
  );

  // The chain seed → … → this node, walking up the parents (trees are a few levels deep).
  const chain: (Omit<ChainStepView, "constraints"> & { stored: ReturnType<typeof parseConstraints> })[] = [];
  let current: {
    id: number;
    parentId: number | null;
    depth: number;
    instruction: string;
    operation: string | null;
    constraints: unknown;
  } | null = pair.node;
  for (let guard = 0; current && guard < 64; guard += 1) {
    chain.push({
      nodeId: current.id,
      depth: current.depth,
      instruction: current.instruction,
      operation: current.operation,
      stored: parseConstraints(current.constraints),
    });
    if (current.parentId === null) break;
    current = await db.node.findUnique({
      where: { id: current.parentId },
      select: { id: true, parentId: true, depth: true, instruction: true, operation: true, constraints: true },
    });
  }
  chain.reverse();
  // Each step's chips say what that step added (the one rule); the pair's own node reads the record.
  const steps: ChainStepView[] = chain.map(({ stored, ...step }, i) => ({
    ...step,
    constraints:
      step.nodeId === pair.nodeId
        ? constraintViews
        : toConstraintViews(stored, newConstraintFlags("ecd", stored, i > 0 ? chain[i - 1]!.stored : null)),
  }));

  // Why a free-form verdict is unknown: waiting for the judge, or no judge at all.
  const hasJudge = (await judgeModelOf(db, pair.jobId)) !== null;
  const response = (r: SelectedResponse, side: "chosen" | "rejected"): ResponseView => ({
    ...toResponseView(r, constraints),
    verdicts: recordVerdicts(record, side, hasJudge),
  });
  const prompt = pairPrompt(pair.metadata, pair.node.instruction);

  const settings = datasetSettingsSchema.safeParse(pair.dataset.settings ?? {});
  const claimActive = pair.claimedById !== null && pair.claimedUntil !== null && pair.claimedUntil > new Date();
  return {
    id: pair.id,
    datasetId: pair.datasetId,
    seedId: pair.node.seedId,
    nodeId: pair.nodeId,
    version: pair.version,
    status: pair.status as PairStatus,
    edited: pair.edited,
    swapped: pair.swapped,
    round: pair.round,
    override: pair.override,
    verdicts: record,
    lengthRatio: record.lengthRatio,
    missingFromPrompt: prompt === pair.node.instruction ? [] : constraintsMissingFromPrompt(prompt, constraints),
    method: pair.method,
    depth: pair.depth,
    reviewCount: pair.reviewCount,
    reviewsPerPair: settings.success ? settings.data.reviewsPerPair : 1,
    hardNegative: pair.hardNegative,
    jobId: pair.jobId,
    createdAt: pair.createdAt.toISOString(),
    updatedAt: pair.updatedAt.toISOString(),
    prompt,
    originalPrompt: pair.node.instruction,
    constraints: constraintViews,
    chain: steps,
    chosen: response(pair.chosen, "chosen"),
    rejected: response(pair.rejected, "rejected"),
    reviews: pair.reviews.map((r) => ({
      id: r.id,
      user: r.user.email,
      userId: r.userId,
      decision: r.decision as Decision,
      kind: r.kind,
      round: r.round,
      override: r.override,
      migrated: r.migrated,
      reason: r.reason,
      reasonText: r.reasonText,
      pairVersion: r.pairVersion,
      decidedAt: r.decidedAt.toISOString(),
      durationMs: r.durationMs,
      edited: { prompt: r.editedPrompt !== null, chosen: r.editedChosen !== null, rejected: r.editedRejected !== null },
    })),
    claim: claimActive
      ? { userId: pair.claimedById!, user: pair.claimedBy?.email ?? "someone", until: pair.claimedUntil!.toISOString() }
      : null,
    reviewMode: settings.success ? settings.data.mode : "labelled",
    blind: settings.success ? settings.data.blind : false,
    ab: null,
  };
}

const HIDDEN_RESPONSE: ResponseView = {
  id: 0,
  text: "",
  role: "",
  provider: "",
  model: "",
  origin: "llm",
  parentId: null,
  createdBy: null,
  jobId: null,
  createdAt: "",
  verdicts: [],
};

/**
 * What a reviewer may see before voting (DESIGN.md "Blind and A/B"). Blind: only their own reviews
 * of the current round, and no name on another reviewer's claim. A/B: also nothing that tells the
 * generated orientation — labels, provenance, per-side verdict badges, response ids, parent links,
 * creation times, the length ratio; the constraints once, for the prompt; the texts as A and B
 * in the reviewer's seeded order.
 */
export function redactForViewer(view: PairView, viewerId: number, blind: boolean): PairView {
  const voted = view.reviews.some((r) => r.userId === viewerId && r.kind === "vote" && r.round === view.round);
  if (voted || (!blind && view.reviewMode !== "ab")) return view;
  const own = view.reviews.filter((r) => r.userId === viewerId && r.round === view.round);
  const claim = view.claim && view.claim.userId !== viewerId ? { ...view.claim, user: "another reviewer" } : view.claim;
  if (view.reviewMode !== "ab") return { ...view, reviews: own, claim };
  const left = chosenOnLeft(viewerId, view.id) ? view.chosen : view.rejected;
  const right = left === view.chosen ? view.rejected : view.chosen;
  return {
    id: view.id,
    datasetId: view.datasetId,
    seedId: view.seedId,
    nodeId: view.nodeId,
    version: view.version,
    status: view.status,
    edited: false,
    swapped: false,
    round: view.round,
    override: false,
    verdicts: HIDDEN_VERDICTS,
    lengthRatio: null,
    missingFromPrompt: view.missingFromPrompt,
    method: view.method,
    depth: view.depth,
    reviewCount: 0,
    reviewsPerPair: view.reviewsPerPair,
    hardNegative: null,
    jobId: null,
    createdAt: "",
    updatedAt: "",
    prompt: view.prompt,
    originalPrompt: view.prompt,
    constraints: view.constraints,
    chain: [],
    chosen: HIDDEN_RESPONSE,
    rejected: HIDDEN_RESPONSE,
    reviews: own.map((r) => ({ ...r, decidedAt: "" })),
    claim,
    reviewMode: "ab",
    ab: { a: left.text, b: right.text },
  };
}

const HIDDEN_VERDICTS: PairVerdicts = {
  constraints: [],
  chosen: "unknown",
  rejected: "unknown",
  rejectedFailsNew: false,
  hardNegative: null,
  hasUnknown: false,
  chosenFailsCode: false,
  lengthRatio: null,
  newConstraintIds: [],
};

/** One side of the stored record as the badges show it. */
function recordVerdicts(record: PairVerdicts, side: "chosen" | "rejected", hasJudge: boolean): Verdict[] {
  return record.constraints.map((c) => {
    const outcome = c[side];
    const unknownWhy =
      c.id !== null ? "Not known yet (not judged)" : hasJudge ? REJUDGE_PENDING_REASON : NO_JUDGE_REASON;
    return {
      index: c.index,
      passed: outcome === "unknown" ? null : outcome === "pass",
      by: side === "chosen" ? c.chosenBy : c.rejectedBy,
      reason: outcome === "unknown" ? unknownWhy : (side === "chosen" ? c.chosenReason : c.rejectedReason) || undefined,
    };
  });
}
