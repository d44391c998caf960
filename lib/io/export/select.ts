import { z } from "zod";
import type { Db } from "../../db/client.ts";
import type { Prisma } from "../../db/generated/client.ts";
import { inSlices } from "../chunks.ts";

/** Which pairs an export takes. "accepted" means accepted or edited (a human approved the edited version). */
export const EXPORT_STATUSES = ["accepted", "pending", "rejected", "all"] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];
export const PAIR_METHODS = ["ecd", "c2s", "manual"] as const;

const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const exportFiltersSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(EXPORT_STATUSES).default("accepted")),
  minReviews: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: "must be a whole number" })
      .int("must be a whole number")
      .min(0, "must be 0 or more")
      .max(1000, "must be at most 1000")
      .default(0),
  ),
  method: z.preprocess(blankToUndefined, z.enum(PAIR_METHODS).optional()),
  maxDepth: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: "must be a whole number" })
      .int("must be a whole number")
      .min(0, "must be 0 or more")
      .max(1000, "must be at most 1000")
      .optional(),
  ),
});
export type ExportFilters = z.output<typeof exportFiltersSchema>;
export type ExportFiltersInput = z.input<typeof exportFiltersSchema>;

export function pairWhere(datasetId: number, filters: ExportFilters): Prisma.PairWhereInput {
  const where: Prisma.PairWhereInput = { datasetId };
  if (filters.status === "accepted") where.status = { in: ["accepted", "edited"] };
  else if (filters.status !== "all") where.status = filters.status;
  if (filters.minReviews > 0) where.reviewCount = { gte: filters.minReviews };
  if (filters.method) where.method = filters.method;
  if (filters.maxDepth !== undefined) where.depth = { lte: filters.maxDepth };
  return where;
}

/** How many pairs an export with these filters would hold (shown before exporting). */
export async function countPairs(db: Db, datasetId: number, filters: ExportFilters): Promise<number> {
  return db.pair.count({ where: pairWhere(datasetId, filters) });
}

export type ExportResponse = { id: number; text: string; role: string; provider: string; model: string };

/** A pair as exports see it: its current responses (human edits win) and the prompt to train on. */
export type ExportPair = {
  id: number;
  nodeId: number;
  seedId: number;
  method: string;
  status: string;
  depth: number;
  reviewCount: number;
  hardNegative: boolean | null;
  constraintIds: string[];
  /** The node's instruction, or the edited prompt of the pair's latest edit review. */
  prompt: string;
  promptEdited: boolean;
  chosen: ExportResponse;
  rejected: ExportResponse;
};

const responseSelect = { id: true, text: true, role: true, provider: true, model: true } as const;

/**
 * The edited prompt per pair: the latest edit review that changed the prompt (a later edit of only
 * the responses keeps it, as lib/review does; it also keeps it on Pair.metadata.editedPrompt).
 */
export async function editedPrompts(db: Db, pairIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (pairIds.length === 0) return out;
  const edits = await inSlices(pairIds, (slice) =>
    db.review.findMany({
      where: { pairId: { in: slice }, decision: "edit", editedPrompt: { not: null } },
      orderBy: { id: "asc" },
      select: { pairId: true, editedPrompt: true },
    }),
  );
  for (const edit of edits) if (edit.editedPrompt) out.set(edit.pairId, edit.editedPrompt);
  return out;
}

/** Pair.metadata.editedPrompt, where lib/review keeps the prompt a reviewer edited. */
export function metadataPrompt(metadata: unknown): string | undefined {
  const edited =
    metadata && typeof metadata === "object" && !Array.isArray(metadata)
      ? (metadata as { editedPrompt?: unknown }).editedPrompt
      : undefined;
  return typeof edited === "string" && edited.length > 0 ? edited : undefined;
}

/**
 * The selected pairs in id order, a batch at a time, by keyset pagination (id > last, take N):
 * every batch costs the same however deep into the table it is, and memory holds one batch.
 */
export async function* iteratePairs(
  db: Db,
  datasetId: number,
  filters: ExportFilters,
  batchSize = 400,
): AsyncGenerator<ExportPair[]> {
  const where = pairWhere(datasetId, filters);
  let last = 0;
  for (;;) {
    const rows = await db.pair.findMany({
      where: { ...where, id: { gt: last } },
      orderBy: { id: "asc" },
      take: batchSize,
      select: {
        id: true,
        nodeId: true,
        method: true,
        status: true,
        depth: true,
        reviewCount: true,
        hardNegative: true,
        constraintIds: true,
        metadata: true,
        node: { select: { instruction: true, seedId: true } },
        chosen: { select: responseSelect },
        rejected: { select: responseSelect },
      },
    });
    if (rows.length === 0) return;
    last = rows[rows.length - 1]!.id;
    const prompts = await editedPrompts(
      db,
      rows.map((r) => r.id),
    );
    yield rows.map((row) => {
      const edited = metadataPrompt(row.metadata) ?? prompts.get(row.id);
      return {
        id: row.id,
        nodeId: row.nodeId,
        seedId: row.node.seedId,
        method: row.method,
        status: row.status,
        depth: row.depth,
        reviewCount: row.reviewCount,
        hardNegative: row.hardNegative,
        constraintIds: row.constraintIds.split(/\s+/).filter(Boolean),
        prompt: edited ?? row.node.instruction,
        promptEdited: edited !== undefined,
        chosen: row.chosen,
        rejected: row.rejected,
      };
    });
    if (rows.length < batchSize) return;
  }
}
