import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { containsInsensitiveSql, verificationFailedSql } from "../db/review-sql.ts";
import { pairCounts, type DbOrTx } from "./pairs.ts";
import { type PairFilter, type PairQuery, type PairSort } from "./pair-query.ts";
import { parseVerification, type PairStatus } from "./types.ts";

export * from "./pair-query.ts";

/**
 * The pairs table, all server-side: filters, sort and keyset pagination ("after"/"before" a
 * cursor holding the last row's sort value and id; never OFFSET). Totals come from PairCount when
 * the filter allows (status only); otherwise the table says there are more without counting.
 * An exact COUNT is made only on request (the bulk confirmation).
 */

// ---------------------------------------------------------------------------------------------

type Cursor = [string | number, number];

export function encodeCursor(value: string | number, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

function decodeCursor(cursor: string, sort: PairSort): Cursor | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (!Array.isArray(value) || value.length !== 2 || !Number.isInteger(value[1])) return null;
    const [v, id] = value as [unknown, number];
    if (sort === "id" || sort === "depth") return Number.isInteger(v) ? [v as number, id] : null;
    return typeof v === "string" ? [v, id] : null;
  } catch {
    return null;
  }
}

const SORT_COLUMN: Record<PairSort, Prisma.Sql> = {
  id: Prisma.sql`p."id"`,
  depth: Prisma.sql`p."depth"`,
  status: Prisma.sql`p."status"`,
  method: Prisma.sql`p."method"`,
};

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** WHERE conditions of a filter (the dataset condition first). */
export function filterConditions(datasetId: number, filter: PairFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = [Prisma.sql`p."datasetId" = ${datasetId}`];
  if (filter.ids?.length) where.push(Prisma.sql`p."id" IN (${Prisma.join(filter.ids)})`);
  if (filter.status?.length) where.push(Prisma.sql`p."status" IN (${Prisma.join(filter.status)})`);
  if (filter.method?.length) where.push(Prisma.sql`p."method" IN (${Prisma.join(filter.method)})`);
  if (filter.depth?.length) where.push(Prisma.sql`p."depth" IN (${Prisma.join(filter.depth)})`);
  for (const id of filter.cid ?? []) {
    where.push(Prisma.sql`(' ' || p."constraintIds" || ' ') LIKE ${`% ${likeEscape(id)} %`} ESCAPE '\\'`);
  }
  const outcome = (side: "chosen" | "rejected", want: "pass" | "fail" | undefined) => {
    if (!want) return;
    const column = side === "chosen" ? Prisma.sql`p."chosenId"` : Prisma.sql`p."rejectedId"`;
    const failed = Prisma.sql`EXISTS (SELECT 1 FROM "Response" v WHERE v."id" = ${column} AND ${verificationFailedSql(Prisma.sql`v."verification"`)})`;
    where.push(want === "fail" ? failed : Prisma.sql`NOT ${failed}`);
  };
  outcome("chosen", filter.chosen);
  outcome("rejected", filter.rejected);
  if (filter.reviewer)
    where.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Review" rv WHERE rv."userId" = ${filter.reviewer} AND rv."pairId" = p."id")`,
    );
  if (filter.job) where.push(Prisma.sql`p."jobId" = ${filter.job}`);
  if (filter.q) {
    const byId = /^#?(\d{1,9})$/.exec(filter.q);
    if (byId) where.push(Prisma.sql`p."id" = ${Number(byId[1])}`);
    else {
      const pattern = `%${likeEscape(filter.q)}%`;
      where.push(Prisma.sql`(
        ${containsInsensitiveSql(Prisma.sql`(SELECT n."instruction" FROM "Node" n WHERE n."id" = p."nodeId")`, pattern)}
        OR EXISTS (SELECT 1 FROM "Response" t WHERE t."id" IN (p."chosenId", p."rejectedId") AND ${containsInsensitiveSql(Prisma.sql`t."text"`, pattern)}))`);
    }
  }
  return where;
}

export type PairRow = {
  id: number;
  status: PairStatus;
  method: string;
  depth: number;
  version: number;
  reviewCount: number;
  constraintIds: string[];
  hardNegative: boolean | null;
  jobId: number | null;
  seedId: number;
  prompt: string;
  promptEdited: boolean;
  chosen: { passed: number; total: number };
  rejected: { passed: number; total: number };
  lastReview: { user: string; decision: string; at: string } | null;
  updatedAt: string;
};

export type PairPage = {
  rows: PairRow[];
  nextCursor: string | null;
  prevCursor: string | null;
  /** Exact total of the filter when the counters can tell (no filter but status); else null. */
  total: number | null;
  datasetTotal: number;
};

