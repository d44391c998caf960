import { recordAudit } from "../audit.ts";
import { checkEditedPrompt } from "../decontam/index.ts";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { currentGuidelineVersion } from "../datasets/guidelines.ts";
import { datasetSettingsSchema } from "../datasets/index.ts";
import { isFinal, type PairStatus, type ReviewKind } from "../domain.ts";
import { DomainError } from "../errors.ts";
import { addToPairCount } from "./pairs.ts";
import { countVoters } from "./queue-counts.ts";
import { deriveStatus, inTimeOrder, type StatusRules } from "./status.ts";
import {
  decisionInputSchema,
  editInputSchema,
  parseConstraints,
  reopenInputSchema,
  type Decision,
  type DecisionInput,
  type EditInput,
  type ReopenInput,
} from "./types.ts";
import { computePairVerdicts, type PairVerdicts, parsePairVerdicts } from "./verdict-record.ts";
import { isOverride, judgedEntries, refreshVerdicts, verdictsOf } from "./verdict-store.ts";
import { pairPrompt } from "./prompt.ts";
import { enqueueRejudge } from "./rejudge.ts";
import { codeVerification } from "./verdicts.ts";
import { shownOrder, voteOutcome } from "./ab.ts";
import { abVoteInputSchema, adjudicationInputSchema, type AbVoteInput, type AdjudicationInput } from "./types.ts";

export { pairPrompt };

/**
 * The one write path for a pair's review state (DESIGN.md "The life of a pair", labelled mode).
 * Each act is one transaction: an append-only Review row (vote, decision, change or skip) plus ONE
 * guarded statement on the pair — `UPDATE … WHERE id = ? AND version = ?` — whose row count tells
 * whether the actor's version was still current. A stale write changes nothing (StalePairError).
 *
 * - Votes (accept / reject) and decisions (bulk, reopen) are the only things that change the status.
 * - An edit or a swap is not a vote: a new version, and a new round when the pair already has votes
 *   in this one. Allowed to the reviewer holding the pair's lease, and to researchers and admins,
 *   while the pair is not final.
 * - On a final pair everything is refused (FinalPairError, naming when and by whom), except that a
 *   voter may replace their own last vote while nobody else has acted on the pair since.
 * - Accepting a pair whose chosen response fails a code-checked constraint needs `override: true`
 *   (the reviewer confirmed it); the review records it.
 */

export type Reviewer = { id: number; role?: string };

export type DecisionOutcome = {
  pairId: number;
  decision: Decision;
  version: number;
  status: PairStatus;
  previousStatus: PairStatus;
  reviewId: number;
};

export type PairState = {
  version: number;
  status: PairStatus;
  lastChange: { user: string; decision: string; at: string } | null;
};

/** The reviewer saw an older version of the pair; nothing was saved. */
export class StalePairError extends DomainError {
  constructor(
    readonly pairId: number,
    readonly seenVersion: number,
    readonly current: PairState,
  ) {
    // A blind dataset names no other reviewer's act (currentState leaves lastChange out).
    const who = current.lastChange
      ? ` (${current.lastChange.decision} by ${current.lastChange.user} at ${current.lastChange.at.slice(11, 19)} UTC)`
      : "";
    super(
      `Not saved: pair #${pairId} changed while you had it open — you saw version ${seenVersion}, it is now version ${current.version}, ${current.status}${who}. Look at the current state and decide again.`,
      "conflict",
    );
    this.name = "StalePairError";
  }
}

/** The pair is final (or in adjudication): the act is refused, naming when and by whom it was settled. */
export class FinalPairError extends DomainError {
  constructor(pairId: number, status: PairStatus, settledBy: { user: string; at: Date } | null, act: string) {
    const when = settledBy
      ? ` on ${settledBy.at.toISOString().slice(0, 16).replace("T", " ")} UTC by ${settledBy.user}`
      : "";
    super(
      status === "adjudication"
        ? `Not saved: pair #${pairId} is in adjudication${when}; a researcher decides it. You cannot ${act} it now.`
        : `Not saved: pair #${pairId} is final — ${status}${when}. You cannot ${act} it; a researcher or admin can reopen it with a reason.`,
      "conflict",
    );
    this.name = "FinalPairError";
  }
}

/**
 * The pair's current state for a refusal message. `blindFor`: the asker has not voted on the pair
 * of a blind dataset yet, so the message names no other reviewer's vote, name or time.
 */
