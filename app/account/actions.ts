"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { changePasswordSchema } from "@/lib/auth/schemas";
import { getSessionId } from "@/lib/auth/session";
import { changeOwnPassword, signOutEverywhere } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";

export const changePasswordAction = defineAction(
  { scope: "account:own", input: changePasswordSchema },
  async (input, { user }) => {
    await changeOwnPassword(getDb(), user.id, input, await getSessionId());
    return {
      ok: true as const,
      data: undefined,
      message: "Password changed. Your other sessions are signed out.",
    };
  },
);

// The form sends confirm=yes, so that a call without it (a stray request) changes nothing.
const confirmSchema = z.object({ confirm: z.literal("yes", { error: "Confirm with yes" }) });

export const signOutEverywhereAction = defineAction(
  { scope: "account:own", input: confirmSchema },
  async (_, { user }) => {
    await signOutEverywhere(getDb(), user.id, user.id);
    redirect("/signin");
  },
);
