"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db/client";
import { adjudicate } from "@/lib/review";
import { adjudicationInputSchema } from "@/lib/review/types";

/** A researcher's final decision on a pair in adjudication (accept / flip / reject), audited. */
export const adjudicateAction = defineAction(
  {
    scope: "pairs:bulk",
    dataset: (input) => input.datasetId,
    input: adjudicationInputSchema.extend({ datasetId: z.coerce.number().int().positive() }),
  },
  async (input, { user }) => {
    const outcome = await adjudicate(getDb(), user, input, { datasetId: input.datasetId });
    revalidatePath(`/datasets/${input.datasetId}/adjudication`);
    revalidatePath(`/datasets/${input.datasetId}`);
    return { pairId: outcome.pairId, status: outcome.status };
  },
);
