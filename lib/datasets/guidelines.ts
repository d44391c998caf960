import type { Db, DbOrTx } from "../db/client.ts";

/**
 * Guideline versions: every save of a dataset's guidelines is a new version (text, author, time);
 * `Dataset.guidelines` holds the latest text. A vote records the version it was cast under
 * (Review.guidelineVersion, written by lib/review's vote path through `currentGuidelineVersion`).
 */

export type GuidelineVersionRow = { version: number; text: string; author: string | null; createdAt: Date };

/** The dataset's latest guideline version number, or null when it has none. */
export async function currentGuidelineVersion(db: DbOrTx, datasetId: number): Promise<number | null> {
  const latest = await db.guidelineVersion.findFirst({
    where: { datasetId },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  return latest?.version ?? null;
}

/** Every version, newest first, with its author's email. */
export async function listGuidelineVersions(db: Db, datasetId: number): Promise<GuidelineVersionRow[]> {
  const rows = await db.guidelineVersion.findMany({
    where: { datasetId },
    orderBy: { version: "desc" },
    select: { version: true, text: true, createdAt: true, author: { select: { email: true } } },
  });
  return rows.map((r) => ({
    version: r.version,
    text: r.text,
    createdAt: r.createdAt,
    author: r.author?.email ?? null,
  }));
}

/** Adds the next version inside the settings write's transaction; returns its number. */
export async function addGuidelineVersion(
  tx: DbOrTx,
  datasetId: number,
  text: string,
  authorId: number | null,
): Promise<number> {
  const version = ((await currentGuidelineVersion(tx, datasetId)) ?? 0) + 1;
  await tx.guidelineVersion.create({ data: { datasetId, version, text, authorId } });
  return version;
}

export type GuidelinesNotice = {
  /** The version in force now (null: no guidelines yet). */
  current: number | null;
  /** The version of the reviewer's last vote in this dataset (null: never voted, or before versions). */
  lastVoted: number | null;
  /** The guidelines changed since the reviewer's last vote: the review screen shows a notice. */
  changed: boolean;
};

/** Whether the guidelines changed since `userId` last voted in the dataset. */
export async function guidelinesNotice(db: Db, datasetId: number, userId: number): Promise<GuidelinesNotice> {
  const [current, last] = await Promise.all([
    currentGuidelineVersion(db, datasetId),
    db.review.findFirst({
      where: { userId, kind: "vote", pair: { datasetId } },
      orderBy: { id: "desc" },
      select: { guidelineVersion: true },
    }),
  ]);
  const lastVoted = last?.guidelineVersion ?? null;
  return { current, lastVoted, changed: last !== null && current !== null && current !== lastVoted };
}
