"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getDataset } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";
import { countPairs, exportFiltersSchema } from "@/lib/io";

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
