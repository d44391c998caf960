"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { requestDatasetDeletion } from "@/lib/datasets/delete";
import { addMember, removeMember } from "@/lib/datasets/members";
import { datasetSettingsUpdateSchema, updateDatasetSettings } from "@/lib/datasets/settings";
import { getDb } from "@/lib/db/client";

/** The settings page: settings (one form), members (add / remove), delete (type the name). */

const datasetId = z.coerce.number().int().positive();
const byDataset = (input: { datasetId: number }) => input.datasetId;
/** A checkbox: "on" when ticked, absent when not. */
const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean()])
  .optional()
  .transform((v) => v === "on" || v === "true" || v === true);

const settingsFormSchema = datasetSettingsUpdateSchema
  .required()
  .extend({ datasetId, blind: checkbox, adjudication: checkbox });

export const updateSettingsAction = defineAction(
  { scope: "datasets:manage", input: settingsFormSchema, dataset: byDataset },
  async ({ datasetId, ...update }, { user }) => {
    const result = await updateDatasetSettings(getDb(), datasetId, update, user.id);
    revalidatePath(`/datasets/${datasetId}`, "layout");
    revalidatePath("/");
    const message =
      result.changed.length === 0
        ? "Nothing changed"
        : `Saved: ${result.changed.join(", ")}` +
          (result.guidelineVersion ? ` (guidelines version ${result.guidelineVersion})` : "") +
          (result.resettleJobId ? `; pending pairs are settled again in job ${result.resettleJobId}` : "");
    return { ok: true as const, data: result, message };
  },
);

const memberSchema = z.object({ datasetId, email: z.string().trim().min(1, "Email is required") });

export const addMemberAction = defineAction(
  { scope: "datasets:manage", input: memberSchema, dataset: byDataset },
  async ({ datasetId, email }, { user }) => {
    const member = await addMember(getDb(), datasetId, email, user.id);
    revalidatePath(`/datasets/${datasetId}/settings`);
    return { ok: true as const, data: undefined, message: `${member.email} is a member` };
  },
);

export const removeMemberAction = defineAction(
  { scope: "datasets:manage", input: memberSchema, dataset: byDataset },
  async ({ datasetId, email }, { user }) => {
    await removeMember(getDb(), datasetId, email, user.id);
    revalidatePath(`/datasets/${datasetId}/settings`);
    return { ok: true as const, data: undefined, message: `${email} is no longer a member` };
  },
);

export const deleteDatasetAction = defineAction(
  { scope: "datasets:manage", input: z.object({ datasetId, confirm: z.string() }), dataset: byDataset },
  async ({ datasetId, confirm }, { user }) => {
    const job = await requestDatasetDeletion(getDb(), datasetId, confirm, user.id);
    revalidatePath("/");
    redirect(`/jobs/${job.id}`);
  },
);
