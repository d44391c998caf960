import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import {
  countPairsSql,
  keysetEqualsSql,
  keysetPastSql,
  PAIR_SORT_COLUMN,
  pairBatchSql,
  pairFilterSql,
  pairIdsSql,
  pairOnNodesSql,
  pairOrderSql,
  pairPageSql,
  seedsWithMatchingPairsSql,
} from "../db/review-sql.ts";
import type { PairStatus, VerdictOutcome } from "../domain.ts";
import { pairPrompt } from "./decide.ts";
import { pairCounts, type DbOrTx } from "./pairs.ts";
import { pairFilterSchema, type PairFilter, type PairQuery, type PairSort } from "./pair-query.ts";
import { parsePairVerdicts } from "./verdict-record.ts";

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

/** WHERE conditions of a filter (the dataset condition first): lib/db/review-sql.ts builds them. */
export function filterConditions(datasetId: number, filter: PairFilter): Prisma.Sql[] {
  return pairFilterSql(datasetId, filter);
}

export type PairRow = {
  id: number;
  status: PairStatus;
  method: string;
  depth: number;
  version: number;
  reviewCount: number;
  commentCount: number;
  constraintIds: string[];
  hardNegative: boolean | null;
  jobId: number | null;
  seedId: number;
  prompt: string;
  promptEdited: boolean;
  edited: boolean;
  /** Matches a benchmark set (lib/decontam): exports leave it out by default. */
  contaminated: boolean;
  override: boolean;
  lengthRatio: number | null;
  /** From the stored verdict record: counts per outcome, and the summary outcome. */
  chosen: VerdictSummary;
  rejected: VerdictSummary;
  lastReview: { user: string; decision: string; at: string } | null;
  updatedAt: string;
};

export type VerdictSummary = {
  outcome: VerdictOutcome;
  passed: number;
  failed: number;
  unknown: number;
  total: number;
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
  commentCount: number | bigint;
  contaminated: boolean | number;
  constraintIds: string;
  hardNegative: boolean | number | null;
  jobId: number | bigint | null;
  chosenId: number | bigint;
  rejectedId: number | bigint;
  updatedAt: Date | string;
  metadata: unknown;
  verdicts: unknown;
  edited: boolean | number;
  override: boolean | number;
  lengthRatio: number | null;
};

