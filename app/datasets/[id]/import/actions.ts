"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getDataset } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";
import {
  type ImportPreview,
  previewImport,
  UPLOAD_LIMITS,
  uploadMapping,
  uploadOptionsSchema,
  webStreamSource,
} from "@/lib/io";

/** Sample size the page sends for the preview (well under the server-action body limit). */
const MAX_SAMPLE = 256 * 1024;

const previewSchema = uploadOptionsSchema.extend({
  datasetId: z.coerce.number().int().positive(),
  sample: z
    .instanceof(File, { error: "Choose a file" })
    .refine((f) => f.size <= MAX_SAMPLE, "The preview sample is too large"),
  partial: z.enum(["0", "1"]).default("0"),
});

/** What an import of the chosen file would do: detected format, shape and mapping, and the first rows. */
export const previewImportAction = defineAction(
  { scope: "datasets:manage", dataset: (input) => input.datasetId, input: previewSchema },
  async (input): Promise<ImportPreview> => {
    await getDataset(getDb(), input.datasetId);
    // An ImportError is a DomainError about the "file" field: it comes back as that field's message.
    return previewImport(webStreamSource(input.sample.stream()), {
      fileName: input.fileName,
      format: input.format,
      shape: input.shape,
      mapping: uploadMapping(input),
      partial: input.partial === "1",
      limits: UPLOAD_LIMITS,
      rows: 10,
    });
  },
);
