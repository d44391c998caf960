/**
 * Job engine throughput: `npx tsx bench/jobs.ts` (or `npm run bench:jobs`).
 *
 * A local OpenAI-compatible server (test/llm-server.ts) answers every call after a fixed 200 ms;
 * an ECD job (2 rounds: evolver, responder, evolver, responder per seed) runs with concurrency
 * 32 (job, worker slots and provider limit) over a fresh SQLite database, through the real queue,
 * worker, runner, LLM cache and transactions. With zero overhead the engine would keep 32 calls
 * in flight all the time: 32 / 0.2 s = 160 calls/s.
 *
 * - job_throughput_ratio: achieved calls/s ÷ 160 over the whole job, from starting it to its last
 *   task's end (should exceed 0.9). Includes the ramp-up and the tail, when fewer tasks than
 *   slots are left, so short jobs read lower.
 * - job_throughput_ratio_steady: the same while every slot had work (from 1 s after the start to
 *   the last moment at least `concurrency` tasks were still queued), sampled every 500 ms.
 * - job_calls: LLM calls made by the measured job
 * - job_seconds: from starting the job to its last task finishing
 * - job_engine_cpu_ms_per_call: CPU time of the engine process per call (less sensitive to a
 *   busy machine than the ratio; the ratio needs it well under 1000 / 160 = 6.25 ms)
 * - job_sql_statements_per_task: SQL statements the SQLite connections ran during the measured job
 *   (BEGIN and COMMIT included, the read-only connection's lookups of lib/db/sqlite-reader.ts, and
 *   the bench's own polling every 500 ms), per task
 *
 * BENCH_DB=postgres (issue 15): the same job on a throwaway PostgreSQL server (test/postgres.ts,
 * Debian's binaries) with BENCH_WORKERS (default 4) real `ecd worker` processes
 * (test/worker-processes.ts) instead of the in-process worker, each with
 * ceil(concurrency / workers) slots; the provider's concurrency (32) is then a cap over all of
 * them, held in the database (lib/llm/provider-slots.ts), and the job's own cap is the same 32.
 * Prints `job_throughput_ratio_pg_4_workers` (calls/s ÷ 160, from starting the job to its
 * finishedAt) and `job_engine_cpu_ms_per_call_pg_4_workers`: the workers' CPU time (user + system,
 * from /proc/<pid>/stat) over the measured job, summed, per call (PostgreSQL's own CPU not included).
 *
 * Options (env): BENCH_SEEDS (default 1600), BENCH_LATENCY_MS (200), BENCH_CONCURRENCY (32),
 * BENCH_PROFILE_DIR (PostgreSQL: the first worker process writes a --cpu-prof profile there).
 * BENCH_STATEMENT_CACHE=off runs without lib/db/statement-cache.ts (prepared-statement reuse), to
 * measure what it gains: compare job_engine_cpu_ms_per_call with and without it.
 * BENCH_BREAKDOWN=1 also runs the same job twice with an in-process model that just waits the
 * latency (no HTTP): `job_throughput_ratio_no_http` (answers still recorded in LlmCall) and
 * `job_throughput_ratio_engine_only` (no LlmCall either), to see where the overhead is.
 * BENCH_IN_FLIGHT=1 prints the requests in flight at the model server during the measured job
 * (ramp-up, middle, tail: where the ratio is lost). BENCH_SQL_TIMES=1 (SQLite) prints the
 * statements that took the most time, with their counts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance as perf } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { configureDatabase, createDb } from "../lib/db/client.ts";
import { migrateDeploy } from "../lib/db/migrate.ts";
import { createWorker, getJob, isFinished, type ModelChoice, startJob, type JobModels } from "../lib/jobs/index.ts";
import { importSeeds } from "../lib/io/index.ts";
import { CachedChatModel } from "../lib/llm/cache.ts";
import type { ProviderConfig } from "../lib/llm/providers.ts";
import type { ChatModel, ChatRequest } from "../lib/llm/types.ts";
import { type PostgresServer, startPostgres } from "../test/postgres.ts";
import { answer } from "../test/scripted-llm.ts";
import { exited, killAll, spawnWorker } from "../test/worker-processes.ts";
import { processCpuMs } from "./process-cpu.ts";
import type { Db } from "../lib/db/client.ts";

const SEEDS = Number(process.env.BENCH_SEEDS ?? 1600);
const WARMUP_SEEDS = 64;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ON_POSTGRES = process.env.BENCH_DB === "postgres";
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const TRACE_IN_FLIGHT = Boolean(process.env.BENCH_IN_FLIGHT);

const dir = mkdtempSync(path.join(tmpdir(), "ecd-bench-jobs-"));
let postgres: PostgresServer | undefined;

/** A model that answers like the scripted server after the same latency, without HTTP. */
function inProcessModel(choice: ModelChoice): ChatModel {
  return {
    provider: choice.provider,
    model: choice.model,
    async complete(request: ChatRequest) {
      await new Promise((r) => setTimeout(r, LATENCY_MS));
      const text = answer({ model: choice.model, messages: request.messages });
      return {
        text,
        usage: { promptTokens: 1, completionTokens: 1, costUsd: 0 },
        provider: choice.provider,
        model: choice.model,
        latencyMs: LATENCY_MS,
        cached: false,
      };
    },
  };
}