async function currentState(db: Db, pairId: number, blindFor?: number): Promise<PairState> {
  const pair = await db.pair.findUnique({
    where: { id: pairId },
    select: {
      version: true,
      status: true,
      reviews: {
        orderBy: { id: "desc" },
        take: 1,
        select: { decision: true, decidedAt: true, user: { select: { email: true } } },
      },
    },
  });
  if (!pair) throw new DomainError(`Pair ${pairId} no longer exists`, "not_found");
  const last = pair.reviews[0];
  return {
    version: pair.version,
    status: pair.status as PairStatus,
    lastChange:
      last && blindFor === undefined
        ? { user: last.user.email, decision: last.decision, at: last.decidedAt.toISOString() }
        : null,
  };
}

const responseSelect = { id: true, text: true, nodeId: true, role: true, verification: true } as const;

async function loadForDecision(db: Db, pairId: number, datasetId?: number) {
  const pair = await db.pair.findUnique({
    where: { id: pairId },
    select: {
      id: true,
      datasetId: true,
      nodeId: true,
      method: true,
      version: true,
      status: true,
      round: true,
      edited: true,
      swapped: true,
      verdicts: true,
      chosenId: true,
      rejectedId: true,
      metadata: true,
      claimedById: true,
      claimedUntil: true,
      dataset: { select: { settings: true } },
      node: { select: { instruction: true, constraints: true, parent: { select: { constraints: true } } } },
      chosen: { select: responseSelect },
      rejected: { select: responseSelect },
      reviews: {
        orderBy: { id: "asc" },
        select: {
          userId: true,
          decision: true,
          kind: true,
          round: true,
          decidedAt: true,
          user: { select: { email: true } },
        },
      },
    },
  });
  if (!pair || (datasetId !== undefined && pair.datasetId !== datasetId)) {
    throw new DomainError(
      `Pair ${pairId} does not exist${datasetId !== undefined ? " in this dataset" : ""}`,
      "not_found",
    );
  }
  return pair;
}

type Loaded = Awaited<ReturnType<typeof loadForDecision>>;

export function statusRulesOf(settings: unknown): StatusRules {
  const parsed = datasetSettingsSchema.safeParse(settings ?? {});
  return parsed.success ? parsed.data : { reviewsPerPair: 1, adjudication: false };
}

/** The dataset's review mode and blindness (defaults when the settings do not parse). */
export function reviewModeOf(settings: unknown): { mode: "labelled" | "ab"; blind: boolean } {
  const parsed = datasetSettingsSchema.safeParse(settings ?? {});
  return parsed.success ? { mode: parsed.data.mode, blind: parsed.data.blind } : { mode: "labelled", blind: false };
}

/** The asker has not voted in the pair's current round of a blind dataset: refusals name nobody. */
function blindFor(pair: Loaded, userId: number): number | undefined {
  if (!reviewModeOf(pair.dataset.settings).blind) return undefined;
  const voted = pair.reviews.some((r) => r.userId === userId && r.kind === "vote" && r.round === pair.round);
  return voted ? undefined : userId;
}

/**
 * Who settled a final pair and when: the last vote or decision of the current round; nobody for
 * an asker who has not voted on a pair of a blind dataset.
 */
function settledBy(pair: Loaded, askerId: number): { user: string; at: Date } | null {
  if (blindFor(pair, askerId) !== undefined) return null;
  const acts = inTimeOrder(pair.reviews).filter(
    (r) => r.round === pair.round && (r.kind === "vote" || r.kind === "decision"),
  );
  const last = acts[acts.length - 1];
  return last ? { user: last.user.email, at: last.decidedAt } : null;
}

/** The actor's own last vote is the last act on the pair (skips aside): they may replace it. */
function mayReplaceOwnVote(pair: Loaded, userId: number): boolean {
  const acts = inTimeOrder(pair.reviews).filter((r) => r.kind !== "skip");
  const last = acts[acts.length - 1];
  return !!last && last.userId === userId && last.kind === "vote" && last.round === pair.round;
}

const MAY_CHANGE_ANY_PAIR = new Set(["researcher", "admin"]);

function holdsLease(pair: Loaded, reviewer: Reviewer, now: Date): boolean {
  return pair.claimedById === reviewer.id && pair.claimedUntil !== null && pair.claimedUntil > now;
}

/** The pair's stored record (computed here only for a pair the backfill has not reached). */
function storedVerdicts(pair: Loaded): PairVerdicts {
  return parsePairVerdicts(pair.verdicts) ?? verdictsOf(pair);
}

