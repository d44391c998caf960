"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db/client";
import { bulkDecide, bulkDecisionSchema, countPairs, pairFilterSchema } from "@/lib/review";

/** Bulk decisions from the pairs table (pairs:bulk): first the exact count, then the decision. */

export const countSelectionAction = defineAction(
  {
    scope: "pairs:bulk",
    dataset: (input) => input.datasetId,
    input: z.object({ datasetId: z.coerce.number().int().positive(), filter: pairFilterSchema }),
  },
  async (input) => ({ count: await countPairs(getDb(), input.datasetId, input.filter) }),
);

export const bulkDecideAction = defineAction(
  { scope: "pairs:bulk", dataset: (input) => input.datasetId, input: bulkDecisionSchema },
  async (input, { user }) => {
    const result = await bulkDecide(getDb(), user, input);
    revalidatePath(`/datasets/${input.datasetId}`);
    revalidatePath(`/datasets/${input.datasetId}/pairs`);
    return result;
  },
);