/**
 * SQL statements run on the SQLite connections (better-sqlite3 executions, BEGIN and COMMIT
 * included, the read-only reader's too), counted by wrapping their statement methods: the
 * bench's `job_sql_statements_per_task`.
 */
function countSqliteStatements(): { count: number; bySql: Map<string, { n: number; ms: number }> | null } {
  // BENCH_SQL_TIMES=1: also the count and time of each statement text (printed at the end).
  const counter = {
    count: 0,
    bySql: process.env.BENCH_SQL_TIMES ? new Map<string, { n: number; ms: number }>() : null,
  };
  const Database = createRequire(import.meta.url)("better-sqlite3");
  const probe = new Database(":memory:");
  const proto = Object.getPrototypeOf(probe.prepare("SELECT 1"));
  probe.close();
  for (const method of ["run", "all", "get", "iterate"]) {
    const original = proto[method];
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      counter.count++;
      if (!counter.bySql) return original.apply(this, args);
      const started = perf.now();
      try {
        return original.apply(this, args);
      } finally {
        const entry = counter.bySql.get(this.source) ?? { n: 0, ms: 0 };
        entry.n++;
        entry.ms += perf.now() - started;
        counter.bySql.set(this.source, entry);
      }
    };
  }
  return counter;
}

/**
 * PostgreSQL's own counters for the bench database: transactions (each statement outside a
 * transaction is one), and rows written in ProviderSlot (a take or a give-back each).
 */
async function postgresCounters(db: Db): Promise<{ transactions: number; slotWrites: number }> {
  const [row] = await db.$queryRaw<{ transactions: bigint | number; slotWrites: bigint | number | null }[]>`
    SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()) AS "transactions",
           (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'ProviderSlot') AS "slotWrites"`;
  return { transactions: Number(row.transactions), slotWrites: Number(row.slotWrites ?? 0) };
}

/**
 * BENCH_IN_FLIGHT=1: where the requests in flight at the model server fell below the concurrency
 * during the measured job, from the server's trace (mean per 100 ms): the ramp-up (first second),
 * the middle, the tail (last 2 s), and the calls lost in each against a full `concurrency`.
 */
function printInFlight(trace: number[], seconds: number) {
  const buckets = trace.slice(0, Math.ceil(seconds * 10));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const lost = (xs: number[]) => xs.reduce((a, b) => a + (CONCURRENCY - b), 0) * 0.1;
  const parts = { ramp: buckets.slice(0, 10), middle: buckets.slice(10, -20), tail: buckets.slice(-20) };
  for (const [name, xs] of Object.entries(parts))
    process.stdout.write(
      `job_in_flight_mean_${name}: ${mean(xs).toFixed(2)} (slot-seconds idle ${lost(xs).toFixed(2)})\n`,
    );
  const sorted = [...parts.middle].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]?.toFixed(1);
  process.stdout.write(`job_in_flight_middle_p5_p50_p95: ${q(0.05)} ${q(0.5)} ${q(0.95)}\n`);
}

