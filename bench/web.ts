/**
 * The web server while a job runs: `npx tsx bench/web.ts` (or `npm run bench:web`).
 *
 * A production server (`next start`, with its worker child, as `npm start` runs it) on a temporary
 * SQLite database. The "Demo" dataset it makes on first start, grown by a rule-based job over
 * BENCH_READ_SEEDS more seeds (default 1,000) that runs to its end before anything is measured, is
 * what the clients read. Then, twice, for BENCH_SECONDS (default 30) each:
 * - no job: 20 signed-in clients (BENCH_CLIENTS), each loading the review screen, the pairs table
 *   and the dataset overview in turn, with 1 s between its requests (the time to the last byte of
 *   each page is measured);
 * - during a job: the same load while a rule-based ECD job over BENCH_JOB_SEEDS seeds (default
 *   30,000, in another dataset) runs in the server's worker child; it is cancelled afterwards. The
 *   bench fails when the job did not run through the whole window.
 * Prints web_p95_ms_no_job, web_p95_ms_during_job and their ratio (the targets: under
 * 300 ms, and no worse than 1.5× without the job), p50s, request counts, the pairs the job made
 * while measured, and each page's p95 during the job.
 *
 * Clients hold real sessions (a Session row and a signed session cookie, as after sign-in;
 * signing in 20 accounts through the form would only measure the sign-in limiter).
 * web_server_cpu_ms_per_request_* and web_server_cpu_share_* give the server process's CPU time
 * during each window, per request and per second (1 = one core busy): what the load really costs;
 * web_client_cpu_share_* the same for this process, where the clients run.
 * Before the load, each page (and the signed-out /signin) is requested BENCH_CPU_REQUESTS times in
 * a row (default 30) and the server process's CPU time (user+sys, from /proc) per request is printed
 * as web_cpu_ms_per_request_<page>: the cost the load multiplies.
 * Environment: BENCH_PORT (3295), BENCH_KEEP=1 keeps the temp folder, BENCH_CPU_PROF=DIR runs the
 * server (not its worker child) under `node --cpu-prof` into DIR. Builds into .next-web when there
 * is no build there (delete it after changing the app).
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { startSession, SESSION_MAX_AGE_SECONDS } from "../lib/auth/sessions.ts";
import { createUser } from "../lib/auth/users.ts";
import { createDb, type Db } from "../lib/db/client.ts";
import { createDataset } from "../lib/datasets/index.ts";
import { importSeeds } from "../lib/io/index.ts";
import { cancelJob, getJob, isFinished, startJob } from "../lib/jobs/index.ts";
import { processCpuMs } from "./process-cpu.ts";

const PORT = Number(process.env.BENCH_PORT ?? 3295);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const READ_SEEDS = Number(process.env.BENCH_READ_SEEDS ?? 1000);
const JOB_SEEDS = Number(process.env.BENCH_JOB_SEEDS ?? 30_000);
const CPU_REQUESTS = Number(process.env.BENCH_CPU_REQUESTS ?? 30);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const THINK_MS = 1000;
const DIST = ".next-web";
const SECRET = "bench-web-secret-bench-web-secret";
const ADMIN = { email: "admin@bench.test", password: "bench-admin-password-1" };
const RULE_BASED = { provider: "rule-based" };
const MODELS = { evolver: RULE_BASED, responder: RULE_BASED, judge: RULE_BASED };

const dir = mkdtempSync(path.join(tmpdir(), "ecd-bench-web-"));
const url = `file:${path.join(dir, "ecd.db")}`;
const base = `http://localhost:${PORT}`;

const log = (line: string) => process.stderr.write(`[bench/web] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] ?? NaN;
}

/** Seeds as an Alpaca JSON Lines file, each with a reference answer the rule-based responder repairs. */
function seedsFile(n: number, tag: string): Buffer {
  const topics = ["the sea", "autumn", "trains", "bread", "mountains", "a library", "rain", "chess", "bees", "rivers"];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const topic = topics[i % topics.length];
    lines.push(
      JSON.stringify({
        instruction: `Write a short note about ${topic} for reader ${tag}-${i}.`,
        input: "",
        output: `Here is a short note about ${topic}. It is written for reader ${tag}-${i}, who asked for it, and it keeps to a few plain sentences about ${topic}.`,
      }),
    );
  }
  return Buffer.from(lines.join("\n") + "\n");
}

async function* bytes(buffer: Buffer) {
  yield new Uint8Array(buffer);
}

