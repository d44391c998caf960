"use client";

import { useActionState } from "react";
import { changePasswordAction, signOutEverywhereAction } from "@/app/account/actions";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { NEW_PASSWORD_HINT, PasswordField } from "./password-field";

export function ChangePasswordForm() {
  const [result, action, pending] = useActionState(changePasswordAction, null);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-3" aria-label="Change password">
      <PasswordField
        id="current-password"
        name="currentPassword"
        label="Current password"
        error={errors?.currentPassword}
        autoComplete="current-password"
      />
      <PasswordField
        id="new-password"
        name="newPassword"
        label="New password"
        error={errors?.newPassword}
        hint={NEW_PASSWORD_HINT}
        autoComplete="new-password"
      />
      <FormMessage result={result} />
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}

export function SignOutEverywhereForm() {
  const [result, action, pending] = useActionState(signOutEverywhereAction, null);
  return (
    <form action={action} className="space-y-3" aria-label="Sign out everywhere">
      <input type="hidden" name="confirm" value="yes" />
      <p className="text-sm text-slate-600">
        Ends every session of your account, on every browser and device, including this one.
      </p>
      <FormMessage result={result} />
      <Button type="submit" variant="secondary" disabled={pending}>
        Sign out everywhere
      </Button>
    </form>
  );
}