/** Refuses an accept whose chosen response fails a code-checked constraint, unless the reviewer confirmed it. */
function requireOverrideConfirmation(record: PairVerdicts, constraints: unknown, override: boolean) {
  if (!record.chosenFailsCode || override) return;
  const list = parseConstraints(constraints);
  const failing = record.constraints
    .filter((c) => c.chosen === "fail" && c.chosenBy === "code")
    .map((c) => list[c.index]?.text || c.id || `#${c.index + 1}`);
  throw new DomainError(
    `The chosen response fails ${failing.join("; ")}. Confirm to accept it anyway (recorded as an override).`,
    "invalid",
    "override",
  );
}

type Write = {
  decision: Decision;
  kind: ReviewKind;
  /** A/B votes: the choice, its strength and the order shown. */
  ab?: { choice: string; strength: string; leftResponseId: number; rightResponseId: number };
  reason?: string | null;
  reasonText?: string | null;
  durationMs: number;
  override?: boolean;
  editedPrompt?: string | null;
  editedChosen?: string | null;
  editedRejected?: string | null;
};

function actName(decision: Decision): string {
  return decision === "swap" ? "swap" : decision === "edit" ? "edit" : decision === "skip" ? "skip" : "vote on";
}

/** Checks the act against the state machine; throws FinalPairError / DomainError when refused. */
function checkAllowed(pair: Loaded, reviewer: Reviewer, w: Write, now: Date) {
  const status = pair.status as PairStatus;
  if (w.kind === "skip") return;
  if (w.kind === "decision") return; // adjudicate() checks the pair is in adjudication
  const { mode } = reviewModeOf(pair.dataset.settings);
  if (w.kind === "change" && mode === "ab")
    throw new DomainError(
      `Not saved: pair #${pair.id} is reviewed in the A/B mode, where edits and swaps are off; vote A, B, tie or both bad.`,
      "invalid",
      "decision",
    );
  if (w.kind === "vote" && mode === "ab" && !w.ab)
    throw new DomainError(
      `Not saved: pair #${pair.id} is reviewed in the A/B mode; vote A better, B better, tie or both bad.`,
      "invalid",
      "decision",
    );
  if (w.kind === "vote" && mode === "labelled" && w.ab)
    throw new DomainError(
      `Not saved: pair #${pair.id} is reviewed in the labelled mode; accept or reject it.`,
      "invalid",
      "choice",
    );
  if (isFinal(status) || status === "adjudication") {
    // A final flip swapped the orientation the votes were mapped against: it cannot be re-derived.
    const flipped = deriveStatus(pair.reviews, pair.round, statusRulesOf(pair.dataset.settings)).flip;
    if (w.kind === "vote" && status !== "adjudication" && !flipped && mayReplaceOwnVote(pair, reviewer.id)) return;
    throw new FinalPairError(pair.id, status, settledBy(pair, reviewer.id), actName(w.decision));
  }
  if (w.kind === "change" && !holdsLease(pair, reviewer, now) && !MAY_CHANGE_ANY_PAIR.has(reviewer.role ?? "")) {
    throw new DomainError(
      `Not saved: to ${w.decision} pair #${pair.id} you must hold it — open it from the review queue (it is ${
        pair.claimedById && pair.claimedUntil && pair.claimedUntil > now
          ? "held by another reviewer"
          : "not held by you"
      }).`,
      "forbidden",
    );
  }
}

