"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { createDataset, newDatasetSchema } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";

export const createDatasetAction = defineAction(
  { scope: "datasets:manage", input: newDatasetSchema },
  async (input, { user }) => {
    const dataset = await createDataset(getDb(), input, user.id);
    revalidatePath("/");
    return { ok: true as const, data: { id: dataset.id }, message: `Created dataset "${dataset.name}"` };
  },
);
