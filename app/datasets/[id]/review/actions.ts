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
  { outcome: "saved"; pair: PairView; status: string } | { outcome: "conflict"; message: string; current: PairView };

async function nextFor(dataset: number, userId: number, exclude: readonly number[]): Promise<PairView | null> {
  const db = getDb();
  const claimed = await claimNext(db, { datasetId: dataset, userId, excludeIds: exclude });
  return claimed ? loadPairView(db, claimed.id, { datasetId: dataset, viewerId: userId }) : null;
}

export const claimNextAction = defineAction(
  { scope: "pairs:review", input: z.object({ datasetId, exclude: ids }) },
  async (input, { user }): Promise<NextResult> => ({ pair: await nextFor(input.datasetId, user.id, input.exclude) }),
);

export const viewPairAction = defineAction(
  { scope: "pairs:review", input: z.object({ datasetId, pairId: z.coerce.number().int().positive() }) },
  async (input, { user }): Promise<PairView> =>
    loadPairView(getDb(), input.pairId, { datasetId: input.datasetId, viewerId: user.id }),
);

async function written(
  run: () => Promise<{ pairId: number; status: string }>,
  pairId: number,
  dataset: number,
  viewerId: number,
): Promise<WriteResult> {
  const db = getDb();
  try {
    const outcome = await run();
    return {
      outcome: "saved",
      status: outcome.status,
      pair: await loadPairView(db, outcome.pairId, { datasetId: dataset, viewerId }),
    };
  } catch (error) {
    if (error instanceof StalePairError)
      return {
        outcome: "conflict",
        message: error.message,
        current: await loadPairView(db, pairId, { datasetId: dataset, viewerId }),
      };
    throw error;
  }
}

export const decideAction = defineAction(
  { scope: "pairs:review", input: decisionInputSchema.extend({ datasetId }) },
  async (input, { user }): Promise<WriteResult> =>
    written(() => decide(getDb(), user, input, { datasetId: input.datasetId }), input.pairId, input.datasetId, user.id),
);

/** An A/B vote (A better, B better, tie, both bad; slight or clear). */
export const abVoteAction = defineAction(
  { scope: "pairs:review", input: abVoteInputSchema.extend({ datasetId }) },
  async (input, { user }): Promise<WriteResult> =>
    written(() => voteAB(getDb(), user, input, { datasetId: input.datasetId }), input.pairId, input.datasetId, user.id),
);

export const editAction = defineAction(
  // `.and` keeps the edit schema's own refinement (something must be edited).
  { scope: "pairs:review", input: editInputSchema.and(z.object({ datasetId })) },
  async (input, { user }): Promise<WriteResult> =>
    written(
      () => editPair(getDb(), user, input, { datasetId: input.datasetId }),
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
  { scope: "pairs:bulk", input: reopenInputSchema.extend({ datasetId }) },
  async (input, { user }): Promise<WriteResult> =>
    written(
      () => reopenPair(getDb(), user, input, { datasetId: input.datasetId }),
      input.pairId,
      input.datasetId,
      user.id,
    ),
);