type RawRow = {
  id: number | bigint;
  status: string;
  method: string;
  depth: number | bigint;
  version: number | bigint;
  reviewCount: number | bigint;
  constraintIds: string;
  hardNegative: boolean | number | null;
  jobId: number | bigint | null;
  chosenId: number | bigint;
  rejectedId: number | bigint;
  updatedAt: Date | string;
  metadata: unknown;
};

export async function listPairs(db: Db, datasetId: number, query: PairQuery): Promise<PairPage> {
  const sort = query.sort;
  const column = SORT_COLUMN[sort];
  const backward = !!query.before && !query.after;
  const cursor = backward ? decodeCursor(query.before!, sort) : query.after ? decodeCursor(query.after, sort) : null;
  const where = filterConditions(datasetId, query);
  const descending = query.dir === "desc";
  // Walking backward from a cursor = walking forward in the opposite order.
  const walkDesc = backward ? !descending : descending;
  const dir = walkDesc ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const before = (a: Prisma.Sql, b: unknown) => (walkDesc ? Prisma.sql`${a} < ${b}` : Prisma.sql`${a} > ${b}`);
  const select = (conditions: Prisma.Sql[], order: Prisma.Sql, limit: number) => db.$queryRaw<RawRow[]>`
    SELECT p."id", p."status", p."method", p."depth", p."version", p."reviewCount", p."constraintIds", p."hardNegative",
           p."jobId", p."chosenId", p."rejectedId", p."updatedAt", p."metadata"
      FROM "Pair" p
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY ${order}
     LIMIT ${limit}`;
  const limit = query.size + 1;
  const byValue = Prisma.sql`${column} ${dir}, p."id" ${dir}`;
  let raw: RawRow[];
  if (sort === "id") {
    raw = await select(
      cursor ? [...where, before(Prisma.sql`p."id"`, cursor[1])] : where,
      Prisma.sql`p."id" ${dir}`,
      limit,
    );
  } else if (!cursor) {
    raw = await select(where, byValue, limit);
  } else {
    // Keyset on (value, id) as two index range seeks — the rest of the cursor's value group,
    // then the values after it — since a row-value comparison is not a range seek in SQLite.
    const [value, id] = cursor;
    raw = await select(
      [...where, Prisma.sql`${column} = ${value}`, before(Prisma.sql`p."id"`, id)],
      Prisma.sql`p."id" ${dir}`,
      limit,
    );
    if (raw.length < limit)
      raw = raw.concat(await select([...where, before(column, value)], byValue, limit - raw.length));
  }
  const more = raw.length > query.size;
  const page = raw.slice(0, query.size);
  if (backward) page.reverse();

  const rows = await decorate(db, page);
  const cursorOf = (row: PairRow) =>
    encodeCursor(
      sort === "id" ? row.id : sort === "depth" ? row.depth : sort === "status" ? row.status : row.method,
      row.id,
    );
  let nextCursor: string | null = null;
  let prevCursor: string | null = null;
  if (rows.length) {
    if (backward) {
      prevCursor = more ? cursorOf(rows[0]!) : null;
      nextCursor = cursorOf(rows[rows.length - 1]!);
    } else {
      nextCursor = more ? cursorOf(rows[rows.length - 1]!) : null;
      prevCursor = cursor ? cursorOf(rows[0]!) : null;
    }
  }
  const counts = await pairCounts(db, datasetId);
  return { rows, nextCursor, prevCursor, total: totalFromCounts(query, counts), datasetTotal: counts.total };
}

function totalFromCounts(filter: PairFilter, counts: Record<PairStatus, number> & { total: number }): number | null {
  const others =
    [filter.method, filter.depth, filter.cid, filter.ids].some((v) => v?.length) ||
    filter.chosen ||
    filter.rejected ||
    filter.reviewer ||
    filter.job ||
    filter.q;
  if (others) return null;
  if (!filter.status?.length) return counts.total;
  return filter.status.reduce((sum, s) => sum + counts[s], 0);
}

