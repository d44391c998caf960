import { z } from "zod";
import type { Db } from "../db/client.ts";
import { datasetSettingsSchema } from "../datasets/index.ts";
import { DomainError } from "../errors.ts";

/**
 * Comments per pair: a thread on the review screen (markdown, shown through
 * components/review/markdown.tsx). Pair.commentCount moves in the same transaction as each new
 * comment, so the pairs table shows the count and filters on it (`has-comments`) without a COUNT.
 * With the dataset's `blind` setting on, other people's comments stay hidden from a reviewer until
 * they have voted on the pair (their own comments are always shown).
 */

export const commentInputSchema = z.object({
  pairId: z.coerce.number().int().positive(),
  body: z
    .string()
    .trim()
    .min(1, "A comment cannot be empty")
    .max(10_000, "A comment must be at most 10,000 characters"),
});
export type CommentInput = z.input<typeof commentInputSchema>;

export type PairCommentView = { id: number; author: string; createdAt: string; body: string; mine: boolean };
export type CommentThread = { comments: PairCommentView[]; hidden: number };

async function pairOf(db: Db, pairId: number, datasetId: number) {
  const pair = await db.pair.findFirst({
    where: { id: pairId, datasetId },
    select: { id: true, dataset: { select: { settings: true } } },
  });
  if (!pair) throw new DomainError(`Pair ${pairId} does not exist in this dataset`, "not_found", "pairId");
  return pair;
}

/** Adds a comment by `userId` and counts it on the pair. */
export async function addComment(db: Db, userId: number, datasetId: number, input: CommentInput): Promise<number> {
  const data = commentInputSchema.parse(input);
  await pairOf(db, data.pairId, datasetId);
  return db.$transaction(async (tx) => {
    const comment = await tx.pairComment.create({
      data: { pairId: data.pairId, userId, body: data.body },
      select: { id: true },
    });
    await tx.pair.update({ where: { id: data.pairId }, data: { commentCount: { increment: 1 } } });
    return comment.id;
  });
}

/** The thread as `viewerId` may see it (blind datasets hide others' comments until they voted). */
export async function listComments(
  db: Db,
  viewerId: number,
  datasetId: number,
  pairId: number,
): Promise<CommentThread> {
  const pair = await pairOf(db, pairId, datasetId);
  const settings = datasetSettingsSchema.safeParse(pair.dataset.settings ?? {});
  const blind = settings.success && settings.data.blind;
  const voted =
    !blind || (await db.review.findFirst({ where: { pairId, userId: viewerId, kind: "vote" }, select: { id: true } }));
  const rows = await db.pairComment.findMany({
    where: { pairId },
    orderBy: { id: "asc" },
    select: { id: true, body: true, createdAt: true, userId: true, user: { select: { email: true } } },
  });
  const shown = voted ? rows : rows.filter((r) => r.userId === viewerId);
  return {
    comments: shown.map((r) => ({
      id: r.id,
      author: r.user.email,
      createdAt: r.createdAt.toISOString(),
      body: r.body,
      mine: r.userId === viewerId,
    })),
    hidden: rows.length - shown.length,
  };
}
