"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getDataset } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";
import { revalidatePath } from "next/cache";
import { cancelExport, countPairs, exportFiltersSchema } from "@/lib/io";

const countSchema = exportFiltersSchema.extend({ datasetId: z.coerce.number().int().positive() });

/** How many pairs an export with these filters would hold, shown before exporting. */
export const countExportAction = defineAction(
  { scope: "exports:create", dataset: (input) => input.datasetId, input: countSchema },
  async ({ datasetId, ...filters }) => {
    const db = getDb();
    await getDataset(db, datasetId);
    return { count: await countPairs(db, datasetId, filters) };
  },
);

const cancelSchema = z.object({
  datasetId: z.coerce.number({ error: "datasetId must be a number" }).int().positive(),
  jobId: z.coerce.number({ error: "jobId must be a number" }).int().positive(),
});

/** Cancels a background export of this dataset; its task stops at its next page and removes its files. */
export const cancelExportAction = defineAction(
  { scope: "exports:create", dataset: (input) => input.datasetId, input: cancelSchema },
  async ({ datasetId, jobId }, { user }) => {
    await cancelExport(getDb(), datasetId, jobId, user.id);
    revalidatePath(`/datasets/${datasetId}/export`);
    return { ok: true as const, data: undefined, message: `Export job ${jobId} cancelled` };
  },
);
