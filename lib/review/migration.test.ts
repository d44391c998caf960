import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../db/client.ts";
import { MIGRATIONS_DIR, migrateDeploy } from "../db/migrate.ts";
import { runExport } from "../io/index.ts";
import { deriveStatus } from "./status.ts";

/**
 * The pair_trust migration on a database in the shape it had before: today's `edited` pairs become
 * accepted with the `edited` flag and an accept vote by the editor dated at the edit (marked
 * migrated), PairCount follows, every pair gets its verdict record, and the export still ships them.
 */

const work = mkdtempSync(path.join(tmpdir(), "ecd-migration-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const OLD = readdirSync(MIGRATIONS_DIR).filter((name) => name < "20261206173000_pair_trust");

describe("migration pair_trust", () => {
  it("keeps today's edited pairs accepted (edited flag, migrated accept vote) and exported, and backfills verdicts", async () => {
    const oldDir = path.join(work, "migrations");
    for (const name of OLD) cpSync(path.join(MIGRATIONS_DIR, name), path.join(oldDir, name), { recursive: true });
    const url = `file:${path.join(work, "old.db")}`;
    await migrateDeploy(url, oldDir);

    const db = createDb(url);
    const editedAt = new Date("2026-11-30T10:00:00.000Z");
    const run = (sql: string, ...values: unknown[]) => db.$executeRawUnsafe(sql, ...values);
    await run(
      `INSERT INTO "User" ("id", "email", "passwordHash", "role", "updatedAt") VALUES (1, 'ed@old.test', 'x', 'annotator', ?)`,
      editedAt,
    );
    await run(
      `INSERT INTO "Dataset" ("id", "name", "settings", "updatedAt") VALUES (1, 'Old', '{"reviewsPerPair":1}', ?)`,
      editedAt,
    );
    await run(
      `INSERT INTO "Seed" ("id", "datasetId", "instruction", "contentHash", "source", "metadata") VALUES (1, 1, 'Describe rain.', 'h', 'plain', '{}')`,
    );
    await run(
      `INSERT INTO "Node" ("id", "datasetId", "seedId", "depth", "instruction", "constraints") VALUES (1, 1, 1, 0, 'Describe rain.', '[]')`,
    );
    await run(
      `INSERT INTO "Node" ("id", "datasetId", "seedId", "parentId", "depth", "instruction", "constraints") VALUES (2, 1, 1, 1, 1, 'Describe rain. Do not use any commas.', ?)`,
      JSON.stringify([{ kind: "verifiable", id: "punctuation:no_comma", kwargs: {}, text: "Do not use any commas." }]),
    );
    const response = (id: number, nodeId: number, text: string, role = "responder", parentId: number | null = null) =>
      run(
        `INSERT INTO "Response" ("id", "nodeId", "text", "role", "provider", "verification", "parentId") VALUES (?, ?, ?, ?, 'openai', '[]', ?)`,
        id,
        nodeId,
        text,
        role,
        parentId,
      );
    await response(1, 2, "soft rain on the roofs");
    await response(2, 1, "Rain, soft rain.");
    await response(3, 2, "soft rain on the quiet roofs", "human", 1);
    await response(4, 2, "grey rain falls");
    const pair = (id: number, chosenId: number, status: string, version: number) =>
      run(
        `INSERT INTO "Pair" ("id", "datasetId", "nodeId", "chosenId", "rejectedId", "method", "status", "version", "depth", "reviewCount", "constraintIds", "metadata", "updatedAt") VALUES (?, 1, 2, ?, 2, 'ecd', ?, ?, 1, 1, 'punctuation:no_comma', '{}', ?)`,
        id,
        chosenId,
        status,
        version,
        editedAt,
      );
    await pair(1, 3, "edited", 2); // chosen edited by user 1
    await pair(2, 4, "pending", 1);
    await run(
      `INSERT INTO "Review" ("pairId", "userId", "decision", "editedChosen", "pairVersion", "shownAt", "decidedAt", "durationMs") VALUES (1, 1, 'edit', 'soft rain on the quiet roofs', 1, ?, ?, 900)`,
      editedAt,
      editedAt,
    );
    await run(`INSERT INTO "PairCount" ("datasetId", "status", "count") VALUES (1, 'edited', 1), (1, 'pending', 1)`);
    await db.$disconnect();

    const applied = await migrateDeploy(url);
    // pair_trust first, then whatever later migrations exist.
    expect(applied).toEqual(
      readdirSync(MIGRATIONS_DIR).filter((name) => name >= "20261206173000_pair_trust" && !name.endsWith(".toml")),
    );
    const after = createDb(url);
    try {
      const migrated = await after.pair.findUniqueOrThrow({
        where: { id: 1 },
        include: { reviews: { orderBy: { id: "asc" } } },
      });
      expect(migrated).toMatchObject({ status: "accepted", edited: true, swapped: false, round: 1, chosenId: 3 });
      expect(
        migrated.reviews.map((r) => [r.decision, r.kind, r.userId, r.migrated, r.decidedAt.toISOString()]),
      ).toEqual([
        ["edit", "change", 1, false, editedAt.toISOString()],
        ["accept", "vote", 1, true, editedAt.toISOString()],
      ]);
      // The status the state machine derives from the migrated history is the one stored.
      expect(deriveStatus(migrated.reviews, migrated.round, { reviewsPerPair: 1 }).status).toBe("accepted");
      expect(await after.pairCount.findMany({ where: { datasetId: 1 }, orderBy: { status: "asc" } })).toEqual([
        { datasetId: 1, status: "accepted", count: 1 },
        { datasetId: 1, status: "pending", count: 1 },
      ]);
      // Verdicts backfilled by the migration step, for every pair.
      const pairs = await after.pair.findMany({ orderBy: { id: "asc" } });
      expect(pairs.map((p) => [p.chosenOutcome, p.rejectedOutcome, p.rejectedFailsNew, p.hardNegative])).toEqual([
        ["pass", "fail", true, true],
        ["pass", "fail", true, true],
      ]);
      expect(pairs[0]!.lengthRatio).toBe(2); // 6 words / 3 words

      // Still exported as accepted, with the edited text.
      let text = "";
      await runExport(after, { datasetId: 1, format: "trl-dpo" }, (chunk) => {
        text += Buffer.from(chunk).toString("utf8");
      });
      const rows = text
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        pair_id: 1,
        chosen: "soft rain on the quiet roofs",
        review_status: "accepted",
        edited: true,
      });

      // Idempotent: a second migrate changes nothing.
      expect(await migrateDeploy(url)).toEqual([]);
      expect(await after.review.count()).toBe(2);
    } finally {
      await after.$disconnect();
    }
  });
});
