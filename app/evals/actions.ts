"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db/client";
import { startEvalRun } from "@/lib/eval";

const optionalNumber = (what: string) =>
  z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : v),
    z.coerce.number({ error: `must be ${what}` }).optional(),
  );

const input = z.object({
  provider: z.string().trim().min(1, "choose a provider"),
  model: z.string().trim().min(1, "enter a model name"),
  benchmark: z.string().trim().min(1, "choose a benchmark"),
  temperature: optionalNumber("a number"),
  maxTokens: optionalNumber("a whole number"),
  concurrency: optionalNumber("a whole number"),
  systemPrompt: z.string().optional(),
  trainingData: z.string().optional(),
});

/** Starts an evaluation run (researchers and admins) and opens its page. */
export const startEvalRunAction = defineAction({ scope: "jobs:run", input }, async (values, { user }) => {
  const { runId } = await startEvalRun(getDb(), values, user.id);
  redirect(`/evals/${runId}`);
});
