import { z } from "zod";
import { recordAudit } from "../audit.ts";
import { addGuidelineVersion } from "./guidelines.ts";
import { type DatasetViewer, datasetNotFound, visibleDatasetsWhere } from "../auth/dataset-access.ts";
import type { Db } from "../db/client.ts";
import { invisibleCounts } from "../db/import-sql.ts";
import { PAIR_STATUSES } from "../domain.ts";
import { DomainError } from "../errors.ts";

/** Datasets: the one write path for their creation and settings, and their counts. */

export const datasetNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(80, "Name must be at most 80 characters")
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u,
    "Name may contain letters, digits, spaces, '.', '_' and '-' and must start with a letter or digit",
  );

export const datasetDescriptionSchema = z.string().trim().max(2000, "Description must be at most 2000 characters");
export const datasetGuidelinesSchema = z.string().max(50_000, "Guidelines must be at most 50,000 characters");

export const newDatasetSchema = z.object({
  name: datasetNameSchema,
  description: datasetDescriptionSchema.default(""),
  guidelines: datasetGuidelinesSchema.default(""),
});

export const REVIEW_MODES = ["labelled", "ab"] as const;
export type ReviewMode = (typeof REVIEW_MODES)[number];

/**
 * The one shape of `Dataset.settings` (a JSON column). Every reader parses through this schema, so a
 * setting added here gets its default on every existing dataset. Shared by the team, review,
 * agreement, export and evaluation modules; the settings page and `ecd dataset set` write it.
 */
export const datasetSettingsSchema = z
  .object({
    /** How many reviews a pair needs before it leaves the queue. */
    reviewsPerPair: z.number().int().min(1).max(10).default(1),
    /** Disagreeing votes send the pair to adjudication (a researcher decides) instead of the majority rule. */
    adjudication: z.boolean().default(false),
    /** A reviewer sees no other reviewer's votes, comments or names on a pair before voting on it. */
    blind: z.boolean().default(false),
    /** `labelled`: accept/reject the generated orientation; `ab`: A/B preference with the orientation hidden. */
    mode: z.enum(REVIEW_MODES).default("labelled"),
    /** Licence named in the dataset card of every export (an SPDX id or free text; empty: not stated). */
    licence: z.string().trim().max(200).default(""),
    /** Share of seeds held out for evaluation (lib/datasets/heldout.ts); exports leave them out. */
    heldoutShare: z.number().min(0).max(0.5).default(0),
  })
  .refine((s) => s.mode !== "ab" || s.blind, {
    message: "The A/B mode hides the orientation and needs blind review on",
    path: ["blind"],
  });
export type DatasetSettings = z.infer<typeof datasetSettingsSchema>;

export type DatasetSummary = { id: number; name: string; description: string; createdAt: Date };

export async function createDataset(
  db: Db,
  input: z.input<typeof newDatasetSchema>,
  actorId: number | null,
): Promise<DatasetSummary> {
  const data = newDatasetSchema.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const dataset = await tx.dataset.create({
        data: { ...data, settings: datasetSettingsSchema.parse({}) },
        select: { id: true, name: true, description: true, createdAt: true },
      });
      // Guidelines given at creation are version 1, so votes record the version they were cast under.
      if (data.guidelines) await addGuidelineVersion(tx, dataset.id, data.guidelines, actorId);
      await recordAudit(tx, {
        userId: actorId,
        action: "dataset.create",
        entityType: "dataset",
        entityId: dataset.id,
        data: { name: dataset.name },
      });
      return dataset;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002")
      throw new DomainError(`A dataset named "${data.name}" already exists`, "conflict", "name");
    throw error;
  }
}

/** The datasets `viewer` may see (lib/auth/dataset-access.ts): never one being deleted. */
export async function listDatasets(db: Db, viewer: DatasetViewer): Promise<DatasetSummary[]> {
  return db.dataset.findMany({
    where: visibleDatasetsWhere(viewer),
    select: { id: true, name: true, description: true, createdAt: true },
    orderBy: { id: "asc" },
  });
}

/** A dataset by name, for the CLI: only one `viewer` may see (`--as`; the operator sees all but deleted ones). */
export async function findDatasetByName(db: Db, name: string, viewer: DatasetViewer) {
  const dataset = await db.dataset.findFirst({ where: { name, ...visibleDatasetsWhere(viewer) } });
  if (!dataset) throw new DomainError(`No dataset named "${name}"`, "not_found", "name");
  return dataset;
}

/** A dataset by id; one being deleted does not exist any more. Access: lib/auth (the callers' gate). */
export async function getDataset(db: Db, id: number) {
  const dataset = await db.dataset.findFirst({ where: { id, deletedAt: null } });
  if (!dataset) throw datasetNotFound(id);
  return dataset;
}

/** How many seeds a dataset has (what a generation job can run over): visible ones only. */
export async function countSeeds(db: Db, datasetId: number): Promise<number> {
  // All rows minus those of unfinished imports (lib/db/visibility.ts): the count stays on its index.
  const [all, invisible] = await Promise.all([db.seed.count({ where: { datasetId } }), invisibleCounts(db, datasetId)]);
  return all - invisible.seeds;
}

export type DatasetStats = {
  dataset: string;
  seeds: number;
  nodes: number;
  responses: number;
  pairs: { total: number } & Record<(typeof PAIR_STATUSES)[number], number>;
  reviews: number;
};

/** Counts for the overview and `ecd dataset stats`. */
export async function datasetStats(db: Db, datasetId: number): Promise<DatasetStats> {
  const dataset = await getDataset(db, datasetId);
  const [allSeeds, allNodes, invisible, responses, byStatus, reviews] = await Promise.all([
    db.seed.count({ where: { datasetId } }),
    db.node.count({ where: { datasetId } }),
    // Rows of unfinished imports are not counted (lib/db/visibility.ts); subtracting keeps the counts on their index.
    invisibleCounts(db, datasetId),
    db.response.count({ where: { node: { datasetId } } }),
    // Pair counts come from the counters the pair write path (lib/review) keeps, not a COUNT(*).
    db.pairCount.findMany({ where: { datasetId } }),
    db.review.count({ where: { pair: { datasetId } } }),
  ]);
  const pairs = {
    total: 0,
    ...(Object.fromEntries(PAIR_STATUSES.map((s) => [s, 0])) as Record<(typeof PAIR_STATUSES)[number], number>),
  };
  for (const row of byStatus) {
    if (!(row.status in pairs) || row.status === "total") continue;
    pairs[row.status as keyof typeof pairs] += row.count;
    pairs.total += row.count;
  }
  return {
    dataset: dataset.name,
    seeds: allSeeds - invisible.seeds,
    nodes: allNodes - invisible.nodes,
    responses,
    pairs,
    reviews,
  };
}
