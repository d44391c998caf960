"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db/client";
import { removeUploadedSet } from "@/lib/decontam/sets";

/** Removes an uploaded set; the flags are recomputed by a recheck job. */
export const removeBenchmarkSetAction = defineAction(
  { scope: "datasets:manage", input: z.object({ name: z.string().trim().min(1, "name is required") }) },
  async ({ name }, { user }) => {
    const { job } = await removeUploadedSet(getDb(), name, user.id);
    revalidatePath("/benchmarks");
    return { ok: true as const, data: { jobId: job?.id ?? null }, message: `Removed "${name}".` };
  },
);