async function waitForServer(server: ChildProcess) {
  for (let i = 0; i < 480; i += 1) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/signin`)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(500);
  }
  throw new Error("the server did not start");
}

async function waitForJobs(db: Db, jobIds: readonly number[]) {
  for (;;) {
    const jobs = await Promise.all(jobIds.map((id) => getJob(db, id)));
    const failed = jobs.find((job) => isFinished(job.status) && job.status !== "succeeded");
    if (failed) throw new Error(`job ${failed.id} ended ${failed.status}`);
    if (jobs.every((job) => job.status === "succeeded")) return;
    await sleep(1000);
  }
}

/** A signed-in client's cookie: a Session row and the session token next-auth would have set. */
async function sessionCookie(db: Db, index: number): Promise<string> {
  const user = await createUser(
    db,
    {
      email: `client${index}@bench.test`,
      name: `Client ${index}`,
      password: `bench-client-password-${index}`,
      role: "admin",
    },
    null,
  );
  const sid = await startSession(db, user.id, 0);
  const token = await encode({
    token: { sub: String(user.id), sid, email: user.email, name: user.name },
    secret: SECRET,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  return `next-auth.session-token=${token}`;
}

/** A rule-based ECD job (2 rounds, 1 branch, 4 tasks at once) over every seed of a dataset. */
function ruleBasedEcd(db: Db, datasetId: number, actorId: number) {
  const params = { rounds: 2, branches: 1, concurrency: 4 };
  return startJob(db, { datasetId, pipeline: "ecd", params, models: MODELS, createdById: actorId });
}

/** The server's CPU time per request of one page, over CPU_REQUESTS requests one after another. */
async function cpuPerRequest(pid: number, path: string, cookie: string | null): Promise<number> {
  const before = processCpuMs(pid);
  for (let i = 0; i < CPU_REQUESTS; i += 1) {
    const res = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
    await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  return (processCpuMs(pid) - before) / CPU_REQUESTS;
}

type Sample = { page: string; ms: number };

/** CLIENTS clients for SECONDS: each loads the pages in turn, THINK_MS between its requests. */
async function load(cookies: readonly string[], pages: readonly { name: string; path: string }[]): Promise<Sample[]> {
  const samples: Sample[] = [];
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    cookies.map(async (cookie, client) => {
      await sleep((client * THINK_MS) / cookies.length); // spread the clients over the first second
      for (let i = client; Date.now() < until; i += 1) {
        const page = pages[i % pages.length]!;
        const started = performance.now();
        const res = await fetch(`${base}${page.path}`, { headers: { cookie }, redirect: "manual" });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${page.path} answered ${res.status}: ${body.slice(0, 200)}`);
        samples.push({ page: page.name, ms: performance.now() - started });
        await sleep(THINK_MS);
      }
    }),
  );
  return samples;
}

