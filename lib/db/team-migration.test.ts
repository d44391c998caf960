/**
 * The team migration's backfills (20261206201000_dataset_members_guidelines_delete): annotators who
 * reviewed a dataset become its members (researchers and admins need no membership), today's
 * guidelines become version 1, and running the backfills again changes nothing.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createFixtureDataset, createFixturePair, createFixtureUser } from "../../test/fixtures/pairs.ts";

const { db } = createTestDb();

const BACKFILL = readFileSync(
  "prisma/migrations/20261206201000_dataset_members_guidelines_delete/migration.sql",
  "utf8",
)
  .split(/;\s*\n/)
  .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
  .filter(
    (statement) =>
      statement.startsWith('INSERT INTO "DatasetMember"') || statement.startsWith('INSERT INTO "GuidelineVersion"'),
  );

describe("the team migration", () => {
  it("makes reviewing annotators members and keeps today's guidelines as version 1, once", async () => {
    expect(BACKFILL).toHaveLength(2);
    const reviewer = await createFixtureUser(db, { role: "annotator" });
    await createFixtureUser(db, { role: "annotator" }); // reviewed nothing: no membership
    const researcher = await createFixtureUser(db, { role: "researcher" });
    const reviewed = await createFixtureDataset(db, { members: [] });
    await createFixtureDataset(db, { members: [] }); // nobody reviewed it: no members
    await db.dataset.update({ where: { id: reviewed.id }, data: { guidelines: "Be strict." } });
    const fx = await createFixturePair(db, { datasetId: reviewed.id });
    for (const user of [reviewer, researcher])
      await db.review.create({
        data: {
          pairId: fx.pairId,
          userId: user.id,
          decision: "accept",
          kind: "vote",
          pairVersion: 1,
          shownAt: new Date(),
          durationMs: 1,
        },
      });

    const read = async () => ({
      members: (await db.datasetMember.findMany({ orderBy: [{ datasetId: "asc" }, { userId: "asc" }] })).map((m) => [
        m.datasetId,
        m.userId,
      ]),
      versions: (await db.guidelineVersion.findMany()).map((v) => [v.datasetId, v.version, v.text]),
    });
    for (const statement of BACKFILL) await db.$executeRawUnsafe(statement);
    const expected = { members: [[reviewed.id, reviewer.id]], versions: [[reviewed.id, 1, "Be strict."]] };
    expect(await read()).toEqual(expected);
    for (const statement of BACKFILL) await db.$executeRawUnsafe(statement);
    expect(await read()).toEqual(expected);
  });
});