export async function listPairs(db: Db, datasetId: number, query: PairQuery): Promise<PairPage> {
  const sort = query.sort;
  const column = PAIR_SORT_COLUMN[sort];
  const backward = !!query.before && !query.after;
  const cursor = backward ? decodeCursor(query.before!, sort) : query.after ? decodeCursor(query.after, sort) : null;
  const where = filterConditions(datasetId, query);
  const descending = query.dir === "desc";
  // Walking backward from a cursor = walking forward in the opposite order.
  const walkDesc = backward ? !descending : descending;
  const select = (conditions: Prisma.Sql[], order: Prisma.Sql, limit: number) =>
    db.$queryRaw<RawRow[]>(pairPageSql(conditions, order, limit));
  const limit = query.size + 1;
  let raw: RawRow[];
  if (sort === "id") {
    raw = await select(
      cursor ? [...where, keysetPastSql(PAIR_SORT_COLUMN.id, cursor[1], walkDesc)] : where,
      pairOrderSql(null, walkDesc),
      limit,
    );
  } else if (!cursor) {
    raw = await select(where, pairOrderSql(column, walkDesc), limit);
  } else {
    // Keyset on (value, id) as two index range seeks — the rest of the cursor's value group,
    // then the values after it — since a row-value comparison is not a range seek in SQLite.
    const [value, id] = cursor;
    raw = await select(
      [...where, keysetEqualsSql(column, value), keysetPastSql(PAIR_SORT_COLUMN.id, id, walkDesc)],
      pairOrderSql(null, walkDesc),
      limit,
    );
    if (raw.length < limit)
      raw = raw.concat(
        await select(
          [...where, keysetPastSql(column, value, walkDesc)],
          pairOrderSql(column, walkDesc),
          limit - raw.length,
        ),
      );
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
  const narrowed = Object.keys(pairFilterSchema.shape).some((key) => {
    const v = filter[key as keyof PairFilter];
    return key !== "status" && v !== undefined && !(Array.isArray(v) && v.length === 0);
  });
  if (narrowed) return null;
  if (!filter.status?.length) return counts.total;
  return filter.status.reduce((sum, s) => sum + counts[s], 0);
}

/** Prompt snippets, verdict summaries (from the stored record) and the last review, for one page of rows. */
async function decorate(db: Db, page: RawRow[]): Promise<PairRow[]> {
  if (!page.length) return [];
  const ids = page.map((r) => Number(r.id));
  const [pairs, reviews] = await Promise.all([
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
  const nodeOf = new Map(pairs.map((p) => [p.id, p.node]));
  const lastReview = new Map<number, PairRow["lastReview"]>();
  for (const r of reviews)
    if (!lastReview.has(r.pairId))
      lastReview.set(r.pairId, { user: r.user.email, decision: r.decision, at: r.decidedAt.toISOString() });
  return page.map((r) => {
    const id = Number(r.id);
    const node = nodeOf.get(id);
    const instruction = node?.instruction ?? "";
    const prompt = pairPrompt(r.metadata, instruction);
    const record = parsePairVerdicts(r.verdicts);
    return {
      id,
      status: r.status as PairStatus,
      method: r.method,
      depth: Number(r.depth),
      version: Number(r.version),
      reviewCount: Number(r.reviewCount),
      commentCount: Number(r.commentCount),
      constraintIds: r.constraintIds ? r.constraintIds.split(" ").filter(Boolean) : [],
      hardNegative: r.hardNegative === null ? null : Boolean(r.hardNegative),
      jobId: r.jobId === null ? null : Number(r.jobId),
      seedId: node?.seedId ?? 0,
      prompt: prompt.length > 200 ? `${prompt.slice(0, 200)}…` : prompt,
      promptEdited: prompt !== instruction,
      edited: Boolean(r.edited),
      contaminated: Boolean(r.contaminated),
      override: Boolean(r.override),
      lengthRatio: r.lengthRatio === null ? null : Number(r.lengthRatio),
      chosen: verdictSummary(record, "chosen"),
      rejected: verdictSummary(record, "rejected"),
      lastReview: lastReview.get(id) ?? null,
      updatedAt: (r.updatedAt instanceof Date ? r.updatedAt : new Date(r.updatedAt)).toISOString(),
    };
  });
}

/** One side's verdicts of a stored record, counted (what the table's check columns show). */
export function verdictSummary(
  record: ReturnType<typeof parsePairVerdicts>,
  side: "chosen" | "rejected",
): VerdictSummary {
  const outcomes = record?.constraints.map((c) => c[side]) ?? [];
  return {
    outcome: record ? record[side] : "unknown",
    passed: outcomes.filter((o) => o === "pass").length,
    failed: outcomes.filter((o) => o === "fail").length,
    unknown: outcomes.filter((o) => o === "unknown").length,
    total: outcomes.length,
  };
}

/** Exact number of pairs matching a filter (one COUNT; for confirmations, not for every page). */
export async function countPairs(db: DbOrTx, datasetId: number, filter: PairFilter): Promise<number> {
  const rows = await db.$queryRaw<{ n: number | bigint }[]>(countPairsSql(filterConditions(datasetId, filter)));
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
  const where = [...filterConditions(datasetId, filter), keysetPastSql(PAIR_SORT_COLUMN.id, afterId, false)];
  const rows = await db.$queryRaw<{ id: number | bigint; version: number | bigint; status: string }[]>(
    pairBatchSql(where, limit),
  );
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

/** Seeds (after `afterSeedId`, in id order) whose trees hold at least one pair matching the filter: for chain exports. */
export async function seedsWithMatchingPairs(
  db: DbOrTx,
  datasetId: number,
  filter: PairFilter,
  afterSeedId: number,
  limit: number,
): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number | bigint }[]>(
    seedsWithMatchingPairsSql(datasetId, filterConditions(datasetId, filter), afterSeedId, limit),
  );
  return rows.map((r) => Number(r.id));
}

/** Ids of the pairs on these nodes that match the filter. */
export async function matchingPairIdsOnNodes(
  db: DbOrTx,
  datasetId: number,
  filter: PairFilter,
  nodeIds: readonly number[],
): Promise<number[]> {
  if (!nodeIds.length) return [];
  const where = [...filterConditions(datasetId, filter), pairOnNodesSql(nodeIds)];
  const rows = await db.$queryRaw<{ id: number | bigint }[]>(pairIdsSql(where));
  return rows.map((r) => Number(r.id));
}
