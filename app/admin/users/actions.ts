"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { roleSchema } from "@/lib/auth/roles";
import { newUserSchema } from "@/lib/auth/schemas";
import {
  createUser,
  setPassword,
  setUserDisabled,
  setUserRole,
  signOutEverywhere,
  unlockSignIn,
} from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";

export const createUserAction = defineAction(
  { scope: "users:manage", input: newUserSchema },
  async (input, { user }) => {
    const created = await createUser(getDb(), input, user.id);
    revalidatePath("/admin/users");
    return { ok: true as const, data: { id: created.id }, message: `Created ${created.role} ${created.email}` };
  },
);

const userIdSchema = z.coerce.number({ error: "userId must be a number" }).int().positive();

export const setUserRoleAction = defineAction(
  { scope: "users:manage", input: z.object({ userId: userIdSchema, role: roleSchema }) },
  async ({ userId, role }, { user }) => {
    const updated = await setUserRole(getDb(), userId, role, user.id);
    revalidatePath("/admin/users");
    return { ok: true as const, data: undefined, message: `${updated.email} is now ${updated.role}` };
  },
);

export const setUserDisabledAction = defineAction(
  {
    scope: "users:manage",
    input: z.object({ userId: userIdSchema, disabled: z.enum(["true", "false"]).transform((v) => v === "true") }),
  },
  async ({ userId, disabled }, { user }) => {
    const updated = await setUserDisabled(getDb(), userId, disabled, user.id);
    revalidatePath("/admin/users");
    return {
      ok: true as const,
      data: undefined,
      message: `${updated.email} is ${updated.disabled ? "disabled" : "enabled"}`,
    };
  },
);

const userInput = z.object({ userId: userIdSchema });

/** A generated password, returned once in this answer and never stored in clear. */
export const resetPasswordAction = defineAction(
  { scope: "users:manage", input: userInput },
  async ({ userId }, { user }) => {
    const { user: target, generatedPassword } = await setPassword(getDb(), userId, user.id);
    return {
      ok: true as const,
      data: { password: generatedPassword as string },
      message: `New password for ${target.email} (shown once, share it privately): ${generatedPassword}`,
    };
  },
);

export const unlockSignInAction = defineAction(
  { scope: "users:manage", input: userInput },
  async ({ userId }, { user }) => {
    const target = await unlockSignIn(getDb(), userId, user.id);
    return { ok: true as const, data: undefined, message: `Sign-in limits cleared for ${target.email}` };
  },
);

export const signOutUserEverywhereAction = defineAction(
  { scope: "users:manage", input: userInput },
  async ({ userId }, { user }) => {
    const target = await signOutEverywhere(getDb(), userId, user.id);
    return { ok: true as const, data: undefined, message: `Every session of ${target.email} is signed out` };
  },
);
