import type { Db, DbOrTx, Tx } from "./client.ts";
import { jsonParam, type SqlDialect, sqlDialect } from "./dialect.ts";
import { Prisma } from "./generated/client.ts";

/**
 * The job engine's raw SQL (Job and Task rows): claiming one task with a lease in ONE statement,
 * inserting a job's tasks in bulk, and the statements that open and close a task's completing
 * transaction. lib/jobs/commands.ts calls these; nothing else runs SQL on these tables. Every
 * statement is plain SQL both SQLite (≥ 3.38: `->>`, `RETURNING`) and PostgreSQL accept;
 * PostgreSQL additionally locks the chosen row with `FOR UPDATE SKIP LOCKED`, so concurrent
 * claimers skip each other's row instead of waiting.
 */

/** A task as a worker receives it: its handler is chosen by `kind`; a generation task has a `seedId`. */
export type ClaimedTask = {
  id: number;
  jobId: number;
  kind: string;
  seedId: number | null;
  /** The task's input for kinds that are not per-seed ({} or null for generation). */
  payload: unknown;
  attempts: number;
  maxAttempts: number;
};

/**
 * UPDATE … WHERE id = (SELECT the task to run next) RETURNING …
 *
 * Jobs are served oldest first. A job is eligible while it is queued or running and has fewer
 * live leases than its `params.concurrency` (default 4). Its next task is a running task whose
 * lease expired (its worker died: resume it) with attempts left, else its oldest queued task
 * whose retry time (kept in `leaseExpiresAt`) has come. Each lookup walks the (jobId, status, id)
 * index in id order, so a claim costs the same with ten tasks or a million. Claiming increments
 * `attempts`.
 */
export function claimTaskSql(options: {
  owner: string;
  now: Date;
  leaseUntil: Date;
  dialect?: SqlDialect;
  defaultConcurrency?: number;
}): Prisma.Sql {
  const { owner, now, leaseUntil } = options;
  const dialect = options.dialect ?? sqlDialect();
  const lock = dialect === "postgres" ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
  const concurrency =
    dialect === "postgres"
      ? Prisma.sql`CAST(j."params" ->> 'concurrency' AS INTEGER)`
      : Prisma.sql`CAST(j."params" ->> '$.concurrency' AS INTEGER)`;
  return Prisma.sql`
    UPDATE "Task"
       SET "status" = 'running',
           "leaseOwner" = ${owner},
           "leaseExpiresAt" = ${leaseUntil},
           "heartbeatAt" = ${now},
           "attempts" = "attempts" + 1,
           "startedAt" = COALESCE("startedAt", ${now})
     WHERE "id" = (
       SELECT c."taskId" FROM (
         SELECT j."id" AS "jobId",
                COALESCE(
                  (SELECT t."id" FROM "Task" t
                    WHERE t."jobId" = j."id" AND t."status" = 'running' AND t."leaseExpiresAt" < ${now} AND t."attempts" < t."maxAttempts"
                    ORDER BY t."id" LIMIT 1 ${lock}),
                  (SELECT t."id" FROM "Task" t
                    WHERE t."jobId" = j."id" AND t."status" = 'queued' AND (t."leaseExpiresAt" IS NULL OR t."leaseExpiresAt" <= ${now})
                    ORDER BY t."id" LIMIT 1 ${lock})
                ) AS "taskId"
           FROM "Job" j
          WHERE j."status" IN ('queued', 'running')
            AND (SELECT COUNT(*) FROM "Task" r
                  WHERE r."jobId" = j."id" AND r."status" = 'running' AND r."leaseExpiresAt" >= ${now})
                < COALESCE(${concurrency}, ${options.defaultConcurrency ?? 4})
       ) c
        WHERE c."taskId" IS NOT NULL
        ORDER BY c."jobId"
        LIMIT 1)
    RETURNING "id", "jobId", "kind", "seedId", "payload", "attempts", "maxAttempts"`;
}

type ClaimedTaskRow = Record<"id" | "jobId" | "attempts" | "maxAttempts", number | bigint> & {
  kind: string;
  seedId: number | bigint | null;
  /** JSON: text on SQLite, a value on PostgreSQL. */
  payload: unknown;
};

