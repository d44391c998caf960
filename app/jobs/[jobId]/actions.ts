"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { jobDatasetId } from "@/lib/auth/dataset-access";
import { getDb } from "@/lib/db/client";
import { cancelJob, retryFailedTasks } from "@/lib/jobs";

const input = z.object({ jobId: z.coerce.number({ error: "jobId must be a number" }).int().positive() });

/** A job of a dataset the user may not see does not exist for them. */
const byJob = ({ jobId }: z.output<typeof input>) => jobDatasetId(getDb(), jobId);

export const cancelJobAction = defineAction(
  { scope: "jobs:run", input, dataset: byJob },
  async ({ jobId }, { user }) => {
    const result = await cancelJob(getDb(), jobId, user.id);
    revalidatePath(`/jobs/${jobId}`);
    return {
      ok: true as const,
      data: undefined,
      message: `Cancelled: ${result.cancelledTasks} queued task(s) will not run; running ones stop at their next checkpoint`,
    };
  },
);

export const retryFailedAction = defineAction(
  { scope: "jobs:run", input, dataset: byJob },
  async ({ jobId }, { user }) => {
    const result = await retryFailedTasks(getDb(), jobId, user.id);
    revalidatePath(`/jobs/${jobId}`);
    return { ok: true as const, data: undefined, message: `Queued ${result.requeued} task(s) again` };
  },
);
