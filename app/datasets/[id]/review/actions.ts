"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db/client";
import {
  claimNext,
  decide,
  editPair,
  loadPairView,
  releaseClaims,
  reopenPair,
  StalePairError,
  voteAB,
} from "@/lib/review";
import { queueCounts, type QueueCounts } from "@/lib/review/queue-counts";
import { discardDraft, draftInputSchema, loadDraft, saveDraft, type Draft } from "@/lib/review/drafts";
import { addComment, commentInputSchema, listComments, type CommentThread } from "@/lib/review/comments";
import {
  abVoteInputSchema,
  decisionInputSchema,
  editInputSchema,
  reopenInputSchema,
  type PairView,
} from "@/lib/review/types";

/**
 * Review screen actions. None revalidates: the screen holds its own state, and a refresh would
 * re-run the page (and claim again). A stale write comes back as a "conflict" outcome with the
 * pair's current state, so the screen can show both.
 */

const ids = z.array(z.coerce.number().int().positive()).max(500).default([]);
const datasetId = z.coerce.number().int().positive();

export type NextResult = { pair: PairView | null };
export type WriteResult =
  | { outcome: "saved"; pair: PairView; status: string; counts: QueueCounts }
  | { outcome: "conflict"; message: string; current: PairView };

async function nextFor(dataset: number, userId: number, exclude: readonly number[]): Promise<PairView | null> {
  const db = getDb();
  const claimed = await claimNext(db, { datasetId: dataset, userId, excludeIds: exclude });
  return claimed ? loadPairView(db, claimed.id, { datasetId: dataset, viewerId: userId }) : null;
}

export const claimNextAction = defineAction(
  { scope: "pairs:review", dataset: (input) => input.datasetId, input: z.object({ datasetId, exclude: ids }) },
  async (input, { user }): Promise<NextResult> => ({ pair: await nextFor(input.datasetId, user.id, input.exclude) }),
);

export const viewPairAction = defineAction(
  {
    scope: "pairs:review",
    dataset: (input) => input.datasetId,
    input: z.object({ datasetId, pairId: z.coerce.number().int().positive() }),
  },
  async (input, { user }): Promise<PairView> =>
    loadPairView(getDb(), input.pairId, { datasetId: input.datasetId, viewerId: user.id }),
);

async function written(
  run: () => Promise<{ pairId: number; status: string }>,
  pairId: number,
  dataset: number,
  userId: number,
): Promise<WriteResult> {
  const db = getDb();
  try {
    const outcome = await run();
    const [pair, counts] = await Promise.all([
      loadPairView(db, outcome.pairId, { datasetId: dataset, viewerId: userId }),
      queueCounts(db, { datasetId: dataset, userId }),
    ]);
    return { outcome: "saved", status: outcome.status, pair, counts };
  } catch (error) {
    if (error instanceof StalePairError)
      return {
        outcome: "conflict",
        message: error.message,
        current: await loadPairView(db, pairId, { datasetId: dataset, viewerId: userId }),
      };
    throw error;
  }
}

export const decideAction = defineAction(
  { scope: "pairs:review", dataset: (input) => input.datasetId, input: decisionInputSchema.extend({ datasetId }) },
  async (input, { user }): Promise<WriteResult> =>
    written(() => decide(getDb(), user, input, { datasetId: input.datasetId }), input.pairId, input.datasetId, user.id),
);

/** An A/B vote (A better, B better, tie, both bad; slight or clear). */
export const abVoteAction = defineAction(
  { scope: "pairs:review", dataset: (input) => input.datasetId, input: abVoteInputSchema.extend({ datasetId }) },
  async (input, { user }): Promise<WriteResult> =>
    written(() => voteAB(getDb(), user, input, { datasetId: input.datasetId }), input.pairId, input.datasetId, user.id),
);

export const editAction = defineAction(
  // `.and` keeps the edit schema's own refinement (something must be edited).
  { scope: "pairs:review", dataset: (input) => input.datasetId, input: editInputSchema.and(z.object({ datasetId })) },
  async (input, { user }): Promise<WriteResult> =>
    written(
      async () => {
        const outcome = await editPair(getDb(), user, input, { datasetId: input.datasetId });
        // The edit is saved: its draft has done its job.
        await discardDraft(getDb(), user.id, input.pairId);
        return outcome;
      },
      input.pairId,
      input.datasetId,
      user.id,
    ),
);

export const releaseAction = defineAction(
  { scope: "pairs:review", input: z.object({ pairIds: ids }) },
  async (input, { user }) => ({
    released: await releaseClaims(getDb(), user.id, input.pairIds),
  }),
);

/** Reopens a final pair (researchers and admins, with a reason): a new round, audited. */
export const reopenAction = defineAction(
  { scope: "pairs:bulk", dataset: (input) => input.datasetId, input: reopenInputSchema.extend({ datasetId }) },
  async (input, { user }): Promise<WriteResult> =>
    written(
      () => reopenPair(getDb(), user, input, { datasetId: input.datasetId }),
      input.pairId,
      input.datasetId,
      user.id,
    ),
);

const pairRef = z.object({ datasetId, pairId: z.coerce.number().int().positive() });

/** The reviewer's draft of an edit for a pair (null when none); read-only with the reason when stale. */
export const loadDraftAction = defineAction(
  { scope: "pairs:review", dataset: (input) => input.datasetId, input: pairRef },
  async (input, { user }): Promise<Draft | null> => loadDraft(getDb(), user.id, input.datasetId, input.pairId),
);

/** Saves the edit in progress (the screen calls it debounced while the reviewer types). */
export const saveDraftAction = defineAction(
  { scope: "pairs:review", dataset: (input) => input.datasetId, input: draftInputSchema.extend({ datasetId }) },
  async ({ datasetId: dataset, ...draft }, { user }) => saveDraft(getDb(), user.id, dataset, draft),
);

export const discardDraftAction = defineAction(
  { scope: "pairs:review", dataset: (input) => input.datasetId, input: pairRef },
  async (input, { user }) => {
    await discardDraft(getDb(), user.id, input.pairId);
    return { discarded: true };
  },
);

/** The pair's comment thread as this reviewer may see it (blind datasets: after their vote). */
export const commentsAction = defineAction(
  { scope: "pairs:review", dataset: (input) => input.datasetId, input: pairRef },
  async (input, { user }): Promise<CommentThread> => listComments(getDb(), user.id, input.datasetId, input.pairId),
);

export const addCommentAction = defineAction(
  { scope: "pairs:review", dataset: (input) => input.datasetId, input: commentInputSchema.extend({ datasetId }) },
  async ({ datasetId: dataset, ...comment }, { user }): Promise<CommentThread> => {
    await addComment(getDb(), user.id, dataset, comment);
    return listComments(getDb(), user.id, dataset, comment.pairId);
  },
);
