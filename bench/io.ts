/**
 * Import/export throughput and memory: `npx tsx bench/io.ts` (or `npm run bench:io`).
 *
 * Measures what a user runs: the compiled CLI (`node dist/cli/ecd.mjs`, as `npm run ecd` runs it;
 * rebuilt first when stale), one process per measurement, timed from spawn to exit. Its CPU time
 * (user + system) and peak resident memory come from the process itself (process.resourceUsage()
 * at exit, through a one-line --import hook). Until 2026-12-07 this bench called importSeeds and
 * the export in-process under tsx, whose compiler alone held ~100 MB more resident memory.
 *
 * For 100,000 and 1,000,000 generated seeds, into a temporary SQLite file:
 * - import_seeds_per_s / import_rss_mb: `ecd import FILE --dataset bench` of a generated Alpaca
 *   JSON Lines file (every line a seed + its depth-0 node, full-text indexed and checked for
 *   decontamination) into a database migrated beforehand by another process (as after
 *   `ecd db migrate`); import_seeds_per_cpu_s gives the rate per CPU second, since the machine may
 *   be shared;
 * - export_pairs_per_s / export_rss_mb: `ecd export --format trl-dpo --status all --out FILE.jsonl`
 *   of one pair per node (10% of them edited by a reviewer): the whole bundle (data file,
 *   metadata.jsonl, dataset card, manifest with sha256s) written under ECD_EXPORT_DIR, recorded,
 *   and copied to FILE. The `#` line gives the data file's sha256 (same data, same bytes).
 * Flat memory means the 100k and 1M figures are about equal (the *_rss_ratio lines). Figures for
 * 1M have no suffix; for 100k they end in _100k.
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
import { createWriteStream, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

/** cpuSeconds: the process's user + system CPU time over the measurement (the machine may be shared). */
type Measurement = {
  seconds: number;
  count: number;
  maxRssMb: number;
  bytes?: number;
  cpuSeconds?: number;
  /** The exported data file's sha256 (the same data must give the same bytes, before and after a change). */
  sha256?: string;
};

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

/**
 * Runs the compiled CLI (`node dist/cli/ecd.mjs …`, what `npm run ecd` runs) in a process of its own
 * against `dbFile`, and measures that whole process: wall time from spawn to exit, and its CPU time
 * and peak resident memory, reported at exit by a one-line `--import` hook (nothing else loaded).
 */
function runCli(args: string[], dbFile: string, env: Record<string, string> = {}): Measurement & { stdout: string } {
  const hook = `data:text/javascript,${encodeURIComponent(
    'import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.resourceUsage();writeSync(2,"\\n"+JSON.stringify({ecdBenchUsage:{cpuSeconds:(u.userCPUTime+u.systemCPUTime)/1e6,maxRssMb:u.maxRSS/1024}})+"\\n")})',
  )}`;
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["--import", hook, path.join(root, "dist/cli/ecd.mjs"), ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, ...env },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`ecd ${args[0]} failed (${run.status}):\n${run.stderr}`);
  const usageLine = run.stderr.split("\n").find((line) => line.startsWith('{"ecdBenchUsage"'));
  if (!usageLine) throw new Error(`ecd ${args[0]}: no usage line\n${run.stderr}`);
  const usage = (JSON.parse(usageLine) as { ecdBenchUsage: { cpuSeconds: number; maxRssMb: number } }).ecdBenchUsage;
  return { seconds, count: 0, ...usage, stdout: run.stdout };
}

/** `ecd import FILE --dataset bench --json` into a database migrated beforehand (as after `ecd db migrate`). */
function runImport(file: string, dbFile: string): Measurement {
  const run = runCli(["import", file, "--dataset", "bench", "--json"], dbFile);
  const report = JSON.parse(run.stdout) as { imported: number; skipped: number; duplicates: number };
  if (report.skipped || report.duplicates)
    throw new Error(`unexpected: ${report.skipped} skipped, ${report.duplicates} duplicates`);
  return { ...run, count: report.imported };
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

/** `ecd export --dataset bench --format trl-dpo --status all --out FILE.jsonl --json`: the whole bundle, copied to FILE. */
function runExportBench(dbFile: string, out: string): Measurement {
  const run = runCli(
    ["export", "--dataset", "bench", "--format", "trl-dpo", "--status", "all", "--out", out, "--json"],
    dbFile,
    { ECD_EXPORT_DIR: path.join(path.dirname(out), "exports") },
  );
  const manifest = JSON.parse(run.stdout) as { counts: { pairs: number }; byteSize: number; sha256: string };
  return { ...run, count: manifest.counts.pairs, bytes: manifest.byteSize, sha256: manifest.sha256 };
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

/** A preparation step (not timed) in a process of its own under tsx. */
function child(args: string[]): void {
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(here, "io.ts"), "--child", ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) {
    process.stderr.write(`bench/io: ${args[0]} failed\n${run.stderr}\n`);
    process.exit(1);
  }
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
    if (what === "generate") await generate(Number(a), b!);
    else if (what === "prepare-import") await prepareImport(a!);
    else if (what === "pairs") await preparePairs(a!);
    else throw new Error(`unknown child step ${what}`);
    return;
  }

  const decontamN = Number(values.decontam ?? 1_000_000);
  if (decontamN > 0) await decontamBench(decontamN);
  if (values["decontam-only"]) return;

  const sizes = String(values.sizes ?? "100000,1000000")
    .split(",")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  // The CLI compiled from the current sources (scripts/ecd.mjs rebuilds it when stale; not timed).
  const build = spawnSync(process.execPath, [path.join(root, "scripts/ecd.mjs"), "--help"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`building the CLI failed:\n${build.stderr}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "ecd-bench-io-"));
  const results: { n: number; imp: Measurement; exp: Measurement }[] = [];
  try {
    for (const n of sizes) {
      const seeds = path.join(dir, `seeds-${n}.jsonl`);
      const dbFile = path.join(dir, `io-${n}.db`);
      child(["generate", String(n), seeds]);
      child(["prepare-import", dbFile]);
      const imp = runImport(seeds, dbFile);
      child(["pairs", dbFile]);
      const exp = runExportBench(dbFile, path.join(dir, `pairs-${n}.jsonl`));
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
        `# ${n} seeds: ${fileMb} MB of JSON Lines imported in ${imp.seconds.toFixed(1)} s (${imp.cpuSeconds?.toFixed(1)} CPU s); ${((exp.bytes ?? 0) / 1024 / 1024).toFixed(0)} MB exported in ${exp.seconds.toFixed(1)} s (${exp.cpuSeconds?.toFixed(1)} CPU s), data sha256 ${exp.sha256}`,
      );
      rmSync(seeds, { force: true });
      for (const name of readdirSync(dir))
        if (name.startsWith(`pairs-${n}.`)) rmSync(path.join(dir, name), { force: true });
      rmSync(path.join(dir, "exports"), { recursive: true, force: true });
      // --keep leaves the database, to profile the export again: `DATABASE_URL=file:DB node --cpu-prof dist/cli/ecd.mjs export …`.
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
