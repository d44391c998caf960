/**
 * Full-text search (migration full_text_search, lib/db/search-sql.ts) through the pairs table's
 * text filter and the trees' seed search: words match in the prompt or a response, the indexes
 * follow every write, and no input is an FTS syntax error. Runs on SQLite (FTS5) and PostgreSQL
 * (tsvector + GIN).
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { listPairs } from "../review/query.ts";
import { pairQuerySchema } from "../review/pair-query.ts";
import { listSeeds } from "../review/tree.ts";
import { MIGRATIONS_DIR } from "./migrate.ts";
import { searchTerms, seedSearchSql } from "./search-sql.ts";

const { db } = createTestDb();
let datasetId = 0;
const pairIds: Record<string, number> = {};
const responseIds: Record<string, number> = {};

async function addPair(key: string, prompt: string, chosen: string, rejected: string) {
  const seed = await db.seed.create({
    data: { datasetId, instruction: prompt, contentHash: key, source: "plain", metadata: {} },
  });
  const node = await db.node.create({
    data: { datasetId, seedId: seed.id, depth: 0, instruction: prompt, constraints: [] },
  });
  const response = (text: string) =>
    db.response.create({ data: { nodeId: node.id, text, role: "responder", provider: "test", verification: {} } });
  const [c, r] = [await response(chosen), await response(rejected)];
  responseIds[`${key}.chosen`] = c.id;
  responseIds[`${key}.rejected`] = r.id;
  const pair = await db.pair.create({
    data: { datasetId, nodeId: node.id, chosenId: c.id, rejectedId: r.id, method: "manual", metadata: {} },
  });
  pairIds[key] = pair.id;
}

async function search(q: string): Promise<string[]> {
  const page = await listPairs(db, datasetId, pairQuerySchema.parse({ q, size: 200, sort: "id", dir: "asc" }));
  const byId = new Map(Object.entries(pairIds).map(([key, id]) => [id, key]));
  return page.rows.map((row) => byId.get(row.id)!).sort();
}

async function seeds(q: string): Promise<string[]> {
  return (await listSeeds(db, datasetId, { q, limit: 100 })).rows.map((row) => row.instruction).sort();
}

beforeAll(async () => {
  datasetId = (await db.dataset.create({ data: { name: "search", settings: {} } })).id;
  await addPair("light", "Describe a Lighthouse at night.", "The beam turns slowly.", "It is a tower.");
  await addPair("harbor", "Write about the harbor.", "Boats rest in the harbor.", "Ships and a lighthouse keeper.");
  await addPair("cafe", "Review the Café in Zürich.", "Great coffee, 東京塔 posters.", "Straße noise.");
  await addPair("quotes", 'He said "or" and -5 * 3.', "Operators: AND OR NOT NEAR(a b).", "plain");
});

describe("the pairs table's text filter", () => {
  it("matches words in the prompt or either response, in any case, a word's start included", async () => {
    expect(await search("lighthouse")).toEqual(["harbor", "light"]);
    expect(await search("LIGHT")).toEqual(["harbor", "light"]);
    expect(await search("beam")).toEqual(["light"]);
    expect(await search("keeper")).toEqual(["harbor"]);
    // Every word, in one text.
    expect(await search("lighthouse night")).toEqual(["light"]);
    expect(await search("beam tower")).toEqual([]);
    expect(await search("zebra")).toEqual([]);
    // Still: #id finds that pair.
    expect(await search(`#${pairIds.cafe}`)).toEqual(["cafe"]);
  });

  it("treats quotes, *, -, OR and other FTS syntax as plain text, never as an error", async () => {
    for (const q of [
      '"',
      "'",
      '"light',
      "light'",
      "*",
      "-",
      "- -",
      "OR",
      "AND",
      "NOT",
      "NEAR(",
      "(",
      ")",
      ":",
      "^",
      "{}",
      "\\",
    ])
      await expect(search(q), q).resolves.toBeInstanceOf(Array);
    expect(await search('"lighthouse"')).toEqual(["harbor", "light"]);
    expect(await search("-lighthouse")).toEqual(["harbor", "light"]);
    expect(await search("light*")).toEqual(["harbor", "light"]);
    expect(await search("lighthouse OR zebra")).toEqual([]);
    expect(await search("near(a b)")).toEqual(["quotes"]);
    expect(await search("*")).toEqual([]);
    expect(await search("5 3")).toEqual(["quotes"]);
  });

  it("matches unicode words", async () => {
    expect(await search("café")).toEqual(["cafe"]);
    expect(await search("CAFÉ zürich")).toEqual(["cafe"]);
    expect(await search("straße")).toEqual(["cafe"]);
    expect(await search("東京")).toEqual(["cafe"]);
    expect(await search("🙂")).toEqual([]);
  });

  // FTS5 cuts such a word into tokens at its marks, so its index must keep positions (detail=full: detail=none
  // or column, ~0.3 CPU s less per 100,000 imported seeds, refuse these queries). PostgreSQL's [[:punct:]]
  // (C.UTF-8) cuts it at the virama: the query's terms are cut the same way (search-sql.ts).
  it("matches words with combining marks (Devanagari)", async () => {
    await addPair("hindi", "हिन्दी में एक कविता लिखें।", "ठीक है।", "नहीं।");
    expect(await search("हिन्दी")).toEqual(["hindi"]);
    expect(await search("कविता हिन्")).toEqual(["hindi"]);
    expect(await seeds("लिखें")).toEqual(["हिन्दी में एक कविता लिखें।"]);
    // Marks alone (a lone virama, which PostgreSQL's [[:punct:]] removes entirely) are no word, on both.
    expect(await search("्")).toEqual([]);
    expect(await search("् कविता")).toEqual(["hindi"]);
  });

  it("follows every write: edits, new rows and deletions", async () => {
    await db.response.update({ where: { id: responseIds["light.chosen"]! }, data: { text: "A bright lantern." } });
    expect(await search("beam")).toEqual([]);
    expect(await search("lantern")).toEqual(["light"]);
    await addPair("new", "Sketch a windmill.", "Sails turn.", "It is old.");
    expect(await search("windmill")).toEqual(["new"]);
    await db.pair.delete({ where: { id: pairIds.new! } });
    await db.node.deleteMany({ where: { instruction: "Sketch a windmill." } });
    delete pairIds.new;
    expect(await search("windmill")).toEqual([]);
    expect(await search("sails")).toEqual([]);
  });
});

describe("the trees' seed search", () => {
  it("finds seeds by the words of their instruction", async () => {
    expect(await seeds("harbor")).toEqual(["Write about the harbor."]);
    expect(await seeds("DESCRIBE light")).toEqual(["Describe a Lighthouse at night."]);
    expect(await seeds('"or" -5')).toEqual(['He said "or" and -5 * 3.']);
    expect(await seeds("*")).toEqual([]);
  });
});

describe("searchTerms", () => {
  it("keeps runs of letters, digits and marks (not marks alone), lowercased, once", () => {
    expect(searchTerms(`Light "house" light-house OR *x* É`)).toEqual(["light", "house", "or", "x", "é"]);
    expect(searchTerms(" - * \" ' ")).toEqual([]);
    expect(searchTerms("् हिन्दी")).toEqual(["हिन्दी"]);
  });
});

describe.skipIf(process.env.TEST_DB !== "postgres")("PostgreSQL", () => {
  it("answers from the GIN indexes (the query's expression is the indexed one)", async () => {
    const plan = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      await tx.$executeRawUnsafe("SET LOCAL enable_nestloop = off");
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN ${seedSearchSql(datasetId, "harbor light", 0, 10)}`;
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toMatch(/Bitmap Index Scan on "SeedSearch"/);
  });

  it("keeps no pending list: new rows are in the index a search reads, not in a list it scans", async () => {
    for (let i = 0; i < 50; i += 1)
      await db.seed.create({
        data: {
          datasetId,
          instruction: `Pending row ${i} about a harbor`,
          contentHash: `pending-${i}`,
          source: "plain",
          metadata: {},
        },
      });
    const options = await db.$queryRaw<{ relname: string; reloptions: string[] | null }[]>`
      SELECT c."relname", c."reloptions" FROM pg_class c
       WHERE c."relname" IN ('SeedSearch', 'NodeSearch', 'ResponseSearch') ORDER BY c."relname"`;
    expect(options).toEqual(
      ["NodeSearch", "ResponseSearch", "SeedSearch"].map((relname) => ({ relname, reloptions: ["fastupdate=off"] })),
    );
    // A GIN index with fastupdate on would report the 50 rows here until a vacuum.
    const [pending] = await db.$queryRaw<
      { n: number }[]
    >`SELECT gin_clean_pending_list('"SeedSearch"'::regclass)::int AS "n"`;
    expect(pending!.n).toBe(0);
  });

  it("has statistics on the constraint-id filter's expression, so the planner can estimate it", async () => {
    const stats = await db.$queryRaw<
      { stxname: string }[]
    >`SELECT "stxname" FROM pg_statistic_ext WHERE "stxname" = 'Pair_constraintIds_words'`;
    expect(stats).toEqual([{ stxname: "Pair_constraintIds_words" }]);
  });
});

describe.skipIf(process.env.TEST_DB === "postgres")("the migration (SQLite)", () => {
  it("indexes the rows that existed before it", () => {
    const file = path.join(os.tmpdir(), `ecd-fts-${process.pid}-${Date.now()}.db`);
    const sqlite = new Database(file);
    try {
      const folders = readdirSync(MIGRATIONS_DIR)
        .filter((name) => !name.endsWith(".toml"))
        .sort();
      const fts = folders.findIndex((name) => name.endsWith("_full_text_search"));
      for (const folder of folders.slice(0, fts))
        sqlite.exec(readFileSync(path.join(MIGRATIONS_DIR, folder, "migration.sql"), "utf8"));
      sqlite.exec(`INSERT INTO "Dataset" ("id", "name", "settings", "createdAt", "updatedAt") VALUES (1, 'd', '{}', 0, 0);
        INSERT INTO "Seed" ("id", "datasetId", "instruction", "contentHash", "source", "metadata") VALUES (1, 1, 'An old lighthouse', 'h', 'plain', '{}');
        INSERT INTO "Node" ("id", "datasetId", "seedId", "depth", "instruction", "constraints") VALUES (1, 1, 1, 0, 'An old lighthouse', '[]');
        INSERT INTO "Response" ("id", "nodeId", "text", "role", "provider", "verification") VALUES (1, 1, 'Tall and white', 'responder', 'x', '{}');`);
      sqlite.exec(readFileSync(path.join(MIGRATIONS_DIR, folders[fts]!, "migration.sql"), "utf8"));
      const match = (table: string, q: string) =>
        sqlite.prepare(`SELECT rowid FROM "${table}" WHERE "${table}" MATCH ?`).all(q) as { rowid: number }[];
      expect(match("SeedSearch", '"lighthouse"*')).toEqual([{ rowid: 1 }]);
      expect(match("NodeSearch", '"old"*')).toEqual([{ rowid: 1 }]);
      expect(match("ResponseSearch", '"whi"*')).toEqual([{ rowid: 1 }]);
    } finally {
      sqlite.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    }
  });
});