async function main() {
  let url: string;
  if (ON_POSTGRES) {
    postgres = await startPostgres();
    postgres.psql(`CREATE DATABASE "bench"`);
    url = postgres.url("bench");
  } else url = `file:${path.join(dir, "bench.db")}`;
  process.env.DATABASE_URL = url;
  await migrateDeploy(url);
  const statementCache = process.env.BENCH_STATEMENT_CACHE !== "off";
  const statements = ON_POSTGRES ? null : countSqliteStatements();
  const db = createDb(url, { statementCache });
  await configureDatabase(db);
  // The model server runs in its own process, as a real one would: its work does not compete
  // with the engine's for this process's event loop.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "jobs-llm-server.ts")], {
    env: { ...process.env, BENCH_LATENCY_MS: String(LATENCY_MS) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const replies = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await replies.next();
    if (line.done) throw new Error("the bench LLM server stopped");
    return line.value;
  };
  const server = { url: await next(), totalRequests: 0, maxInFlight: 0, repeatedPaid: 0, cpuMs: 0 };
  const refresh = async () => {
    child.stdin!.write("count\n");
    Object.assign(server, JSON.parse(await next()));
  };
  const ask = async (command: "mark" | "trace") => {
    child.stdin!.write(`${command}\n`);
    return JSON.parse(await next()) as unknown;
  };
  const providers: ProviderConfig[] = [
    {
      name: "bench",
      baseUrl: server.url,
      models: [{ name: "bench-model" }],
      concurrency: CONCURRENCY,
      timeoutMs: 60_000,
      maxAttempts: 2,
    },
  ];
  let lastTaskEnd = 0;
  let mode: "http" | "no_http" | "engine_only" = "http";
  let modelCalls = 0;
  const createModel = (choice: ModelChoice, d: Db): ChatModel => {
    const inner = inProcessModel(choice);
    const counted: ChatModel = {
      provider: inner.provider,
      model: inner.model,
      complete: (r, c) => (modelCalls++, inner.complete(r, c)),
    };
    return mode === "no_http" ? new CachedChatModel(counted, { db: d }) : counted;
  };
  const newWorker = () =>
    createWorker(db, {
      slots: CONCURRENCY,
      pollMs: 50,
      runner: mode === "http" ? { providers, log: () => {} } : { createModel },
      onTaskEnd: () => void (lastTaskEnd = performance.now()),
      log: (m) => process.stderr.write(m + "\n"),
    }).start();
  let worker: ReturnType<typeof newWorker> | null = null;
  // PostgreSQL: real `ecd worker` processes, the provider configured in a providers file.
  const workerOutput: string[] = [];
  let workers: ChildProcess[] = [];
  if (ON_POSTGRES) {
    const providersFile = path.join(dir, "providers.json");
    writeFileSync(providersFile, JSON.stringify({ providers }));
    const slots = Math.ceil(CONCURRENCY / WORKERS);
    workers = Array.from({ length: WORKERS }, (_, i) =>
      spawnWorker({
        databaseUrl: url,
        llmUrl: "",
        output: workerOutput,
        command: [
          // BENCH_PROFILE_DIR: the first worker writes a CPU profile there when it stops.
          ...(i === 0 && process.env.BENCH_PROFILE_DIR
            ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
            : []),
          "lib/cli/main.ts",
          "worker",
          "--slots",
          String(slots),
          "--quiet",
        ],
        // The defaults a deployment runs with (the test helper shortens the lease).
        env: {
          ECD_PROVIDERS_FILE: providersFile,
          OPENAI_BASE_URL: "",
          OPENAI_API_KEY: "",
          ECD_LEASE_MS: "30000",
        },
      }),
    );
  } else worker = newWorker();

  const model = { provider: "bench", model: "bench-model" };
  const models: JobModels = { evolver: model, responder: model, judge: model };
  const dataset = await db.dataset.create({ data: { name: "bench", settings: {} } });
  // Distinct seeds (distinct prompts: nothing is answered from the cache), imported as a user
  // would (each with its depth-0 node, full-text indexed), so that starting the job finds its
  // nodes made, as it does after a real import.
  const lines = Array.from({ length: SEEDS + WARMUP_SEEDS }, (_, i) =>
    JSON.stringify({
      instruction: `Write a short note about topic number ${i}.`,
      input: "",
      output: `Topic ${i} matters, and here is why, in brief.`,
    }),
  );
  await importSeeds(
    db,
    dataset.id,
    (async function* () {
      yield Buffer.from(lines.join("\n") + "\n");
    })(),
    { format: "jsonl", shape: "alpaca" },
  );
  const seedIds = (
    await db.seed.findMany({ where: { datasetId: dataset.id }, select: { id: true }, orderBy: { id: "asc" } })
  ).map((s) => s.id);

  // A job runs over the dataset's first `take` seeds.
  const run = async (take: number) => {
    await refresh();
    const before = mode === "http" ? server.totalRequests : modelCalls;
    const started = performance.now();
    const startedAt = Date.now();
    const job = await startJob(db, {
      datasetId: dataset.id,
      pipeline: "ecd",
      params: { rounds: 2, r0Source: "reference", operations: ["add_verifiable"], concurrency: CONCURRENCY },
      models,
      limit: take,
    });
    // Samples for the steady-state rate: (time, calls so far, tasks still queued).
    const samples: { t: number; calls: number; queued: number }[] = [];
    let finishedAt = 0;
    for (;;) {
      const state = await getJob(db, job.id);
      if (isFinished(state.status)) {
        if (state.status !== "succeeded" || state.tasksFailed)
          throw new Error(`bench job ${state.status}: ${state.error ?? ""}\n${workerOutput.join("")}`);
        finishedAt = state.finishedAt!.getTime();
        break;
      }
      const dead = workers.filter((w) => w.exitCode !== null || w.signalCode !== null);
      if (dead.length) throw new Error(`${dead.length} worker process(es) stopped:\n${workerOutput.join("")}`);
      if (mode === "http") await refresh();
      const queued = await db.task.count({ where: { jobId: job.id, status: "queued" } });
      samples.push({
        t: performance.now(),
        calls: (mode === "http" ? server.totalRequests : modelCalls) - before,
        queued,
      });
      await new Promise((r) => setTimeout(r, 500));
    }
    await refresh();
    const busy = samples.filter((s) => s.t - started >= 1000 && s.queued >= CONCURRENCY);
    const steady =
      busy.length >= 2 ? (busy.at(-1)!.calls - busy[0].calls) / ((busy.at(-1)!.t - busy[0].t) / 1000) : NaN;
    return {
      calls: (mode === "http" ? server.totalRequests : modelCalls) - before,
      // The in-process worker reports each task's end; worker processes: the job's finishedAt
      // (written by the transaction that finished its last task, on this machine's clock).
      seconds: (ON_POSTGRES ? finishedAt - startedAt : lastTaskEnd - started) / 1000,
      steadyCallsPerS: steady,
    };
  };

  // Warm-up (JIT, Prisma, HTTP keep-alive), then drop its seeds so the measured job's are fresh.
  await run(WARMUP_SEEDS);
  await db.seed.deleteMany({ where: { id: { in: seedIds.slice(0, WARMUP_SEEDS) } } });

  await refresh();
  const serverCpu0 = server.cpuMs;
  const workersCpu = () => workers.reduce((sum, w) => sum + processCpuMs(w.pid!), 0);
  const workersCpu0 = workersCpu();
  const elu0 = perf.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const statements0 = statements?.count ?? 0;
  const pgCounters0 = ON_POSTGRES ? await postgresCounters(db) : null;
  if (TRACE_IN_FLIGHT) await ask("mark");
  const { calls, seconds, steadyCallsPerS } = await run(SEEDS);
  const inFlightTrace = TRACE_IN_FLIGHT ? ((await ask("trace")) as number[]) : null;
  const elu = perf.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const statementsRun = (statements?.count ?? 0) - statements0;
  const ideal = CONCURRENCY / (LATENCY_MS / 1000);
  const ratio = calls / seconds / ideal;
  const suffix = ON_POSTGRES ? `_pg_${WORKERS}_workers` : "";
  const engineCpuMs = ON_POSTGRES ? workersCpu() - workersCpu0 : (cpu.user + cpu.system) / 1000;
  process.stdout.write(`job_throughput_ratio${suffix}: ${ratio.toFixed(3)}\n`);
  process.stdout.write(`job_throughput_ratio_steady${suffix}: ${(steadyCallsPerS / ideal).toFixed(3)}\n`);
  process.stdout.write(`job_calls${suffix}: ${calls}\n`);
  process.stdout.write(`job_seconds${suffix}: ${seconds.toFixed(2)}\n`);
  process.stdout.write(`job_engine_cpu_ms_per_call${suffix}: ${(engineCpuMs / calls).toFixed(2)}\n`);
  // The measured job's statements over its tasks (the bench's own polling included: a few per 500 ms).
  if (statements) process.stdout.write(`job_sql_statements_per_task: ${(statementsRun / SEEDS).toFixed(1)}\n`);
  if (pgCounters0) {
    // PostgreSQL's statistics reach the views within a second or so of each transaction.
    await new Promise((r) => setTimeout(r, 1500));
    const pgCounters = await postgresCounters(db);
    process.stdout.write(
      `job_pg_transactions_per_task${suffix}: ${((pgCounters.transactions - pgCounters0.transactions) / SEEDS).toFixed(1)}\n`,
    );
    process.stdout.write(
      `job_provider_slot_writes_per_call${suffix}: ${((pgCounters.slotWrites - pgCounters0.slotWrites) / calls).toFixed(2)}\n`,
    );
  }
  process.stderr.write(
    `(${ON_POSTGRES ? `PostgreSQL, ${WORKERS} worker processes` : `SQLite, statement cache ${statementCache ? "on" : "off"}`}; ${(calls / seconds).toFixed(1)} calls/s vs ideal ${ideal} at ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}; server max in flight ${server.maxInFlight}, repeated paid calls ${server.repeatedPaid}; ${ON_POSTGRES ? "" : `engine event loop ${(elu.utilization * 100).toFixed(0)}% busy, `}engine CPU ${(engineCpuMs / 1000).toFixed(1)} s, model server CPU ${((server.cpuMs - serverCpu0) / 1000).toFixed(1)} s)\n`,
  );

  if (inFlightTrace) printInFlight(inFlightTrace, seconds);
  if (statements?.bySql)
    for (const [sql, { n, ms }] of [...statements.bySql].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
      process.stderr.write(
        `${ms.toFixed(0).padStart(6)} ms ${String(n).padStart(6)}× ${sql.replace(/\s+/g, " ").slice(0, 150)}\n`,
      );

  if (ON_POSTGRES) {
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => exited(w)));
  } else await worker!.stop();
  if (process.env.BENCH_BREAKDOWN && !ON_POSTGRES) {
    for (const m of ["no_http", "engine_only"] as const) {
      mode = m;
      worker = newWorker();
      // Fresh prompts for this run (new instruction texts), so nothing comes from LlmCall.
      const ids = (await db.seed.findMany({ where: { datasetId: dataset.id }, select: { id: true } })).map((s) => s.id);
      for (const id of ids)
        await db.seed.update({
          where: { id },
          data: { instruction: `Write a short note (${m}) about topic number ${id}.` },
        });
      const r = await run(SEEDS);
      process.stdout.write(`job_throughput_ratio_${m}: ${(r.calls / r.seconds / ideal).toFixed(3)}\n`);
      await worker.stop();
    }
  }
  child.stdin!.end();
  await db.$disconnect();
}

main()
  .catch((error) => {
    process.stderr.write(
      `bench/jobs failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  })
  .finally(() => {
    killAll();
    postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
