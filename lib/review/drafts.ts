import { z } from "zod";
import type { Db } from "../db/client.ts";
import { isFinal } from "../domain.ts";
import { DomainError } from "../errors.ts";

/**
 * Drafts: an edit in progress on the review screen, saved on the server as the reviewer types
 * (debounced by the screen), one per reviewer and pair, so it survives a reload and follows the
 * reviewer to another device. Saving the edit removes it. A draft whose pair has since become
 * final, or is held by someone else, is returned read-only with the reason (it can be copied).
 */

const text = z.string().max(200_000, "Text must be at most 200,000 characters");
export const draftInputSchema = z.object({
  pairId: z.coerce.number().int().positive(),
  pairVersion: z.coerce.number().int().positive(),
  prompt: text,
  chosen: text,
  rejected: text,
});
export type DraftInput = z.infer<typeof draftInputSchema>;

export type Draft = {
  pairId: number;
  pairVersion: number;
  prompt: string;
  chosen: string;
  rejected: string;
  updatedAt: string;
  /** Why it cannot be applied any more (then it opens read-only), or null. */
  readOnly: string | null;
};

async function pairInDataset(db: Db, pairId: number, datasetId: number) {
  const pair = await db.pair.findFirst({
    where: { id: pairId, datasetId },
    select: {
      status: true,
      claimedUntil: true,
      claimedById: true,
      claimedBy: { select: { email: true } },
    },
  });
  if (!pair) throw new DomainError(`Pair ${pairId} does not exist in this dataset`, "not_found", "pairId");
  return pair;
}

function readOnlyReason(pair: Awaited<ReturnType<typeof pairInDataset>>, userId: number, now: Date): string | null {
  if (isFinal(pair.status) || pair.status === "adjudication")
    return `The pair is ${pair.status} now, so this edit can no longer be saved. Copy what you need.`;
  if (pair.claimedById !== null && pair.claimedById !== userId && pair.claimedUntil && pair.claimedUntil > now)
    return `The pair is held by ${pair.claimedBy?.email ?? "another reviewer"} now, so this edit cannot be saved. Copy what you need.`;
  return null;
}

/** Saves (creates or replaces) the reviewer's draft for a pair of the dataset. */
export async function saveDraft(
  db: Db,
  userId: number,
  datasetId: number,
  input: DraftInput,
): Promise<{ updatedAt: string }> {
  const data = draftInputSchema.parse(input);
  await pairInDataset(db, data.pairId, datasetId);
  const { pairId, ...fields } = data;
  const row = await db.reviewDraft.upsert({
    where: { userId_pairId: { userId, pairId } },
    create: { userId, pairId, ...fields },
    update: fields,
    select: { updatedAt: true },
  });
  return { updatedAt: row.updatedAt.toISOString() };
}

/** The reviewer's draft for a pair, or null; read-only (with the reason) when it cannot be applied. */
export async function loadDraft(
  db: Db,
  userId: number,
  datasetId: number,
  pairId: number,
  now = new Date(),
): Promise<Draft | null> {
  const pair = await pairInDataset(db, pairId, datasetId);
  const row = await db.reviewDraft.findUnique({ where: { userId_pairId: { userId, pairId } } });
  if (!row) return null;
  return {
    pairId,
    pairVersion: row.pairVersion,
    prompt: row.prompt,
    chosen: row.chosen,
    rejected: row.rejected,
    updatedAt: row.updatedAt.toISOString(),
    readOnly: readOnlyReason(pair, userId, now),
  };
}

/** Removes the reviewer's draft (discarded, or its edit was saved). */
export async function discardDraft(db: Db, userId: number, pairId: number): Promise<void> {
  await db.reviewDraft.deleteMany({ where: { userId, pairId } });
}