/** Prompt snippets, verification summaries and the last review, for one page of rows. */
async function decorate(db: Db, page: RawRow[]): Promise<PairRow[]> {
  if (!page.length) return [];
  const ids = page.map((r) => Number(r.id));
  const responseIds = [...new Set(page.flatMap((r) => [Number(r.chosenId), Number(r.rejectedId)]))];
  const [responses, pairs, reviews] = await Promise.all([
    db.response.findMany({ where: { id: { in: responseIds } }, select: { id: true, verification: true } }),
    db.pair.findMany({
      where: { id: { in: ids } },
      select: { id: true, node: { select: { seedId: true, instruction: true } } },
    }),
    db.review.findMany({
      where: { pairId: { in: ids } },
      orderBy: { id: "desc" },
      take: ids.length * 4,
      select: { pairId: true, decision: true, decidedAt: true, user: { select: { email: true } } },
    }),
  ]);
  const summary = new Map<number, { passed: number; total: number }>();
  for (const r of responses) {
    const entries = parseVerification(r.verification);
    summary.set(r.id, { passed: entries.filter((e) => e.passed).length, total: entries.length });
  }
  const nodeOf = new Map(pairs.map((p) => [p.id, p.node]));
  const lastReview = new Map<number, PairRow["lastReview"]>();
  for (const r of reviews)
    if (!lastReview.has(r.pairId))
      lastReview.set(r.pairId, { user: r.user.email, decision: r.decision, at: r.decidedAt.toISOString() });
  return page.map((r) => {
    const id = Number(r.id);
    const node = nodeOf.get(id);
    const metadata = typeof r.metadata === "string" ? safeJson(r.metadata) : r.metadata;
    const edited =
      metadata && typeof metadata === "object" ? (metadata as { editedPrompt?: unknown }).editedPrompt : undefined;
    const prompt = typeof edited === "string" && edited ? edited : (node?.instruction ?? "");
    return {
      id,
      status: r.status as PairStatus,
      method: r.method,
      depth: Number(r.depth),
      version: Number(r.version),
      reviewCount: Number(r.reviewCount),
      constraintIds: r.constraintIds ? r.constraintIds.split(" ").filter(Boolean) : [],
      hardNegative: r.hardNegative === null ? null : Boolean(r.hardNegative),
      jobId: r.jobId === null ? null : Number(r.jobId),
      seedId: node?.seedId ?? 0,
      prompt: prompt.length > 200 ? `${prompt.slice(0, 200)}…` : prompt,
      promptEdited: typeof edited === "string" && !!edited,
      chosen: summary.get(Number(r.chosenId)) ?? { passed: 0, total: 0 },
      rejected: summary.get(Number(r.rejectedId)) ?? { passed: 0, total: 0 },
      lastReview: lastReview.get(id) ?? null,
      updatedAt: (r.updatedAt instanceof Date ? r.updatedAt : new Date(r.updatedAt)).toISOString(),
    };
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Exact number of pairs matching a filter (one COUNT; for confirmations, not for every page). */
export async function countPairs(db: DbOrTx, datasetId: number, filter: PairFilter): Promise<number> {
  const rows = await db.$queryRaw<
    { n: number | bigint }[]
  >`SELECT COUNT(*) AS "n" FROM "Pair" p WHERE ${Prisma.join(filterConditions(datasetId, filter), " AND ")}`;
  return Number(rows[0]?.n ?? 0);
}

/** Ids (with version and status) of matching pairs after `afterId`, in id order: for batch work. */
export async function matchingPairBatch(
  db: DbOrTx,
  datasetId: number,
  filter: PairFilter,
  afterId: number,
  limit: number,
): Promise<{ id: number; version: number; status: PairStatus }[]> {
  const where = [...filterConditions(datasetId, filter), Prisma.sql`p."id" > ${afterId}`];
  const rows = await db.$queryRaw<{ id: number | bigint; version: number | bigint; status: string }[]>`
    SELECT p."id", p."version", p."status" FROM "Pair" p WHERE ${Prisma.join(where, " AND ")} ORDER BY p."id" ASC LIMIT ${limit}`;
  return rows.map((r) => ({ id: Number(r.id), version: Number(r.version), status: r.status as PairStatus }));
}

/** Choices for the table's reviewer and job filters. */
export async function pairFilterChoices(
  db: Db,
  datasetId: number,
): Promise<{ reviewers: { id: number; email: string }[]; jobs: { id: number; pipeline: string; status: string }[] }> {
  const [reviewers, jobs] = await Promise.all([
    db.user.findMany({ orderBy: { email: "asc" }, select: { id: true, email: true } }),
    db.job.findMany({
      where: { datasetId },
      orderBy: { id: "desc" },
      take: 200,
      select: { id: true, kind: true, pipeline: true, status: true },
    }),
  ]);
  // A job of another kind than generation has no pipeline: show its kind.
  return { reviewers, jobs: jobs.map((j) => ({ id: j.id, pipeline: j.pipeline ?? j.kind, status: j.status })) };
}
