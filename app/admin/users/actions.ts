"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { roleSchema } from "@/lib/auth/roles";
import { newUserSchema } from "@/lib/auth/schemas";
import { createUser, setUserDisabled, setUserRole } from "@/lib/auth/users";
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
