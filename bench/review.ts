/**
 * Review benchmarks: `npx tsx bench/review.ts` (or `npm run bench:review`).
 *
 * - pairs_query_ms_p95_100k / _1m: server time of the pairs table's query (lib/review listPairs:
 *   the keyset page, its row details and the counters) for a filtered, sorted page of 50 —
 *   status pending + method ecd, sorted by depth (descending) — over the first 50 pages of that
 *   result, walked with cursors, in a temp SQLite database holding 100,000 then 1,000,000 pairs.
 *   Other shapes are printed as extra lines: the same query entered from a cursor halfway through
 *   (deep), constraint id, chosen verification outcome, reviewer, id-sorted pages, text search
 *   (words, through the full-text indexes of lib/db/search-sql.ts: FTS5, filled by triggers as rows are grown).
 * - overview_ms_p95_100k / _1m: server time of the review part of the dataset overview (progress
 *   from the pair counters, everything else from the figures the review-stats job stored), p95
 *   of 20; review_stats_job_s_*: that job's work (breakdowns, agreement with bootstrap intervals,
 *   speed, chart series), which runs in the background.
 * - review_next_ms_p95: keypress to the next pair fully rendered (its DOM committed, then the
 *   next frame), measured in Chromium with the keydown event's own timestamp, over 50 skip
 *   decisions against a production server on the 100,000-pair database. The reviewer takes a
 *   moment per pair, so the next three pairs are already prefetched (as on a real screen).
 * - review_next_unprefetched_ms_p95: the same when the key is pressed again before the prefetch
 *   arrived (the screen waits for decide + claim + load): 20 decisions.
 * - tree_open_ms_1000_nodes: navigation to a seed's evolution tree page of 1,000 nodes (ten
 *   levels, two branches, four jobs) until the tree is in the DOM, median of 5.
 * - review_next_ms_p95_blind: review_next_ms_p95 with the dataset in blind A/B mode (the redacted
 *   view, the A/B panel, `1` votes A better), 50 votes.
 *
 * BENCH_DB=postgres: the query figures (pairs_query_*, review_stats_job_s_*, overview_ms_p95_*) on a
 * throwaway PostgreSQL server (test/postgres.ts), the same rows written with multi-row INSERTs; the
 * browser figures stay on SQLite.
 *
 * Environment: CHROMIUM_PATH (default `command -v chromium`), BENCH_PORT (3290), BENCH_KEEP=1
 * keeps the temp folder, BENCH_ONLY=query skips the browser part. Builds into .next-review when there is no build there.
 */
