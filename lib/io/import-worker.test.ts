/**
 * The compiled `ecd import` prepares its batches in a worker thread (import-batches.ts); from
 * TypeScript source they are prepared on the importing thread. Both must write the same seeds,
 * nodes, contamination flags and report: the compiled CLI (scripts/build-cli.mjs) imports a file
 * of several batches, with repeats inside a batch and across batches and IFEval prompts, into one
 * dataset, and importSeeds the same file into another.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { readIfevalPrompts } from "../eval/benchmarks.ts";
import { importSeeds } from "./import.ts";
import { bytesOf } from "./parse/lines.ts";

const { db, url } = createTestDb();
const root = path.resolve(import.meta.dirname, "../..");
let dir: string;
let runner: string;

beforeAll(async () => {
  // Inside the repository, so the compiled code finds node_modules.
  mkdirSync(path.join(root, "dist"), { recursive: true });
  dir = mkdtempSync(path.join(root, "dist", "test-import-"));
  const { buildCli } = (await import(pathToFileURL(path.join(root, "scripts/build-cli.mjs")).href)) as {
    buildCli: (outdir: string) => Promise<void>;
  };
  await buildCli(path.join(dir, "cli"));
  runner = path.join(dir, "cli/run.mjs");
  writeFileSync(runner, 'import { main } from "./ecd.mjs";\nawait main(process.argv.slice(2));\n');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 5,000 lines (three batches): every 7th repeats the line before it, every 10th past 2,500 an earlier batch's line; some IFEval prompts. */
function lines(): string {
  const ifeval = readIfevalPrompts();
  const out: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const k = i % 7 === 6 ? i - 1 : i % 10 === 9 && i > 2500 ? i - 2500 : i;
    const instruction =
      k % 125 === 3
        ? ifeval[k % ifeval.length]!.prompt
        : `Describe item number ${k} of the inventory in two sentences.`;
    out.push(JSON.stringify({ instruction, input: k % 3 ? "" : `Item ${k}`, output: `Answer ${i}.`, category: "qa" }));
  }
  return out.join("\n") + "\n";
}

/** What the import stored in a dataset, by line (externalId), with seed ids left out. */
async function stored(datasetId: number) {
  const seeds = await db.seed.findMany({
    where: { datasetId },
    orderBy: { id: "asc" },
    select: {
      externalId: true,
      instruction: true,
      input: true,
      referenceResponse: true,
      contentHash: true,
      metadata: true,
      contaminated: true,
      nodes: { select: { instruction: true, constraints: true, depth: true, contaminated: true } },
      contaminations: { select: { position: true, overlap: true, exact: true, set: { select: { name: true } } } },
    },
  });
  return seeds;
}

describe("the compiled import's worker thread", () => {
  it("writes the same seeds, nodes, flags and report as importSeeds on one thread", async () => {
    const file = path.join(dir, "seeds.jsonl");
    writeFileSync(file, lines());
    const viaWorker = await db.dataset.create({ data: { name: "worker", settings: {} } });
    const inProcess = await db.dataset.create({ data: { name: "in-process", settings: {} } });
    const printed = execFileSync(process.execPath, [runner, "import", file, "--dataset", "worker", "--json"], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: url },
    });
    const report = await importSeeds(db, inProcess.id, bytesOf(lines()), {
      fileName: "seeds.jsonl",
      reportLimit: 100_000,
    });
    const fromWorker = JSON.parse(printed) as typeof report;
    expect(fromWorker.imported).toBeGreaterThan(3500);
    expect(fromWorker.duplicates).toBeGreaterThan(800);
    expect(fromWorker.overlaps[0]).toMatchObject({ set: "ifeval", seeds: 34 });
    const ids = (r: typeof report) => r.duplicateLines.map((d) => d.line);
    expect(ids(fromWorker)).toEqual(ids(report));
    expect({ ...fromWorker, datasetId: 0, dataset: "", duplicateLines: [] }).toEqual({
      ...report,
      datasetId: 0,
      dataset: "",
      duplicateLines: [],
    });
    expect(await stored(viaWorker.id)).toEqual(await stored(inProcess.id));
  }, 180_000);
});