async function write(
  db: Db,
  reviewer: Reviewer,
  pair: Loaded,
  seenVersion: number,
  w: Write,
): Promise<DecisionOutcome> {
  if (pair.version !== seenVersion)
    throw new StalePairError(pair.id, seenVersion, await currentState(db, pair.id, blindFor(pair, reviewer.id)));
  const now = new Date();
  checkAllowed(pair, reviewer, w, now);
  // A blind A/B reviewer sees no verdict badges: their accept is not an override to confirm.
  if (w.kind === "vote" && w.decision === "accept" && !w.ab)
    requireOverrideConfirmation(storedVerdicts(pair), pair.node.constraints, !!w.override);

  const previousStatus = pair.status as PairStatus;
  const hasVotesThisRound = pair.reviews.some((r) => r.round === pair.round && r.kind === "vote");
  const round = w.kind === "change" && hasVotesThisRound ? pair.round + 1 : pair.round;
  const derived = deriveStatus(
    [...pair.reviews, { userId: reviewer.id, decision: w.decision, kind: w.kind, round, decidedAt: now }],
    round,
    statusRulesOf(pair.dataset.settings),
  );
  const constraints = parseConstraints(pair.node.constraints);

  let outcome: DecisionOutcome;
  try {
    outcome = await db.$transaction(
      async (tx) => {
        const data: Prisma.PairUncheckedUpdateManyInput = {
          version: seenVersion + 1,
          status: derived.status,
          reviewCount: derived.voters,
          round,
        };
        // A swap, or a pair settling as a flip (the shown rejected won), swaps the orientation.
        if (w.decision === "swap" || (derived.flip && derived.status !== previousStatus)) {
          data.chosenId = pair.rejectedId;
          data.rejectedId = pair.chosenId;
          data.swapped = !pair.swapped;
        }
        if (w.decision === "edit") {
          data.edited = true;
          const human = async (text: string, original: { id: number; nodeId: number }) =>
            (
              await tx.response.create({
                data: {
                  nodeId: original.nodeId,
                  text,
                  role: "human",
                  provider: "human",
                  model: "",
                  verification: codeVerification(constraints, text) as Prisma.InputJsonValue,
                  parentId: original.id,
                  createdById: reviewer.id,
                },
                select: { id: true },
              })
            ).id;
          if (w.editedChosen != null) data.chosenId = await human(w.editedChosen, pair.chosen);
          if (w.editedRejected != null) data.rejectedId = await human(w.editedRejected, pair.rejected);
          if (w.editedPrompt != null) {
            const metadata =
              pair.metadata && typeof pair.metadata === "object" && !Array.isArray(pair.metadata) ? pair.metadata : {};
            data.metadata = {
              ...(metadata as Record<string, unknown>),
              editedPrompt: w.editedPrompt,
            } as Prisma.InputJsonValue;
          }
        }
        // A settled pair leaves the queue; a pending one keeps the lease of whoever holds it, except
        // after the actor's own vote or skip (cleared below). Edits and swaps keep the holder's lease.
        if (derived.status !== "pending") {
          data.claimedById = null;
          data.claimedUntil = null;
        }
        // THE guarded write: derived status + version check in one statement.
        const guarded = await tx.pair.updateMany({ where: { id: pair.id, version: seenVersion }, data });
        if (guarded.count !== 1) throw new StaleSignal();
        // A prompt a person edited is checked against the benchmark sets on save.
        if (w.decision === "edit" && w.editedPrompt != null)
          await checkEditedPrompt(tx, pair.datasetId, pair.id, w.editedPrompt);
        if (derived.status === "pending" && w.kind !== "change") {
          await tx.pair.updateMany({
            where: { id: pair.id, claimedById: reviewer.id },
            data: { claimedById: null, claimedUntil: null },
          });
        }
        const review = await tx.review.create({
          data: {
            pairId: pair.id,
            userId: reviewer.id,
            decision: w.decision,
            kind: w.kind,
            round,
            override: w.kind === "vote" && w.decision === "accept" && !!w.override,
            editedPrompt: w.editedPrompt ?? null,
            editedChosen: w.editedChosen ?? null,
            editedRejected: w.editedRejected ?? null,
            reason: w.reason ?? null,
            reasonText: w.reasonText || null,
            pairVersion: seenVersion,
            guidelineVersion: w.kind === "vote" ? await currentGuidelineVersion(tx, pair.datasetId) : null,
            shownAt: new Date(now.getTime() - w.durationMs),
            decidedAt: now,
            durationMs: w.durationMs,
            ...(w.ab ?? {}),
          },
          select: { id: true },
        });
        if (w.kind === "decision")
          await recordAudit(tx, {
            userId: reviewer.id,
            action: "pair.adjudicate",
            entityType: "pair",
            entityId: pair.id,
            data: {
              decision: w.decision,
              from: previousStatus,
              to: derived.status,
              round,
              reason: w.reasonText ?? null,
            },
          });
        // The verdict record follows the content (edit / swap / flip); the override flag follows the status.
        if (w.kind === "change" || data.chosenId !== undefined) await refreshVerdicts(tx, [pair.id]);
        else if (derived.status !== previousStatus)
          await tx.pair.update({
            where: { id: pair.id },
            data: { override: isOverride(derived.status, storedVerdicts(pair)) },
          });
        if (derived.status !== previousStatus) {
          await addToPairCount(tx, pair.datasetId, previousStatus, -1);
          await addToPairCount(tx, pair.datasetId, derived.status, 1);
        }
        await countVoters(
          tx,
          pair.datasetId,
          { acts: pair.reviews, status: previousStatus, round: pair.round },
          {
            acts: [...pair.reviews, { userId: reviewer.id, kind: w.kind, round }],
            status: derived.status,
            round,
          },
          { userId: reviewer.id, voted: w.kind === "vote" },
          now,
        );
        return {
          pairId: pair.id,
          decision: w.decision,
          version: seenVersion + 1,
          status: derived.status,
          previousStatus,
          reviewId: review.id,
        };
      },
      { maxWait: 15_000, timeout: 30_000 },
    );
  } catch (error) {
    if (error instanceof StaleSignal)
      throw new StalePairError(pair.id, seenVersion, await currentState(db, pair.id, blindFor(pair, reviewer.id)));
    throw error;
  }
  // After an edit or swap: free-form verdicts left unknown are re-checked by a background judge
  // call (never on the request path). The change is committed: a failure to enqueue is logged.
  if (w.kind === "change")
    await enqueueRejudge(db, pair.id, reviewer.id).catch((error: unknown) =>
      console.error(`[ecd] could not start the re-check of pair ${pair.id}:`, error),
    );
  return outcome;
}

