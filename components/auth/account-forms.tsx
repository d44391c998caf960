"use client";

import { useActionState } from "react";
import { changePasswordAction, signOutEverywhereAction } from "@/app/account/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";

export function ChangePasswordForm() {
  const [result, action, pending] = useActionState(changePasswordAction, null);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-3" aria-label="Change password">
      <Field label="Current password" htmlFor="current-password" error={errors?.currentPassword}>
        <Input
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={!!errors?.currentPassword}
        />
      </Field>
      <Field
        label="New password"
        htmlFor="new-password"
        error={errors?.newPassword}
        hint="At least 12 characters; not a commonly used password."
      >
        <Input
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={!!errors?.newPassword}
        />
      </Field>
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
