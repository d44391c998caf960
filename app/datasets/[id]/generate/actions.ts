"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db/client";
import { checkModelChoices, generateFormSchema, startEstimate, startJob } from "@/lib/jobs";
import { listProviders } from "@/lib/llm/providers";

export const startGenerationAction = defineAction(
  { scope: "jobs:run", dataset: (input) => input.datasetId, input: generateFormSchema },
  async (input, { user }) => {
    const job = await startJob(
      getDb(),
      { ...input, createdById: user.id },
      { checkModels: (models) => checkModelChoices(models, listProviders(), { mode: input.params.mode }) },
    );
    revalidatePath(`/datasets/${input.datasetId}/jobs`);
    redirect(`/jobs/${job.id}`);
  },
);

/** "Estimate": the same form, run as a job of kind estimate on a sample of the seeds (the job page follows it). */
export const startEstimateAction = defineAction(
  { scope: "jobs:run", dataset: (input) => input.datasetId, input: generateFormSchema },
  async (input, { user }) => {
    const job = await startEstimate(
      getDb(),
      { ...input, createdById: user.id },
      { checkModels: (models) => checkModelChoices(models, listProviders()) },
    );
    revalidatePath(`/datasets/${input.datasetId}/jobs`);
    redirect(`/jobs/${job.id}`);
  },
);
