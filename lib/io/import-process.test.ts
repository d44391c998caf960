/**
 * Issue 15: an import in another process (the real `ecd import`) never blocks the others.
 * - While a 200,000-line import runs, a page's query (the pairs table) and a review decision
 *   complete before the import does (an ordering, not a time), and the imported rows are invisible
 *   (seed count, the seed list, full-text seed search) until it commits.
 * - An import process that is SIGKILLed leaves its rows behind, invisible; another process removes
 *   them once the lease has run out.
 */
import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createFixtureDataset, createFixturePair, createFixtureUser } from "../../test/fixtures/pairs.ts";
import { exited, killAll, spawnWorker, until } from "../../test/worker-processes.ts";
import { countSeeds } from "../datasets/index.ts";
import { decide } from "../review/decide.ts";
import { listPairs, pairQuerySchema } from "../review/query.ts";
import { listSeeds } from "../review/tree.ts";
import { sweepAbandonedImports } from "./import-lease.ts";

const { db, url } = createTestDb();
const dir = mkdtempSync(path.join(os.tmpdir(), "ecd-import-process-"));
afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** ECD_IMPORT_TEST_LINES lowers the size on a slow machine; the issue asks for 200,000. */
const LINES = Number(process.env.ECD_IMPORT_TEST_LINES ?? 200_000);

async function seedFile(name: string, lines: number, word: string): Promise<string> {
  const file = path.join(dir, name);
  const out = createWriteStream(file);
  let buffer = "";
  for (let i = 0; i < lines; i++) {
    buffer += `${JSON.stringify({ instruction: `Write a ${word} story about lighthouse keeper ${i}.`, output: `Keeper ${i} kept the light.` })}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "close");
  return file;
}

/** `ecd import FILE --dataset NAME` in its own process. */
function importProcess(file: string, dataset: string, output: string[], env: Record<string, string> = {}) {
  return spawnWorker({
    databaseUrl: url,
    llmUrl: "http://127.0.0.1:9/v1", // unused: an import calls no model
    output,
    command: ["lib/cli/main.ts", "import", file, "--dataset", dataset],
    env,
  });
}

/** All rows of the dataset, visible or not (what the import has written so far). */
const written = (datasetId: number) => db.seed.count({ where: { datasetId } });

describe("an import in another process", () => {
  it(`while ${LINES} lines are imported, a page query and a review decision complete first, and the rows stay invisible until the commit`, async () => {
    const file = await seedFile("big.jsonl", LINES, "zephyr");
    const big = await db.dataset.create({ data: { name: "big", settings: {} } });
    const reviewer = await createFixtureUser(db, { role: "annotator" });
    const other = await createFixtureDataset(db, { members: [reviewer] });
    const { pairId } = await createFixturePair(db, { datasetId: other.id });
    const output: string[] = [];
    const child = importProcess(file, "big", output);
    await until("the import to write its first batches", async () => (await written(big.id)) >= 4000, 120_000, output);

    // A page's query and a review decision, issued while the import is writing.
    const page = await listPairs(db, other.id, pairQuerySchema.parse({}));
    expect(page.rows.length).toBe(1);
    const decision = await decide(db, reviewer, { pairId, version: 1, decision: "accept" });
    expect(decision.status).toBe("accepted");
    // Readers see nothing of the import yet.
    const before = {
      count: await countSeeds(db, big.id),
      list: (await listSeeds(db, big.id)).rows.length,
      search: (await listSeeds(db, big.id, { q: "zephyr" })).rows.length,
    };
    // ...and all of that finished while the import was still running: an ordering, not a time.
    const stillRunning = child.exitCode === null && (await db.seedImport.count({ where: { status: "pending" } })) === 1;
    const writtenThen = await written(big.id);
    expect(before).toEqual({ count: 0, list: 0, search: 0 });
    expect(stillRunning).toBe(true);
    expect(writtenThen).toBeLessThan(LINES);

    expect(await exited(child)).toEqual({ code: 0, signal: null });
    expect(await countSeeds(db, big.id)).toBe(LINES);
    expect((await listSeeds(db, big.id, { q: "zephyr lighthouse", limit: 10 })).rows.length).toBe(10);
    expect(await db.seedImport.findMany({ select: { status: true, imported: true } })).toEqual([
      { status: "committed", imported: LINES },
    ]);
  }, 300_000);

  it("a SIGKILLed import leaves invisible rows that another process removes once its lease has run out", async () => {
    const file = await seedFile("killed.jsonl", 50_000, "quokka");
    const killed = await db.dataset.create({ data: { name: "killed", settings: {} } });
    const output: string[] = [];
    const child = importProcess(file, "killed", output, { ECD_IMPORT_LEASE_MS: "2000" });
    await until(
      "the import to write its first batches",
      async () => (await written(killed.id)) >= 2000,
      120_000,
      output,
    );
    child.kill("SIGKILL");
    expect((await exited(child)).signal).toBe("SIGKILL");

    const left = await written(killed.id);
    expect(left).toBeGreaterThanOrEqual(2000);
    expect(left).toBeLessThan(50_000);
    expect(await countSeeds(db, killed.id)).toBe(0);
    expect((await listSeeds(db, killed.id, { q: "quokka" })).rows).toEqual([]);
    const [abandoned] = await db.seedImport.findMany({ where: { datasetId: killed.id } });
    expect(abandoned?.status).toBe("pending");
    // Before the lease has run out, a sweep leaves the import alone (its process might be alive).
    if (abandoned!.leaseUntil.getTime() > Date.now() + 200) expect(await sweepAbandonedImports(db)).toBe(0);

    await until("the lease to run out", () => Date.now() > abandoned!.leaseUntil.getTime(), 10_000, output);
    expect(await sweepAbandonedImports(db)).toBe(left);
    expect(await written(killed.id)).toBe(0);
    expect(await db.node.count({ where: { datasetId: killed.id } })).toBe(0);
    expect(await db.seedImport.count({ where: { datasetId: killed.id } })).toBe(0);
  }, 300_000);
});