import { spawn, execSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { chromium } from "@playwright/test";
import { createUser } from "../lib/auth/users.ts";
import { createDb, type Db } from "../lib/db/client.ts";
import { migrateDeploy } from "../lib/db/migrate.ts";
import { encodeCursor, listPairs, pairQuerySchema, type PairQuery } from "../lib/review/query.ts";
import { computeReviewStats, reviewOverview, storeReviewStats } from "../lib/review/stats.ts";
import { type PostgresServer, startPostgres } from "../test/postgres.ts";

const PORT = Number(process.env.BENCH_PORT ?? 3290);
const DIST = ".next-review";
const EMAIL = "bench@bench.test";
const PASSWORD = "bench-password-1";

const dir = mkdtempSync(path.join(tmpdir(), "ecd-bench-review-"));
const file = path.join(dir, "ecd.db");
const ON_POSTGRES = process.env.BENCH_DB === "postgres";
let url = `file:${file}`;
let postgres: PostgresServer | undefined;

function log(line: string) {
  process.stderr.write(`[bench/review] ${line}\n`);
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

// ------------------------------------------------------------------------------------------------
// Data: chains seed → d1 → d2 → d3 → d4, two pairs on each evolved node (chosen: a response to the
// node, rejected: the parent's response), inserted straight with better-sqlite3 for speed.
// ------------------------------------------------------------------------------------------------

const CONSTRAINTS = [
  { kind: "verifiable", id: "punctuation:no_comma", kwargs: {}, text: "Do not use any commas." },
  { kind: "verifiable", id: "change_case:english_lowercase", kwargs: {}, text: "Write in lowercase only." },
  {
    kind: "verifiable",
    id: "length_constraints:number_words",
    kwargs: { relation: "at least", num_words: 20 },
    text: "Use at least 20 words.",
  },
  { kind: "verifiable", id: "keywords:existence", kwargs: { keywords: ["river"] }, text: "Mention the word river." },
  {
    kind: "verifiable",
    id: "startend:end_checker",
    kwargs: { end_phrase: "Any other questions?" },
    text: "End with 'Any other questions?'.",
  },
  {
    kind: "verifiable",
    id: "detectable_content:postscript",
    kwargs: { postscript_marker: "P.S." },
    text: "Add a postscript starting with P.S.",
  },
  { kind: "free", text: "Keep a friendly tone." },
  {
    kind: "verifiable",
    id: "detectable_format:title",
    kwargs: {},
    text: "Give it a title in double angular brackets.",
  },
] as const;
const WORDS =
  "the a calm river flows past old trees while birds sing and people walk slowly near quiet houses under grey skies every morning".split(
    " ",
  );
const STATUSES = [
  ["pending", 0.6],
  ["accepted", 0.25],
  ["rejected", 0.1],
  ["edited", 0.05],
] as const;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Columns written per table; ids are assigned here (the database is the bench's own), so rows can be sent in bulk. */
const COLUMNS = {
  Seed: ["id", "datasetId", "instruction", "contentHash", "source", "metadata", "createdAt"],
  Node: [
    "id",
    "datasetId",
    "seedId",
    "parentId",
    "depth",
    "instruction",
    "constraints",
    "operation",
    "status",
    "createdAt",
  ],
  Response: ["id", "nodeId", "text", "role", "provider", "model", "verification", "createdAt"],
  Pair: [
    "id",
    "datasetId",
    "nodeId",
    "chosenId",
    "rejectedId",
    "method",
    "status",
    "version",
    "depth",
    "reviewCount",
    "hardNegative",
    "constraintIds",
    "metadata",
    "createdAt",
    "updatedAt",
  ],
  Review: ["pairId", "userId", "decision", "pairVersion", "shownAt", "decidedAt", "durationMs"],
} as const;
type Table = keyof typeof COLUMNS;
type Value = string | number | boolean | null;
type Rows = Record<Table, Value[][]>;

/** Where grown rows go: the SQLite file or the PostgreSQL database, in one transaction per batch. */
interface RowWriter {
  count(sql: string, args: Value[]): Promise<number>;
  write(rows: Rows): Promise<void>;
  /** Adds to the dataset's PairCount rows, then makes the data ready for queries. */
  finish(datasetId: number, counts: Record<string, number>): Promise<void>;
  close(): Promise<void>;
}

const insertSql = (table: Table) => `INSERT INTO "${table}" (${COLUMNS[table].map((c) => `"${c}"`).join(",")}) VALUES `;
const PAIR_COUNT_SQL = `INSERT INTO "PairCount" ("datasetId","status","count") VALUES ($1,$2,$3) ON CONFLICT ("datasetId","status") DO UPDATE SET "count" = "PairCount"."count" + excluded."count"`;

function sqliteWriter(): RowWriter {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  const statements = Object.fromEntries(
    (Object.keys(COLUMNS) as Table[]).map((table) => [
      table,
      sqlite.prepare(insertSql(table) + `(${COLUMNS[table].map(() => "?").join(",")})`),
    ]),
  ) as Record<Table, Database.Statement>;
  // better-sqlite3 binds no booleans; SQLite stores them as 0/1, as Prisma does.
  const bind = (row: Value[]) => row.map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v));
  const writeAll = sqlite.transaction((rows: Rows) => {
    for (const table of Object.keys(COLUMNS) as Table[])
      for (const row of rows[table]) statements[table].run(bind(row));
  });
  return {
    count: async (sql, args) => Number((sqlite.prepare(sql.replace(/\$\d+/g, "?")).get(args) as { n: number }).n),
    write: async (rows) => writeAll(rows),
    async finish(datasetId, counts) {
      const add = sqlite.prepare(PAIR_COUNT_SQL.replace(/\$\d+/g, "?"));
      sqlite.transaction(() => {
        for (const [status, n] of Object.entries(counts)) add.run(datasetId, status, n);
      })();
      sqlite.pragma("wal_checkpoint(TRUNCATE)");
    },
    close: async () => void sqlite.close(),
  };
}

/** Multi-row INSERTs of 1,000 rows (under PostgreSQL's 65,535 parameters), ids given, sequences moved on after. */
async function postgresWriter(connectionString: string): Promise<RowWriter> {
  const client = new pg.Client({ connectionString });
  // An idle client's connection error (the bench's server stopping) would otherwise crash the
  // process as an unhandled 'error' event; a query after it still fails with the cause.
  client.on("error", (error) => console.error(`bench: PostgreSQL connection: ${error.message}`));
  await client.connect();
  const ROWS = 1_000;
  return {
    count: async (sql, args) => Number((await client.query<{ n: string }>(sql, args)).rows[0]!.n),
    async write(rows) {
      await client.query("BEGIN");
      for (const table of Object.keys(COLUMNS) as Table[]) {
        const width = COLUMNS[table].length;
        for (let i = 0; i < rows[table].length; i += ROWS) {
          const chunk = rows[table].slice(i, i + ROWS);
          const values = chunk.map((_, r) => `(${COLUMNS[table].map((__, c) => `$${r * width + c + 1}`).join(",")})`);
          await client.query(insertSql(table) + values.join(","), chunk.flat());
        }
      }
      await client.query("COMMIT");
    },
    async finish(datasetId, counts) {
      for (const [status, n] of Object.entries(counts)) await client.query(PAIR_COUNT_SQL, [datasetId, status, n]);
      for (const table of Object.keys(COLUMNS))
        await client.query(
          `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT MAX("id") FROM "${table}"))`,
        );
      await client.query("ANALYZE");
    },
    close: () => client.end(),
  };
}

async function grow(writer: RowWriter, datasetId: number, reviewerId: number, target: number) {
  const have = await writer.count(`SELECT COUNT(*) AS n FROM "Pair" WHERE "datasetId" = $1`, [datasetId]);
  const random = rng(have + 17);
  const nextId = { Seed: 0, Node: 0, Response: 0, Pair: 0 };
  for (const table of Object.keys(nextId) as (keyof typeof nextId)[])
    nextId[table] = (await writer.count(`SELECT COALESCE(MAX("id"), 0) AS n FROM "${table}"`, [])) + 1;
  const counts: Record<string, number> = { pending: 0, accepted: 0, rejected: 0, edited: 0 };
  const text = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");
  let made = have;
  const now = iso(new Date());
  const batch = (groups: number): Rows => {
    const rows: Rows = { Seed: [], Node: [], Response: [], Pair: [], Review: [] };
    for (let g = 0; g < groups && made < target; g += 1) {
      const seedText = `Seed ${made}: write about ${text(6)}.`;
      const seedId = nextId.Seed++;
      rows.Seed.push([seedId, datasetId, seedText, `h${made}-${random()}`, "plain", "{}", now]);
      let parentId: number | null = null;
      let parentResponses: number[] = [];
      let instruction = seedText;
      const constraints: (typeof CONSTRAINTS)[number][] = [];
      const pool = [...CONSTRAINTS].sort(() => random() - 0.5);
      const method = random() < 0.7 ? "ecd" : "c2s";
      for (let depth = 0; depth <= 4 && made < target; depth += 1) {
        if (depth > 0) {
          const added = pool[depth - 1]!;
          constraints.push(added);
          instruction = `${instruction} ${added.text}`;
        }
        const nodeId = nextId.Node++;
        rows.Node.push([
          nodeId,
          datasetId,
          seedId,
          parentId,
          depth,
          instruction,
          JSON.stringify(constraints),
          depth ? "add_verifiable_constraint" : null,
          "kept",
          now,
        ]);
        const responses: number[] = [];
        for (let r = 0; r < 2; r += 1) {
          const verification = constraints.map((c, index) => ({
            constraintIndex: index,
            ...(c.kind === "verifiable" ? { id: c.id } : {}),
            passed: random() < 0.8,
            by: c.kind === "free" ? "judge" : "code",
          }));
          const responseId = nextId.Response++;
          rows.Response.push([
            responseId,
            nodeId,
            text(25 + Math.floor(random() * 30)),
            "responder",
            "openai",
            "gpt-4o-mini",
            JSON.stringify(verification),
            now,
          ]);
          responses.push(responseId);
        }
        if (depth > 0) {
          const ids = [...new Set(constraints.flatMap((c) => (c.kind === "verifiable" ? [c.id] : [])))].join(" ");
          for (let j = 0; j < 2 && made < target; j += 1) {
            const x = random();
            let acc = 0;
            const status = STATUSES.find(([, share]) => (acc += share) > x)?.[0] ?? "pending";
            const decided = status !== "pending";
            const pairId = nextId.Pair++;
            rows.Pair.push([
              pairId,
              datasetId,
              nodeId,
              responses[j]!,
              parentResponses[j]!,
              method,
              status,
              decided ? 2 : 1,
              depth,
              decided ? 1 : 0,
              random() < 0.7,
              ids,
              "{}",
              now,
              now,
            ]);
            if (decided)
              rows.Review.push([
                pairId,
                reviewerId,
                status === "rejected" ? "reject" : status === "edited" ? "edit" : "accept",
                1,
                now,
                now,
                3000,
              ]);
            counts[status]! += 1;
            made += 1;
          }
        }
        parentId = nodeId;
        parentResponses = responses;
      }
    }
    return rows;
  };
  while (made < target) await writer.write(batch(2_000));
  await writer.finish(datasetId, counts);
}

// ------------------------------------------------------------------------------------------------
// Pairs query
// ------------------------------------------------------------------------------------------------

async function timePages(db: Db, datasetId: number, input: Record<string, unknown>, pages: number): Promise<number[]> {
  const samples: number[] = [];
  let query: PairQuery = pairQuerySchema.parse({ size: 50, ...input });
  for (let i = 0; i < pages; i += 1) {
    const started = performance.now();
    const page = await listPairs(db, datasetId, query);
    samples.push(performance.now() - started);
    if (!page.nextCursor) query = pairQuerySchema.parse({ size: 50, ...input });
    else query = { ...query, after: page.nextCursor };
  }
  return samples;
}

async function queryFigures(db: Db, datasetId: number, reviewerId: number, suffix: string) {
  const headline = { status: "pending", method: "ecd", sort: "depth", dir: "desc" };
  await timePages(db, datasetId, headline, 5); // warm-up
  const main = await timePages(db, datasetId, headline, 50);
  console.log(`pairs_query_ms_p95_${suffix}: ${p95(main).toFixed(1)} ms`);
  const maxId = (await db.pair.aggregate({ where: { datasetId }, _max: { id: true } }))._max.id ?? 1;
  const extras: [string, Record<string, unknown>, number][] = [
    // The headline query entered halfway through (a cursor in the middle of the depth-3 group).
    ["deep", { ...headline, after: encodeCursor(3, Math.floor(maxId / 2)) }, 20],
    ["cid", { cid: "keywords:existence", status: "pending", sort: "id" }, 20],
    ["chosen_fail", { chosen: "fail", method: "c2s", sort: "depth", dir: "asc" }, 20],
    ["reviewer", { reviewer: String(reviewerId), status: "accepted" }, 20],
    ["id_deep", { sort: "id", dir: "asc" }, 50],
    ["text", { q: "zebra" }, 3],
  ];
  for (const [name, input, pages] of extras) {
    const samples = await timePages(db, datasetId, input, pages);
    console.log(`pairs_query_ms_p95_${suffix}_${name}: ${p95(samples).toFixed(1)} ms`);
  }
  // The review-stats job's work (off the request path), then the overview reading its stored figures.
  let started = performance.now();
  await storeReviewStats(db, datasetId, await computeReviewStats(db, datasetId));
  console.log(`review_stats_job_s_${suffix}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const overview: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    started = performance.now();
    await reviewOverview(db, datasetId);
    overview.push(performance.now() - started);
  }
  console.log(`overview_ms_p95_${suffix}: ${p95(overview).toFixed(1)} ms`);
}

// ------------------------------------------------------------------------------------------------
// Review screen in Chromium against a production server
// ------------------------------------------------------------------------------------------------

async function waitForServer(base: string, child: ChildProcess) {
  for (let i = 0; i < 240; i += 1) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/signin`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("server did not start");
}

/** A seed with `count` nodes: each level doubles, children spread over four jobs. */
async function growTree(db: Db, datasetId: number, count: number): Promise<number> {
  const jobs: number[] = [];
  for (let i = 0; i < 4; i += 1)
    jobs.push((await db.job.create({ data: { datasetId, params: {}, models: {}, status: "done" } })).id);
  const seed = await db.seed.create({
    data: {
      datasetId,
      instruction: "Describe a lighthouse.",
      contentHash: `bench-tree-${Date.now()}`,
      source: "bench",
      metadata: {},
    },
  });
  let level = [
    await db.node.create({
      data: { datasetId, seedId: seed.id, depth: 0, instruction: "Describe a lighthouse.", constraints: [] },
    }),
  ];
  let made = 1;
  for (let depth = 1; made < count; depth += 1) {
    const rows = level.flatMap((parent, i) =>
      [0, 1].map((branch) => ({
        datasetId,
        seedId: seed.id,
        parentId: parent.id,
        depth,
        instruction: `${parent.instruction} Requirement ${depth}.${branch}.`,
        constraints: [],
        operation: "add_verifiable_constraint",
        status: (i + branch) % 7 === 0 ? "dropped" : "kept",
        dropCode: (i + branch) % 7 === 0 ? "equal_to_parent" : null,
        jobId: jobs[(i + branch) % jobs.length]!,
      })),
    );
    level = await db.node.createManyAndReturn({ data: rows.slice(0, count - made) });
    made += level.length;
  }
  return seed.id;
}

async function reviewFigures(datasetId: number, treeSeedId: number) {
  if (!existsSync(path.join(DIST, "BUILD_ID"))) {
    log(`building into ${DIST}…`);
    execSync("npx next build", { stdio: "inherit", env: { ...process.env, NEXT_DIST_DIR: DIST } });
  }
  const base = `http://localhost:${PORT}`;
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
    env: {
      ...process.env,
      NEXT_DIST_DIR: DIST,
      DATABASE_URL: url,
      ECD_DATA_DIR: dir,
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret",
      PORT: String(PORT),
      NODE_ENV: "production",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const executablePath =
    process.env.CHROMIUM_PATH ||
    execSync("command -v chromium || command -v chromium-browser", { encoding: "utf8", shell: "/bin/sh" }).trim();
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  try {
    await waitForServer(base, server);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/signin`);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("current-user").waitFor();
    await page.goto(`${base}/datasets/${datasetId}/review`);
    const screen = page.getByTestId("review-screen");
    await screen.waitFor();

    // `s` (skip) takes the path of every decision: the vote is written, the next prefetched pair
    // shows. (`a` would stop at the override question on the pairs whose chosen response fails a
    // check, which the bench's data has on purpose.)
    const measure = async (waitForPrefetch: boolean, key = "s"): Promise<number> => {
      if (waitForPrefetch) {
        await page.waitForFunction(
          () => document.querySelector("[data-testid=review-screen]")?.getAttribute("data-prefetched") === "3",
          undefined,
          { timeout: 30_000 },
        );
        await page.waitForTimeout(150); // the reviewer reads the pair
      } else {
        await page.waitForFunction(
          () => /\d/.test(document.querySelector("[data-testid=review-screen]")?.getAttribute("data-pair-id") ?? ""),
          undefined,
          { timeout: 30_000 },
        );
      }
      await page.evaluate(() => {
        const w = window as unknown as { __bench?: Promise<number> };
        const root = document.querySelector("[data-testid=review-screen]")!;
        const before = root.getAttribute("data-pair-id");
        w.__bench = new Promise<number>((resolve, reject) => {
          // A key that moved nothing fails the bench instead of hanging it.
          setTimeout(() => reject(new Error(`pair ${before} still shown 30 s after the key`)), 30_000);
          let keyAt = 0;
          window.addEventListener("keydown", (e) => (keyAt = e.timeStamp), { capture: true, once: true });
          const observer = new MutationObserver(() => {
            const now = root.getAttribute("data-pair-id");
            if (now && now !== before) {
              observer.disconnect();
              // Committed; the pair is on screen with the next frame.
              requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - keyAt), 0));
            }
          });
          observer.observe(root, { attributes: true, attributeFilter: ["data-pair-id"] });
        });
      });
      await page.keyboard.press(key);
      return page.evaluate(() => (window as unknown as { __bench: Promise<number> }).__bench);
    };

    for (let i = 0; i < 3; i += 1) await measure(true); // warm-up
    const warm: number[] = [];
    for (let i = 0; i < 50; i += 1) warm.push(await measure(true));
    console.log(`review_next_ms_p95: ${p95(warm).toFixed(1)} ms`);
    const cold: number[] = [];
    for (let i = 0; i < 20; i += 1) cold.push(await measure(false));
    console.log(`review_next_unprefetched_ms_p95: ${p95(cold).toFixed(1)} ms`);

    const tree: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const started = performance.now();
      await page.goto(`${base}/datasets/${datasetId}/trees/${treeSeedId}`);
      await page.getByRole("tree", { name: "Evolution tree" }).waitFor();
      if (i) tree.push(performance.now() - started); // the first run warms the route
    }
    console.log(`tree_open_ms_1000_nodes: ${tree.sort((a, b) => a - b)[2]!.toFixed(0)} ms`);
    // Blind A/B mode: the redacted view and the A/B panel; `1` votes A better.
    const settingsDb = createDb(url);
    await settingsDb.dataset.update({
      where: { id: datasetId },
      data: { settings: { reviewsPerPair: 1, blind: true, mode: "ab" } },
    });
    await settingsDb.$disconnect();
    await page.goto(`${base}/datasets/${datasetId}/review`);
    await page.getByTestId("ab-vote-panel").waitFor();
    for (let i = 0; i < 3; i += 1) await measure(true, "1"); // warm-up
    const blind: number[] = [];
    for (let i = 0; i < 50; i += 1) blind.push(await measure(true, "1"));
    console.log(`review_next_ms_p95_blind: ${p95(blind).toFixed(1)} ms`);
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ------------------------------------------------------------------------------------------------

async function main() {
  if (ON_POSTGRES) {
    postgres = await startPostgres();
    postgres.psql(`CREATE DATABASE "bench"`);
    url = postgres.url("bench");
    process.env.DATABASE_URL = url; // the app's SQL picks its dialect from it
    log(`temp PostgreSQL database ${url}`);
  } else log(`temp database ${file}`);
  await migrateDeploy(url);
  const db = createDb(url);
  const user = await createUser(db, { email: EMAIL, password: PASSWORD, role: "admin" }, null);
  const dataset = await db.dataset.create({ data: { name: "Bench", settings: { reviewsPerPair: 1 } } });
  const treeSeedId = await growTree(db, dataset.id, 1000);
  await db.$disconnect();
  const writer = ON_POSTGRES ? await postgresWriter(url) : sqliteWriter();

  let started = performance.now();
  await grow(writer, dataset.id, user.id, 100_000);
  log(`100,000 pairs written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  let client = createDb(url);
  await queryFigures(client, dataset.id, user.id, "100k");
  await client.$disconnect();

  // The browser figures run against SQLite only (the server's own default).
  if (process.env.BENCH_ONLY !== "query" && !ON_POSTGRES) await reviewFigures(dataset.id, treeSeedId);

  started = performance.now();
  await grow(writer, dataset.id, user.id, 1_000_000);
  log(`1,000,000 pairs written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await writer.close();
  client = createDb(url);
  await queryFigures(client, dataset.id, user.id, "1m");
  await client.$disconnect();
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench/review failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    postgres?.stop();
    if (process.env.BENCH_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
  });
