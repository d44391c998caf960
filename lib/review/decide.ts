import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { datasetSettingsSchema } from "../datasets/index.ts";
import { DomainError } from "../errors.ts";
import { addToPairCount } from "./pairs.ts";
import { deriveStatus } from "./status.ts";
import {
  decisionInputSchema,
  editInputSchema,
  parseConstraints,
  type Decision,
  type DecisionInput,
  type EditInput,
  type PairStatus,
} from "./types.ts";
import { codeVerification } from "./verdicts.ts";

/**
 * Decisions: the one write path for a pair's review state. Each decision is one transaction:
 * an append-only Review row, plus ONE guarded statement on the pair —
 * `UPDATE "Pair" SET status = <derived>, version = version + 1, … WHERE id = ? AND version = ?` —
 * whose row count tells whether the reviewer's version was still current. A stale write changes
 * nothing and throws StalePairError (with the current state); nothing is ever overwritten.
 * Edits write new Response rows (role "human", parentId = the response they replace) and point
 * the pair at them; the originals stay. PairCount moves in the same transaction.
 */

export type Reviewer = { id: number };

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

/** The prompt a pair is reviewed and exported with: a reviewer's edit, else the node's instruction. */
export function pairPrompt(metadata: unknown, instruction: string): string {
  const edited =
    metadata && typeof metadata === "object" ? (metadata as { editedPrompt?: unknown }).editedPrompt : undefined;
  return typeof edited === "string" && edited.length > 0 ? edited : instruction;
}

async function currentState(db: Db, pairId: number): Promise<PairState> {
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
    lastChange: last ? { user: last.user.email, decision: last.decision, at: last.decidedAt.toISOString() } : null,
  };
}

async function loadForDecision(db: Db, pairId: number, datasetId?: number) {
  const pair = await db.pair.findUnique({
    where: { id: pairId },
    select: {
      id: true,
      datasetId: true,
      version: true,
      status: true,
      chosenId: true,
      rejectedId: true,
      metadata: true,
      claimedById: true,
      dataset: { select: { settings: true } },
      node: { select: { instruction: true, constraints: true } },
      chosen: { select: { id: true, text: true, nodeId: true } },
      rejected: { select: { id: true, text: true, nodeId: true } },
      reviews: { orderBy: { id: "asc" }, select: { userId: true, decision: true, reason: true } },
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

function reviewsPerPairOf(settings: unknown): number {
  const parsed = datasetSettingsSchema.safeParse(settings ?? {});
  return parsed.success ? parsed.data.reviewsPerPair : 1;
}

type Write = {
  decision: Decision;
  reason?: string | null;
  reasonText?: string | null;
  durationMs: number;
  editedPrompt?: string | null;
  editedChosen?: string | null;
  editedRejected?: string | null;
};

async function write(
  db: Db,
  reviewer: Reviewer,
  pair: Loaded,
  seenVersion: number,
  w: Write,
): Promise<DecisionOutcome> {
  if (pair.version !== seenVersion) throw new StalePairError(pair.id, seenVersion, await currentState(db, pair.id));
  const previousStatus = pair.status as PairStatus;
  const derived = deriveStatus(
    [...pair.reviews, { userId: reviewer.id, decision: w.decision, reason: w.reason ?? null }],
    reviewsPerPairOf(pair.dataset.settings),
  );
  const now = new Date();
  const constraints = parseConstraints(pair.node.constraints);

  try {
    return await db.$transaction(
      async (tx) => {
        const data: Prisma.PairUncheckedUpdateManyInput = {
          version: seenVersion + 1,
          status: derived.status,
          reviewCount: derived.voters,
        };
        if (w.decision === "swap") {
          data.chosenId = pair.rejectedId;
          data.rejectedId = pair.chosenId;
        }
        if (w.decision === "edit") {
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
        // A decided pair leaves the queue; a pair still pending keeps the lease of whoever holds it,
        // except the deciding reviewer's own (cleared below).
        if (derived.status !== "pending") {
          data.claimedById = null;
          data.claimedUntil = null;
        }
        // THE guarded write: derived status + version check in one statement.
        const guarded = await tx.pair.updateMany({ where: { id: pair.id, version: seenVersion }, data });
        if (guarded.count !== 1) throw new StaleSignal();
        if (derived.status === "pending" && w.decision !== "swap") {
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
            editedPrompt: w.editedPrompt ?? null,
            editedChosen: w.editedChosen ?? null,
            editedRejected: w.editedRejected ?? null,
            reason: w.reason ?? null,
            reasonText: w.reasonText || null,
            pairVersion: seenVersion,
            shownAt: new Date(now.getTime() - w.durationMs),
            decidedAt: now,
            durationMs: w.durationMs,
          },
          select: { id: true },
        });
        if (derived.status !== previousStatus) {
          await addToPairCount(tx, pair.datasetId, previousStatus, -1);
          await addToPairCount(tx, pair.datasetId, derived.status, 1);
        }
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
    if (error instanceof StaleSignal) throw new StalePairError(pair.id, seenVersion, await currentState(db, pair.id));
    throw error;
  }
}

class StaleSignal extends Error {}

/** accept / reject (with an optional reason) / skip / swap chosen and rejected. */
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
    reason: data.decision === "reject" ? (data.reason ?? null) : null,
    reasonText: data.reasonText ?? null,
    durationMs: data.durationMs,
  });
}

/**
 * An edit of the prompt, the chosen and/or the rejected response: saved as new versions (the
 * originals are kept) and recorded as an "edit" decision, which accepts the edited pair.
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
  return write(db, reviewer, pair, data.version, {
    decision: "edit",
    reasonText: data.reasonText ?? null,
    durationMs: data.durationMs,
    editedPrompt: prompt,
    editedChosen: chosen,
    editedRejected: rejected,
  });
}
