/**
 * Import/export throughput and memory: `npx tsx bench/io.ts` (or `npm run bench:io`).
 *
 * For 100,000 and 1,000,000 generated seeds, into a temporary SQLite file:
 * - import_seeds_per_s / import_rss_mb: `importSeeds` of a generated Alpaca JSON Lines file
 *   (every line a seed + its depth-0 node, full-text indexed and checked for decontamination) into
 *   a database migrated beforehand by another process (as `ecd import` after `ecd db migrate`);
 *   a comment line gives the import's CPU time too, since the machine may be shared;
 * - export_pairs_per_s / export_rss_mb: a trl-dpo export of one pair per node (10% of them
 *   edited by a reviewer), written to a file.
 * Each measurement runs in a fresh process and reports that process's peak resident memory, so
 * the 100k and 1M figures are comparable: flat memory means the two are about equal (the
 * *_rss_ratio lines). Figures for 1M have no suffix; for 100k they end in _100k.
 *
 * - decontam_instructions_per_s: generated instructions checked (lib/io/decontam.ts, what every
 *   import, generation task and edit runs) against IFEval plus a generated 10,000-prompt set; 1%
 *   of them are rewrites of benchmark prompts. The indexes are built once (not timed, as in a process).
 *
 * Options: --sizes 100000,1000000 (default), --keep (leave the temporary folder),
 * --decontam N (instructions checked, default 1,000,000; 0 skips), --decontam-only.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));

/** cpuSeconds: the process's user + system CPU time over the measurement (the machine may be shared). */
type Measurement = { seconds: number; count: number; maxRssMb: number; bytes?: number; cpuSeconds?: number };

function rssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function withDb<T>(file: string, fn: (db: import("../lib/db/client.ts").Db) => Promise<T>): Promise<T> {
  const { createDb } = await import("../lib/db/client.ts");
  const db = createDb(`file:${file}`);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

/** Child: generate the seeds file (streamed to disk; not timed). */
async function generate(n: number, file: string) {
  const out = createWriteStream(file);
  const topics = [
    "the sea",
    "autumn",
    "a city at night",
    "trains",
    "bread",
    "mountains",
    "a library",
    "rain",
    "chess",
    "bees",
  ];
  let buffer = "";
  for (let i = 0; i < n; i++) {
    const row = {
      instruction: `Write a short text about ${topics[i % topics.length]} for reader number ${i}.`,
      input: i % 3 === 0 ? `Context ${i}: keep it under fifty words and mention the number ${i}.` : "",
      output: `Here is a short text about ${topics[i % topics.length]}, written for reader ${i}.`,
      category: i % 2 ? "creative_writing" : "open_qa",
    };
    buffer += JSON.stringify(row) + "\n";
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "close");
}

/** Child: migrate a fresh database and create the dataset (not timed; a deploy step, as `ecd db migrate`). */
async function prepareImport(dbFile: string) {
  const { migrateDeploy } = await import("../lib/db/migrate.ts");
  await migrateDeploy(`file:${dbFile}`);
  await withDb(dbFile, async (db) => {
    await db.$executeRawUnsafe("PRAGMA journal_mode = WAL");
    await db.dataset.create({ data: { name: "bench", settings: {} } });
  });
}

/** Child: import the file (as `ecd import` does: into a migrated database, in a process of its own). */
async function runImport(file: string, dbFile: string): Promise<Measurement> {
  const { importSeeds } = await import("../lib/io/index.ts");
  const { configureDatabase } = await import("../lib/db/client.ts");
  return withDb(dbFile, async (db) => {
    await configureDatabase(db); // as `ecd import` does
    const dataset = await db.dataset.findFirstOrThrow({ where: { name: "bench" } });
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const report = await importSeeds(db, dataset.id, createReadStream(file, { highWaterMark: 1 << 20 }), {
      fileName: path.basename(file),
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    if (report.skipped || report.duplicates)
      throw new Error(`unexpected: ${report.skipped} skipped, ${report.duplicates} duplicates`);
    return { seconds, count: report.imported, maxRssMb: rssMb(), cpuSeconds: (used.user + used.system) / 1e6 };
  });
}

/** Child: one pair per node (two responses each), 10% edited with a human response and an edit review. Not timed. */
async function preparePairs(dbFile: string) {
  await withDb(dbFile, async (db) => {
    const now = new Date().toISOString().replace("Z", "+00:00");
    const user = await db.user.create({ data: { email: "bench@example.com", passwordHash: "x", role: "researcher" } });
    const datasetId = (await db.dataset.findFirstOrThrow({ where: { name: "bench" } })).id;
    await db.$executeRawUnsafe(
      `INSERT INTO "Response" ("nodeId", "text", "role", "provider", "model", "verification", "createdAt")
       SELECT "id", 'A careful answer to node ' || "id" || ' that follows every constraint, written in plain words without commas.', 'responder', 'openai', 'gpt-4o-mini', '[]', ? FROM "Node" WHERE "datasetId" = ?`,
      now,
      datasetId,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "Response" ("nodeId", "text", "role", "provider", "model", "verification", "createdAt")
       SELECT "id", 'An answer to node ' || "id" || ', which misses the newest requirement, as the previous step did.', 'student', 'openai', 'llama-2-7b', '[]', ? FROM "Node" WHERE "datasetId" = ?`,
      now,
      datasetId,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "Response" ("nodeId", "text", "role", "provider", "model", "verification", "parentId", "createdById", "createdAt")
       SELECT r."nodeId", 'A reviewer rewrote this answer for node ' || r."nodeId" || '.', 'human', 'human', '', '[]', r."id", ?, ? FROM "Response" r WHERE r."role" = 'responder' AND r."nodeId" % 10 = 0`,
      user.id,
      now,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "Pair" ("datasetId", "nodeId", "chosenId", "rejectedId", "method", "status", "edited", "depth", "reviewCount", "constraintIds", "metadata", "createdAt", "updatedAt")
       SELECT n."datasetId", n."id", COALESCE(h."id", c."id"), r."id",
              CASE WHEN n."id" % 2 = 0 THEN 'ecd' ELSE 'c2s' END,
              'accepted', h."id" IS NOT NULL,
              n."id" % 4, 1, 'punctuation:no_comma length_constraints:number_words', '{}', ?, ?
       FROM "Node" n
       JOIN "Response" c ON c."nodeId" = n."id" AND c."role" = 'responder'
       JOIN "Response" r ON r."nodeId" = n."id" AND r."role" = 'student'
       LEFT JOIN "Response" h ON h."nodeId" = n."id" AND h."role" = 'human'
       WHERE n."datasetId" = ?`,
      now,
      now,
      datasetId,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "Review" ("pairId", "userId", "decision", "editedPrompt", "editedChosen", "pairVersion", "shownAt", "decidedAt", "durationMs")
       SELECT p."id", ?, CASE WHEN p."edited" THEN 'edit' ELSE 'accept' END,
              CASE WHEN p."edited" THEN 'An edited prompt for pair ' || p."id" ELSE NULL END,
              CASE WHEN p."edited" THEN 'A reviewer rewrote this answer.' ELSE NULL END,
              1, ?, ?, 1500
       FROM "Pair" p WHERE p."datasetId" = ?`,
      user.id,
      now,
      now,
      datasetId,
    );
  });
}

/** Child: export every pair as trl-dpo to a file. */
async function runExportBench(dbFile: string, out: string): Promise<Measurement> {
  const { runExport } = await import("../lib/io/index.ts");
  return withDb(dbFile, async (db) => {
    const datasetId = (await db.dataset.findFirstOrThrow({ where: { name: "bench" } })).id;
    const stream = createWriteStream(out);
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const result = await runExport(db, { datasetId, format: "trl-dpo", filters: { status: "all" } }, async (chunk) => {
      if (!stream.write(chunk)) await once(stream, "drain");
    });
    stream.end();
    await once(stream, "close");
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    // CPU time (user + system) of this process: SQLite runs in it, so on a loaded machine this is the steadier figure.
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    return {
      seconds,
      count: result.manifest.counts.pairs,
      maxRssMb: rssMb(),
      bytes: result.manifest.byteSize,
      cpuSeconds,
    };
  });
}

const WORDS = (
  "river garden engine letter window market planet violin harbor lantern meadow pencil castle " +
  "forest bridge candle rocket island butter silver copper thunder orchard valley mirror ladder"
).split(" ");

/** A generated prompt of `words` words, seeded by `i` (deterministic). */
function generatedPrompt(i: number, words: number): string {
  const out: string[] = [];
  let x = (i + 0x9e3779b9) >>> 0;
  for (let k = 0; k < words; k++) {
    // mulberry32: an LCG's low bits repeat with a short period, which would make shared 13-grams.
    x = (x + 0x6d2b79f5) >>> 0;
    let t = Math.imul(x ^ (x >>> 15), x | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(WORDS[((t ^ (t >>> 14)) >>> 0) % WORDS.length]!);
  }
  return `Write about ${out.join(" ")}.`;
}

async function decontamBench(n: number) {
  const { BenchmarkIndex, checkInstruction } = await import("../lib/io/decontam.ts");
  const { readIfevalPrompts } = await import("../lib/eval/benchmarks.ts");
  const ifevalPrompts = readIfevalPrompts().map((p, position) => ({ position, prompt: p.prompt }));
  const large = Array.from({ length: 10_000 }, (_, i) => ({ position: i, prompt: generatedPrompt(i + 1e7, 30) }));
  const built = process.hrtime.bigint();
  const indexes = [new BenchmarkIndex("ifeval", ifevalPrompts), new BenchmarkIndex("generated-10k", large)];
  const buildSeconds = Number(process.hrtime.bigint() - built) / 1e9;
  let hits = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const text =
      i % 100 === 0
        ? `Please help: ${ifevalPrompts[i % ifevalPrompts.length]!.prompt} Thanks.`
        : `${generatedPrompt(i, 24)} Answer in exactly ${(i % 5) + 2} paragraphs.`;
    if (checkInstruction(indexes, text).length) hits++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const suffix = n === 1_000_000 ? "" : `_${n}`;
  console.log(`decontam_instructions_per_s${suffix}: ${Math.round(n / seconds)} instructions/s`);
  console.log(
    `# decontam: ${n} instructions against ifeval (541) + a 10,000-prompt set in ${seconds.toFixed(1)} s (${hits} matched); indexes built in ${buildSeconds.toFixed(2)} s`,
  );
}

function child(args: string[]): Measurement | null {
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(here, "io.ts"), "--child", ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) {
    process.stderr.write(`bench/io: ${args[0]} failed\n${run.stderr}\n`);
    process.exit(1);
  }
  const last = run.stdout.trim().split("\n").pop() ?? "null";
  return JSON.parse(last) as Measurement | null;
}

async function main() {
  const { values } = parseArgs({
    options: {
      child: { type: "boolean" },
      sizes: { type: "string" },
      keep: { type: "boolean" },
      decontam: { type: "string" },
      "decontam-only": { type: "boolean" },
    },
    allowPositionals: true,
    strict: false,
  });
  if (values.child) {
    const [what, a, b] = process.argv.slice(process.argv.indexOf("--child") + 1);
    let result: Measurement | null = null;
    if (what === "generate") await generate(Number(a), b!);
    else if (what === "prepare-import") await prepareImport(a!);
    else if (what === "import") result = await runImport(a!, b!);
    else if (what === "pairs") await preparePairs(a!);
    else if (what === "export") result = await runExportBench(a!, b!);
    else throw new Error(`unknown child step ${what}`);
    process.stdout.write(JSON.stringify(result) + "\n");
    return;
  }

  const decontamN = Number(values.decontam ?? 1_000_000);
  if (decontamN > 0) await decontamBench(decontamN);
  if (values["decontam-only"]) return;

  const sizes = String(values.sizes ?? "100000,1000000")
    .split(",")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const dir = mkdtempSync(path.join(os.tmpdir(), "ecd-bench-io-"));
  const results: { n: number; imp: Measurement; exp: Measurement }[] = [];
  try {
    for (const n of sizes) {
      const seeds = path.join(dir, `seeds-${n}.jsonl`);
      const dbFile = path.join(dir, `io-${n}.db`);
      child(["generate", String(n), seeds]);
      child(["prepare-import", dbFile]);
      const imp = child(["import", seeds, dbFile])!;
      child(["pairs", dbFile]);
      const exp = child(["export", dbFile, path.join(dir, `pairs-${n}.jsonl`)])!;
      if (imp.count !== n || exp.count !== n)
        throw new Error(`expected ${n} seeds and pairs, got ${imp.count} and ${exp.count}`);
      results.push({ n, imp, exp });
      const suffix = n === 1_000_000 ? "" : `_${n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : n}`;
      const fileMb = (statSync(seeds).size / 1024 / 1024).toFixed(0);
      console.log(`import_seeds_per_s${suffix}: ${Math.round(n / imp.seconds)} seeds/s`);
      console.log(`import_rss_mb${suffix}: ${Math.round(imp.maxRssMb)} MB`);
      if (imp.cpuSeconds) console.log(`import_seeds_per_cpu_s${suffix}: ${Math.round(n / imp.cpuSeconds)} seeds/s`);
      console.log(`export_pairs_per_s${suffix}: ${Math.round(n / exp.seconds)} pairs/s`);
      console.log(`export_rss_mb${suffix}: ${Math.round(exp.maxRssMb)} MB`);
      if (exp.cpuSeconds) console.log(`export_pairs_per_cpu_s${suffix}: ${Math.round(n / exp.cpuSeconds)} pairs/s`);
      console.log(
        `# ${n} seeds: ${fileMb} MB of JSON Lines imported in ${imp.seconds.toFixed(1)} s; ${((exp.bytes ?? 0) / 1024 / 1024).toFixed(0)} MB exported in ${exp.seconds.toFixed(1)} s`,
      );
      rmSync(seeds, { force: true });
      rmSync(path.join(dir, `pairs-${n}.jsonl`), { force: true });
      // --keep leaves the database, to profile the export again: `node --import tsx bench/io.ts --child export DB OUT`.
      if (!values.keep) for (const suffixFile of ["", "-wal", "-shm"]) rmSync(dbFile + suffixFile, { force: true });
    }
    if (results.length >= 2) {
      const [small, large] = [results[0]!, results[results.length - 1]!];
      console.log(
        `import_rss_ratio: ${(large.imp.maxRssMb / small.imp.maxRssMb).toFixed(2)} x (${large.n} vs ${small.n} seeds; 1.00 = flat)`,
      );
      console.log(
        `export_rss_ratio: ${(large.exp.maxRssMb / small.exp.maxRssMb).toFixed(2)} x (${large.n} vs ${small.n} pairs; 1.00 = flat)`,
      );
    }
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`# kept ${dir}`);
  }
}

await main();
