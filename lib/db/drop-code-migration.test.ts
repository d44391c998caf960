/**
 * The drop-reason backfill (migration node_drop_code): every detail text the pipelines wrote
 * before codes existed gets its code from the one list, the prefix that became the code is cut,
 * and running the backfill again changes nothing.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { DROP_CODES, isDropCode } from "../evolution/drop-reasons.ts";

const { db } = createTestDb();

const BACKFILL = readFileSync("prisma/migrations/20261206184500_node_drop_code/migration.sql", "utf8")
  .split(/;\s*\n/)
  .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
  .filter((statement) => statement.startsWith("UPDATE"));

/** Old detail → [code, new detail], one per code the old pipelines could write. */
const OLD: [string, string, string][] = [
  ["evolver failed: evolver call failed (unparsable): x", "evolver_failed", "evolver call failed (unparsable): x"],
  ["the evolved instruction is empty", "empty_instruction", "the evolved instruction is empty"],
  ["equal to its parent instruction", "equal_to_parent", "equal to its parent instruction"],
  ['leaks template words: "new requirement"', "template_leak", 'leaks template words: "new requirement"'],
  ["adds no requirement", "no_new_requirement", "adds no requirement"],
  [
    "constraint #1 a:b conflicts with earlier constraint #0 c:d",
    "constraint_conflict",
    "constraint #1 a:b conflicts with earlier constraint #0 c:d",
  ],
  ['constraint #1 has an unknown id "x"', "invalid_constraint", 'constraint #1 has an unknown id "x"'],
  ["responder failed: empty", "responder_failed", "empty"],
  ['content_lost: the repair drops "sunlight"', "content_lost", 'the repair drops "sunlight"'],
  ['fragment_inserted: "x": glued', "fragment_inserted", '"x": glued'],
  ["chosen response fails #0 x", "chosen_fails", "chosen response fails #0 x"],
  [
    "rejected response passes every new constraint",
    "rejected_not_negative",
    "rejected response passes every new constraint",
  ],
  ["student failed: seed has no reference response", "student_failed", "seed has no reference response"],
  [
    "the student's response follows every constraint; nothing to correct",
    "nothing_to_correct",
    "the student's response follows every constraint; nothing to correct",
  ],
  ["no fix could be applied", "no_fix_applied", "no fix could be applied"],
  ["the final response still fails #0 x", "final_fails", "the final response still fails #0 x"],
  ["every pair had rejected equal to chosen", "rejected_equals_chosen", "every pair had rejected equal to chosen"],
];

describe("drop reasons", () => {
  it("are one list of stable snake_case codes", () => {
    expect(DROP_CODES.every((code) => /^[a-z]+(_[a-z]+)*$/.test(code))).toBe(true);
    expect(isDropCode("content_lost")).toBe(true);
    expect(isDropCode("toString")).toBe(false);
  });

  it("the migration backfills the code of every old detail, once", async () => {
    expect(BACKFILL).toHaveLength(2);
    const dataset = await db.dataset.create({ data: { name: "backfill", settings: {} } });
    const seed = await db.seed.create({
      data: { datasetId: dataset.id, instruction: "i", contentHash: "h", source: "plain", metadata: {} },
    });
    const base = { datasetId: dataset.id, seedId: seed.id, depth: 1, instruction: "x", constraints: [] };
    const ids: number[] = [];
    for (const [reason] of OLD)
      ids.push((await db.node.create({ data: { ...base, status: "dropped", dropReason: reason } })).id);
    const kept = await db.node.create({ data: { ...base, status: "kept" } });
    const unknown = await db.node.create({ data: { ...base, status: "dropped", dropReason: "something else" } });

    const read = async () =>
      (await db.node.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } })).map((n) => [
        n.dropCode,
        n.dropReason,
      ]);
    for (const statement of BACKFILL) await db.$executeRawUnsafe(statement);
    const expected = OLD.map(([, code, detail]) => [code, detail]);
    expect(await read()).toEqual(expected);
    expect(expected.every(([code]) => isDropCode(code))).toBe(true);
    for (const statement of BACKFILL) await db.$executeRawUnsafe(statement);
    expect(await read()).toEqual(expected);
    expect(await db.node.findUnique({ where: { id: kept.id } })).toMatchObject({ dropCode: null, dropReason: null });
    expect(await db.node.findUnique({ where: { id: unknown.id } })).toMatchObject({
      dropCode: null,
      dropReason: "something else",
    });
  });
});