async function main() {
  const env = {
    ...process.env,
    NEXT_DIST_DIR: DIST,
    DATABASE_URL: url,
    ECD_DATA_DIR: dir,
    ECD_EXPORT_DIR: path.join(dir, "exports"),
    NEXTAUTH_URL: base,
    NEXTAUTH_SECRET: SECRET,
    ECD_ADMIN_EMAIL: ADMIN.email,
    ECD_ADMIN_PASSWORD: ADMIN.password,
    PORT: String(PORT),
    NODE_ENV: "production" as const,
  };
  if (!existsSync(path.join(DIST, "BUILD_ID"))) {
    log(`building into ${DIST}…`);
    execSync("node scripts/build-cli.mjs && npx next build", { stdio: "inherit", env });
  }
  // The server migrates the database, makes the first admin and the demo, and starts its worker child.
  const profile = CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(CPU_PROF)}`] : [];
  const next = ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)];
  const server = spawn(process.execPath, [...profile, ...next], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.env.DATABASE_URL = url;
  const db = createDb(url);
  let benchJobId: number | null = null;
  try {
    await waitForServer(server);
    const demo = await db.dataset.findFirst({ where: { name: "Demo" }, select: { id: true } });
    if (!demo) throw new Error("the server made no demo dataset");
    const admin = await db.user.findUniqueOrThrow({ where: { email: ADMIN.email }, select: { id: true } });
    const demoJobs = await db.job.findMany({ where: { datasetId: demo.id }, select: { id: true } });
    log(`waiting for the demo dataset's ${demoJobs.length} jobs…`);
    await waitForJobs(
      db,
      demoJobs.map((job) => job.id),
    );
    if (READ_SEEDS > 0) {
      await importSeeds(db, demo.id, bytes(seedsFile(READ_SEEDS, "read")), { format: "jsonl", shape: "alpaca" });
      const grow = await ruleBasedEcd(db, demo.id, admin.id);
      log(`growing the demo dataset by ${READ_SEEDS} seeds (job ${grow.id})…`);
      await waitForJobs(db, [grow.id]);
    }
    const pairs = await db.pair.count({ where: { datasetId: demo.id } });
    const other = await createDataset(db, { name: "Bench job" }, admin.id);
    await importSeeds(db, other.id, bytes(seedsFile(JOB_SEEDS, "job")), { format: "jsonl", shape: "alpaca" });

    const cookies = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => sessionCookie(db, i)));
    const pages = [
      { name: "review", path: `/datasets/${demo.id}/review` },
      { name: "pairs", path: `/datasets/${demo.id}/pairs` },
      { name: "overview", path: `/datasets/${demo.id}` },
    ];
    // Warm-up: every page compiled, caches filled.
    for (const page of pages)
      await fetch(`${base}${page.path}`, { headers: { cookie: cookies[0]! } }).then((r) => r.text());

    for (const page of [...pages, { name: "signin", path: "/signin" }]) {
      const cookie = page.name === "signin" ? null : cookies[0]!;
      const ms = await cpuPerRequest(server.pid!, page.path, cookie);
      console.log(`web_cpu_ms_per_request_${page.name}: ${ms.toFixed(1)} ms`);
    }

    log(`${CLIENTS} clients for ${SECONDS} s on ${pairs} pairs, no job…`);
    let cpu0 = processCpuMs(server.pid!);
    let clientCpu0 = process.cpuUsage();
    const idle = await load(cookies, pages);
    const idleCpuMs = processCpuMs(server.pid!) - cpu0;
    const idleClientCpu = process.cpuUsage(clientCpu0);

    const job = await ruleBasedEcd(db, other.id, admin.id);
    benchJobId = job.id;
    // Measure only once the worker child has the job in hand.
    for (let i = 0; (await db.pair.count({ where: { datasetId: other.id } })) === 0; i += 1) {
      if (i > 120) throw new Error("the job made no pair within a minute");
      await sleep(500);
    }
    const pairsBefore = await db.pair.count({ where: { datasetId: other.id } });
    log(`${CLIENTS} clients for ${SECONDS} s during job ${job.id}…`);
    cpu0 = processCpuMs(server.pid!);
    clientCpu0 = process.cpuUsage();
    const busy = await load(cookies, pages);
    const busyCpuMs = processCpuMs(server.pid!) - cpu0;
    const busyClientCpu = process.cpuUsage(clientCpu0);
    const pairsAfter = await db.pair.count({ where: { datasetId: other.id } });
    const status = (await getJob(db, job.id)).status;
    if (isFinished(status)) throw new Error(`the job ended (${status}) before the window did: raise BENCH_JOB_SEEDS`);

    const idleMs = idle.map((s) => s.ms);
    const busyMs = busy.map((s) => s.ms);
    const p95Idle = quantile(idleMs, 0.95);
    const p95Busy = quantile(busyMs, 0.95);
    console.log(`web_p95_ms_no_job: ${p95Idle.toFixed(1)} ms`);
    console.log(`web_p95_ms_during_job: ${p95Busy.toFixed(1)} ms`);
    console.log(`web_p95_ratio_during_job: ${(p95Busy / p95Idle).toFixed(2)} x`);
    console.log(`web_p50_ms_no_job: ${quantile(idleMs, 0.5).toFixed(1)} ms`);
    console.log(`web_p50_ms_during_job: ${quantile(busyMs, 0.5).toFixed(1)} ms`);
    console.log(`web_requests_no_job: ${idle.length} requests`);
    console.log(`web_requests_during_job: ${busy.length} requests`);
    console.log(`web_job_pairs_during_window: ${pairsAfter - pairsBefore} pairs`);
    // Under load, not one request at a time: how busy the server process was (1 = one core).
    console.log(`web_server_cpu_ms_per_request_no_job: ${(idleCpuMs / idle.length).toFixed(1)} ms`);
    console.log(`web_server_cpu_ms_per_request_during_job: ${(busyCpuMs / busy.length).toFixed(1)} ms`);
    console.log(`web_server_cpu_share_no_job: ${(idleCpuMs / 1000 / SECONDS).toFixed(2)} cores`);
    console.log(`web_server_cpu_share_during_job: ${(busyCpuMs / 1000 / SECONDS).toFixed(2)} cores`);
    // The clients run in this process: a busy client inflates the times it measures.
    const share = (usage: NodeJS.CpuUsage) => ((usage.user + usage.system) / 1e6 / SECONDS).toFixed(2);
    console.log(`web_client_cpu_share_no_job: ${share(idleClientCpu)} cores`);
    console.log(`web_client_cpu_share_during_job: ${share(busyClientCpu)} cores`);
    for (const page of pages) {
      const mine = busy.filter((s) => s.page === page.name).map((s) => s.ms);
      console.log(`web_p95_ms_during_job_${page.name}: ${quantile(mine, 0.95).toFixed(1)} ms`);
    }
  } finally {
    if (benchJobId !== null) await cancelJob(db, benchJobId, null).catch(() => {});
    await db.$disconnect();
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    if (process.env.BENCH_KEEP) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