class StaleSignal extends Error {}

const KIND_OF: Record<"accept" | "reject" | "skip" | "swap", ReviewKind> = {
  accept: "vote",
  reject: "vote",
  skip: "skip",
  swap: "change",
};

/** A vote (accept / reject with an optional reason), a skip, or a swap of chosen and rejected. */
export async function decide(
  db: Db,
  reviewer: Reviewer,
  input: DecisionInput,
  options: { datasetId?: number } = {},
): Promise<DecisionOutcome> {
  const data = decisionInputSchema.parse(input);
  const pair = await loadForDecision(db, data.pairId, options.datasetId);
  return write(db, reviewer, pair, data.version, {
    decision: data.decision,
    kind: KIND_OF[data.decision],
    reason: data.decision === "reject" ? (data.reason ?? null) : null,
    reasonText: data.reasonText ?? null,
    durationMs: data.durationMs,
    override: data.decision === "accept" && !!data.override,
  });
}

/**
 * An A/B vote: A better / B better / tie / both bad, mapped against the order this reviewer was
 * shown (recomputed from the seeded hash, recorded with the vote) to accept / flip / reject.
 */
export async function voteAB(
  db: Db,
  reviewer: Reviewer,
  input: AbVoteInput,
  options: { datasetId?: number } = {},
): Promise<DecisionOutcome> {
  const data = abVoteInputSchema.parse(input);
  const pair = await loadForDecision(db, data.pairId, options.datasetId);
  const order = shownOrder(reviewer.id, pair);
  return write(db, reviewer, pair, data.version, {
    decision: voteOutcome(data.choice, order.leftResponseId, pair.chosenId),
    kind: "vote",
    reasonText: data.reasonText ?? null,
    durationMs: data.durationMs,
    ab: { choice: data.choice, strength: data.strength, ...order },
  });
}

/**
 * A researcher's decision on a pair in adjudication: accept, flip (the rejected response is the
 * better one: the orientation is swapped) or reject. Final, and audited.
 */
export async function adjudicate(
  db: Db,
  actor: Reviewer,
  input: AdjudicationInput,
  options: { datasetId?: number } = {},
): Promise<DecisionOutcome> {
  const data = adjudicationInputSchema.parse(input);
  if (!MAY_CHANGE_ANY_PAIR.has(actor.role ?? ""))
    throw new DomainError("Only a researcher or an admin can adjudicate a pair", "forbidden");
  const pair = await loadForDecision(db, data.pairId, options.datasetId);
  if (pair.version !== data.version) throw new StalePairError(pair.id, data.version, await currentState(db, pair.id));
  if (pair.status !== "adjudication")
    throw new DomainError(
      `Pair #${pair.id} is ${pair.status}, not in adjudication: there is nothing to adjudicate`,
      "conflict",
    );
  return write(db, actor, pair, data.version, {
    decision: data.decision,
    kind: "decision",
    reasonText: data.reason ?? null,
    durationMs: data.durationMs,
  });
}

/**
 * An edit of the prompt, the chosen and/or the rejected response, saved as new versions (the
 * originals are kept). An edit is not a vote: the pair keeps waiting for one ("Save edit"), unless
 * `accept` asks for an accept vote on the edited pair right after ("Save and accept"), which needs
 * `override` when the edited chosen response fails a code-checked constraint — checked before
 * anything is written.
 */