/** The advisory lock that serializes task claims on PostgreSQL (any fixed number, ours alone). */
const CLAIM_LOCK = 0x6563_6463; // "ecdc"
/**
 * Claims queue for that lock and for the pool's connections: under load a claim can wait longer
 * to start than Prisma's default 2 s (the engine's other transactions allow 30 s too).
 */
const CLAIM_TX = { maxWait: 30_000, timeout: 30_000 };

/**
 * Runs claimTaskSql up to `limit` times: the tasks claimed, none when nothing is claimable.
 *
 * On SQLite claims are serialized by its single writer. On PostgreSQL two workers' claims run at
 * once under READ COMMITTED, and each would count a job's live leases without seeing the other's:
 * both could take the last slot of its `concurrency`. So a claim first takes a transaction-scoped
 * advisory lock (released at commit): claims from every process run one at a time, each seeing
 * the leases committed before it. A claim is one short statement, so the queue stays fast.
 *
 * Several claims (a worker with several free slots) run in one transaction, one statement each,
 * each seeing the leases the previous ones took, so a job's `concurrency` holds as for single
 * claims; the transaction (on PostgreSQL its advisory lock, on SQLite its commit) is paid once.
 */
export async function claimTaskRows(
  db: Db,
  options: { owner: string; now: Date; leaseUntil: Date; limit?: number; dialect?: SqlDialect },
): Promise<ClaimedTask[]> {
  const dialect = options.dialect ?? sqlDialect();
  const limit = Math.max(1, options.limit ?? 1);
  const claim = (client: DbOrTx) => client.$queryRaw<ClaimedTaskRow[]>(claimTaskSql({ ...options, dialect }));
  let rows: ClaimedTaskRow[];
  if (dialect === "sqlite" && limit === 1) rows = await claim(db);
  else
    rows = await db.$transaction(async (tx) => {
      // $executeRaw: the function returns void, a type the adapter cannot read back.
      if (dialect === "postgres") await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`;
      const claimed: ClaimedTaskRow[] = [];
      while (claimed.length < limit) {
        const [row] = await claim(tx);
        if (!row) break;
        claimed.push(row);
      }
      return claimed;
    }, CLAIM_TX);
  return rows.map((row) => ({
    id: Number(row.id),
    jobId: Number(row.jobId),
    kind: row.kind,
    seedId: row.seedId === null ? null : Number(row.seedId),
    payload: typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.maxAttempts),
  }));
}

/** A task to create: its kind, and its seed (generation) or payload (other kinds). */
export type NewTask = { kind: string; seedId?: number | null; payload?: unknown };

/** One multi-row INSERT of a job's tasks (queued, no attempts yet). */
export function insertTasksSql(
  jobId: number,
  tasks: NewTask[],
  maxAttempts: number,
  now: Date,
  dialect: SqlDialect = sqlDialect(),
): Prisma.Sql {
  return Prisma.sql`INSERT INTO "Task" ("jobId", "kind", "seedId", "payload", "status", "attempts", "maxAttempts", "progress", "promptTokens", "completionTokens", "costUsd", "createdAt") VALUES ${Prisma.join(
    tasks.map(
      (t) =>
        Prisma.sql`(${jobId}, ${t.kind}, ${t.seedId ?? null}, ${t.payload === undefined ? null : jsonParam(t.payload, dialect)}, 'queued', 0, ${maxAttempts}, '{}', 0, 0, 0, ${now})`,
    ),
  )}`;
}

/** Inserts a job's tasks, in statements of at most `chunk` rows (SQL parameter limits). */
export async function insertTasks(
  tx: Tx,
  jobId: number,
  tasks: NewTask[],
  options: { maxAttempts: number; now: Date; chunk?: number },
): Promise<void> {
  const chunk = options.chunk ?? 500;
  for (let i = 0; i < tasks.length; i += chunk)
    await tx.$executeRaw(insertTasksSql(jobId, tasks.slice(i, i + chunk), options.maxAttempts, options.now));
}

export type UsageDelta = { promptTokens: number; completionTokens: number; costUsd: number };

/**
 * Marks a task succeeded if `owner` still holds it (the ownership check that opens a task's
 * completing transaction), adding its usage. Affects 0 rows when the lease was lost.
 * `firstLlmStats`: also stores the attempt's LLM stats, only if the task has none stored yet
 * (otherwise 0 rows are affected, and the caller merges them).
 */
function completeTaskSql(
  o: { taskId: number; owner: string; now: Date; usage: UsageDelta; progress?: unknown; firstLlmStats?: unknown },
  dialect: SqlDialect = sqlDialect(),
): Prisma.Sql {
  const progress =
    o.progress === undefined ? Prisma.empty : Prisma.sql`, "progress" = ${jsonParam(o.progress, dialect)}`;
  const stats =
    o.firstLlmStats === undefined ? Prisma.empty : Prisma.sql`, "llmStats" = ${jsonParam(o.firstLlmStats, dialect)}`;
  const noStatsYet = o.firstLlmStats === undefined ? Prisma.empty : Prisma.sql` AND "llmStats" IS NULL`;
  return Prisma.sql`UPDATE "Task" SET "status" = 'succeeded', "finishedAt" = ${o.now}, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "error" = NULL,
      "promptTokens" = "promptTokens" + ${o.usage.promptTokens}, "completionTokens" = "completionTokens" + ${o.usage.completionTokens}, "costUsd" = "costUsd" + ${o.usage.costUsd}${progress}${stats}
    WHERE "id" = ${o.taskId} AND "leaseOwner" = ${o.owner} AND "status" = 'running'${noStatsYet}`;
}

/** Runs completeTaskSql: true when this owner held the task and it is now succeeded. */
export async function completeOwnedTask(tx: Tx, o: Parameters<typeof completeTaskSql>[0]): Promise<boolean> {
  return (await tx.$executeRaw(completeTaskSql(o))) > 0;
}

/** Adds to a job's counters and returns them. */
function bumpJobSql(o: { jobId: number; done?: number; failed?: number; usage: UsageDelta }): Prisma.Sql {
  return Prisma.sql`UPDATE "Job" SET "tasksDone" = "tasksDone" + ${o.done ?? 0}, "tasksFailed" = "tasksFailed" + ${o.failed ?? 0},
      "promptTokens" = "promptTokens" + ${o.usage.promptTokens}, "completionTokens" = "completionTokens" + ${o.usage.completionTokens}, "costUsd" = "costUsd" + ${o.usage.costUsd}
    WHERE "id" = ${o.jobId} RETURNING "tasksDone", "tasksFailed", "tasksTotal"`;
}

export type JobCounters = { tasksDone: number; tasksFailed: number; tasksTotal: number };

/** Runs bumpJobSql: the job's counters after the increment. */
export async function bumpJobCounters(tx: Tx, o: Parameters<typeof bumpJobSql>[0]): Promise<JobCounters> {
  const [row] = await tx.$queryRaw<Record<keyof JobCounters, number | bigint>[]>(bumpJobSql(o));
  return { tasksDone: Number(row.tasksDone), tasksFailed: Number(row.tasksFailed), tasksTotal: Number(row.tasksTotal) };
}

/** The PostgreSQL channel on which "work was queued" is announced to every worker process. */
const WORK_CHANNEL = "ecd_work";

/**
 * Wakes the workers of every process after work was queued (PostgreSQL NOTIFY, delivered at
 * commit). Nothing on SQLite: one machine, and the in-process event (lib/jobs) wakes its worker.
 */
export async function notifyWorkers(db: DbOrTx, dialect: SqlDialect = sqlDialect()): Promise<void> {
  if (dialect !== "postgres") return;
  await db.$executeRaw`SELECT pg_notify(${WORK_CHANNEL}, '')`;
}

/**
 * LISTENs for notifyWorkers on a connection of its own (a pooled Prisma connection cannot hold a
 * LISTEN) and calls `onWork` for each. Returns the function that closes it; null on SQLite.
 */
export async function listenForWork(
  onWork: () => void,
  options: { url?: string; onError?: (error: Error) => void } = {},
): Promise<(() => Promise<void>) | null> {
  const url = options.url ?? process.env.DATABASE_URL;
  if (sqlDialect(url) !== "postgres") return null;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  client.on("notification", () => onWork());
  client.on("error", (error) => options.onError?.(error));
  await client.connect();
  await client.query(`LISTEN ${WORK_CHANNEL}`);
  return () => client.end().catch(() => {});
}
