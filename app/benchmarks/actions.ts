"use server";

import { revalidatePath } from "next/cache";
import { Readable } from "node:stream";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db/client";
import { removeUploadedSet, uploadBenchmarkSet, uploadSetSchema } from "@/lib/decontam/sets";

const uploadInput = uploadSetSchema.extend({
  file: z
    .instanceof(File, { error: "choose a prompt file" })
    .refine((f) => f.size > 0, "choose a prompt file (this one is empty)"),
});

/** Adds an uploaded benchmark set (researchers and admins) and starts the recheck job. */
export const uploadBenchmarkSetAction = defineAction(
  { scope: "datasets:manage", input: uploadInput },
  async ({ file, ...meta }, { user }) => {
    const { set, job } = await uploadBenchmarkSet(getDb(), {
      ...meta,
      source: Readable.fromWeb(file.stream() as import("node:stream/web").ReadableStream<Uint8Array>),
      fileName: file.name,
      actorId: user.id,
    });
    revalidatePath("/benchmarks");
    return {
      ok: true as const,
      data: { jobId: job?.id ?? null },
      message: `Added "${set.name}" with ${set.prompts} prompts${job ? `: re-checking existing seeds and nodes (job #${job.id})` : ""}.`,
    };
  },
);

/** Removes an uploaded set; the flags are recomputed by a recheck job. */
export const removeBenchmarkSetAction = defineAction(
  { scope: "datasets:manage", input: z.object({ name: z.string().trim().min(1, "name is required") }) },
  async ({ name }, { user }) => {
    const { job } = await removeUploadedSet(getDb(), name, user.id);
    revalidatePath("/benchmarks");
    return { ok: true as const, data: { jobId: job?.id ?? null }, message: `Removed "${name}".` };
  },
);