export async function editPair(
  db: Db,
  reviewer: Reviewer,
  input: EditInput,
  options: { datasetId?: number } = {},
): Promise<DecisionOutcome> {
  const data = editInputSchema.parse(input);
  const pair = await loadForDecision(db, data.pairId, options.datasetId);
  const currentPrompt = pairPrompt(pair.metadata, pair.node.instruction);
  const prompt = data.prompt != null && data.prompt !== currentPrompt ? data.prompt : null;
  const chosen = data.chosen != null && data.chosen !== pair.chosen.text ? data.chosen : null;
  const rejected = data.rejected != null && data.rejected !== pair.rejected.text ? data.rejected : null;
  if (pair.version === data.version && prompt === null && chosen === null && rejected === null) {
    throw new DomainError(
      "Nothing was changed: edit the prompt, the chosen or the rejected response, or accept the pair as it is",
      "invalid",
      "chosen",
    );
  }
  if (data.accept && pair.version === data.version) {
    checkAllowed(pair, reviewer, { decision: "edit", kind: "change", durationMs: 0 }, new Date());
    const constraints = parseConstraints(pair.node.constraints);
    const edited = computePairVerdicts({
      method: pair.method,
      constraints,
      parentConstraints: pair.node.parent ? parseConstraints(pair.node.parent.constraints) : null,
      chosen: {
        text: chosen ?? pair.chosen.text,
        judged: chosen ? [] : judgedEntries(pair.chosen, pair.nodeId, pair.metadata),
      },
      rejected: { text: rejected ?? pair.rejected.text, judged: [] },
    });
    requireOverrideConfirmation(edited, pair.node.constraints, !!data.override);
  }
  const outcome = await write(db, reviewer, pair, data.version, {
    decision: "edit",
    kind: "change",
    reasonText: data.reasonText ?? null,
    durationMs: data.durationMs,
    editedPrompt: prompt,
    editedChosen: chosen,
    editedRejected: rejected,
  });
  if (!data.accept) return outcome;
  const accepted = await write(db, reviewer, await loadForDecision(db, pair.id), outcome.version, {
    decision: "accept",
    kind: "vote",
    durationMs: 0,
    override: !!data.override,
  });
  return { ...accepted, previousStatus: outcome.previousStatus };
}

/**
 * Reopens a final pair (researchers and admins, with a reason): a new round in which only later
 * votes count. Recorded as a decision review and an audit event.
 */
export async function reopenPair(
  db: Db,
  actor: Reviewer,
  input: ReopenInput,
  options: { datasetId?: number } = {},
): Promise<DecisionOutcome> {
  const data = reopenInputSchema.parse(input);
  if (!MAY_CHANGE_ANY_PAIR.has(actor.role ?? ""))
    throw new DomainError("Only a researcher or an admin can reopen a pair", "forbidden");
  const pair = await loadForDecision(db, data.pairId, options.datasetId);
  if (pair.version !== data.version) throw new StalePairError(pair.id, data.version, await currentState(db, pair.id));
  const previousStatus = pair.status as PairStatus;
  if (!isFinal(previousStatus) && previousStatus !== "adjudication")
    throw new DomainError(`Pair #${pair.id} is ${previousStatus}, not final: there is nothing to reopen`, "conflict");
  const now = new Date();
  const round = pair.round + 1;
  try {
    return await db.$transaction(async (tx) => {
      const guarded = await tx.pair.updateMany({
        where: { id: pair.id, version: data.version },
        data: { version: data.version + 1, status: "pending", reviewCount: 0, round, override: false },
      });
      if (guarded.count !== 1) throw new StaleSignal();
      const review = await tx.review.create({
        data: {
          pairId: pair.id,
          userId: actor.id,
          decision: "reopen",
          kind: "decision",
          round,
          reasonText: data.reason,
          pairVersion: data.version,
          shownAt: now,
          decidedAt: now,
          durationMs: 0,
        },
        select: { id: true },
      });
      await recordAudit(tx, {
        userId: actor.id,
        action: "pair.reopen",
        entityType: "pair",
        entityId: pair.id,
        data: { from: previousStatus, round, reason: data.reason },
      });
      await addToPairCount(tx, pair.datasetId, previousStatus, -1);
      await addToPairCount(tx, pair.datasetId, "pending", 1);
      return {
        pairId: pair.id,
        decision: "reopen" as const,
        version: data.version + 1,
        status: "pending" as const,
        previousStatus,
        reviewId: review.id,
      };
    });
  } catch (error) {
    if (error instanceof StaleSignal) throw new StalePairError(pair.id, data.version, await currentState(db, pair.id));
    throw error;
  }
}
