import { z } from "zod";
import { recordAudit } from "../audit.ts";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { DomainError } from "../errors.ts";
import { enqueueJob } from "../jobs/commands.ts";
import { RESETTLE } from "../review/resettle.ts";
import { addGuidelineVersion } from "./guidelines.ts";
import {
  datasetNameSchema,
  type DatasetSettings,
  datasetSettingsSchema,
  getDataset,
  datasetDescriptionSchema,
  datasetGuidelinesSchema,
  REVIEW_MODES,
} from "./index.ts";

/**
 * THE write path for a dataset's name, description, guidelines and settings (the settings page and
 * `ecd dataset set`). Every changed field is one audit event with its value before and after;
 * guidelines become a new version; a change of the rules that settle pairs (reviews per pair, mode,
 * adjudication) starts a `resettle` job for the pending pairs (DESIGN "Settings change").
 */

/** Each field optional: only what is given changes. Field names are the form's and the audit's. */
export const datasetSettingsUpdateSchema = z
  .object({
    name: datasetNameSchema,
    description: datasetDescriptionSchema,
    guidelines: datasetGuidelinesSchema,
    reviewsPerPair: z.coerce
      .number({ error: "reviewsPerPair must be a whole number from 1 to 10" })
      .int("reviewsPerPair must be a whole number from 1 to 10")
      .min(1, "reviewsPerPair must be a whole number from 1 to 10")
      .max(10, "reviewsPerPair must be a whole number from 1 to 10"),
    blind: z.boolean(),
    mode: z.enum(REVIEW_MODES, { error: "mode must be labelled or ab" }),
    adjudication: z.boolean(),
    licence: z.string().trim().max(200, "licence must be at most 200 characters"),
    heldoutShare: z.coerce
      .number({ error: "heldoutShare must be a number from 0 to 0.5" })
      .min(0, "heldoutShare must be a number from 0 to 0.5")
      .max(0.5, "heldoutShare must be a number from 0 to 0.5"),
  })
  .partial();
export type DatasetSettingsUpdate = z.input<typeof datasetSettingsUpdateSchema>;

const SETTINGS_KEYS = ["reviewsPerPair", "blind", "mode", "adjudication", "licence", "heldoutShare"] as const;
/** The settings that decide when a pair is final: changing one re-settles pending pairs. */
const SETTLING_KEYS = new Set<string>(["reviewsPerPair", "mode", "adjudication"]);

export type SettingsUpdateResult = { changed: string[]; guidelineVersion: number | null; resettleJobId: number | null };

export async function updateDatasetSettings(
  db: Db,
  datasetId: number,
  input: DatasetSettingsUpdate,
  actorId: number | null,
): Promise<SettingsUpdateResult> {
  const update = datasetSettingsUpdateSchema.parse(input);
  const dataset = await getDataset(db, datasetId);
  const before = datasetSettingsSchema.parse(dataset.settings ?? {});
  const merged = { ...before };
  for (const key of SETTINGS_KEYS) if (update[key] !== undefined) Object.assign(merged, { [key]: update[key] });
  const checked = datasetSettingsSchema.safeParse(merged);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new DomainError(issue.message, "invalid", issue.path.map(String).join(".") || undefined);
  }
  const after: DatasetSettings = checked.data;

  const changes: { field: string; before: unknown; after: unknown }[] = [];
  for (const key of ["name", "description"] as const)
    if (update[key] !== undefined && update[key] !== dataset[key])
      changes.push({ field: key, before: dataset[key], after: update[key] });
  for (const key of SETTINGS_KEYS)
    if (after[key] !== before[key]) changes.push({ field: key, before: before[key], after: after[key] });
  const guidelinesChanged = update.guidelines !== undefined && update.guidelines !== dataset.guidelines;

  let guidelineVersion: number | null = null;
  try {
    await db.$transaction(async (tx) => {
      // Guarded on updatedAt: a concurrent save in between is refused instead of silently overwritten.
      const written = await tx.dataset.updateMany({
        where: { id: datasetId, updatedAt: dataset.updatedAt, deletedAt: null },
        data: {
          ...(update.name !== undefined ? { name: update.name } : {}),
          ...(update.description !== undefined ? { description: update.description } : {}),
          ...(guidelinesChanged ? { guidelines: update.guidelines } : {}),
          settings: after as Prisma.InputJsonValue,
        },
      });
      if (written.count !== 1)
        throw new DomainError("The settings changed meanwhile; reload and try again", "conflict");
      if (guidelinesChanged) {
        guidelineVersion = await addGuidelineVersion(tx, datasetId, update.guidelines!, actorId);
        changes.push({ field: "guidelines", before: guidelineVersion - 1 || null, after: guidelineVersion });
      }
      for (const change of changes)
        await recordAudit(tx, {
          userId: actorId,
          action: "dataset.settings",
          entityType: "dataset",
          entityId: datasetId,
          data: change,
        });
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002")
      throw new DomainError(`A dataset named "${update.name}" already exists`, "conflict", "name");
    throw error;
  }

  let resettleJobId: number | null = null;
  const settlingChanged = changes.some((c) => SETTLING_KEYS.has(c.field));
  if (settlingChanged && (await db.pair.findFirst({ where: { datasetId, status: "pending" }, select: { id: true } }))) {
    const job = await enqueueJob(
      db,
      { kind: RESETTLE, datasetId, params: { concurrency: 1 }, maxAttempts: 3, createdById: actorId },
      [{ kind: RESETTLE, payload: { datasetId } }],
    );
    resettleJobId = job.id;
  }
  return { changed: changes.map((c) => c.field), guidelineVersion, resettleJobId };
}
