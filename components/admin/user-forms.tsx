"use client";

import { useActionState, useState } from "react";
import {
  createUserAction,
  resetPasswordAction,
  setUserDisabledAction,
  setUserRoleAction,
  signOutUserEverywhereAction,
  unlockSignInAction,
} from "@/app/admin/users/actions";
import { NEW_PASSWORD_HINT, PasswordField } from "@/components/auth/password-field";
import { Td, Tr } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input, Select } from "@/components/ui/field";
import { ROLE_DESCRIPTIONS, ROLES } from "@/lib/auth/roles";

export function CreateUserForm() {
  const [result, action, pending] = useActionState(createUserAction, null);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const values = result && !result.ok ? result.values : undefined;
  return (
    <form action={action} className="space-y-3" aria-label="Create user">
      <Field label="Email" htmlFor="new-email" error={errors?.email}>
        <Input
          id="new-email"
          name="email"
          type="email"
          required
          defaultValue={values?.email}
          aria-invalid={!!errors?.email}
        />
      </Field>
      <Field label="Name" htmlFor="new-name" error={errors?.name}>
        <Input id="new-name" name="name" defaultValue={values?.name} />
      </Field>
      <Field label="Role" htmlFor="new-role" error={errors?.role}>
        <Select id="new-role" name="role" defaultValue={values?.role ?? "annotator"} key={values?.role}>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role} — {ROLE_DESCRIPTIONS[role]}
            </option>
          ))}
        </Select>
      </Field>
      <PasswordField
        id="new-password"
        name="password"
        label="Initial password"
        error={errors?.password}
        hint={`${NEW_PASSWORD_HINT} Share it privately.`}
        autoComplete="new-password"
      />
      <FormMessage result={result} />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create user"}
      </Button>
    </form>
  );
}

export function UserRow({
  user,
  isSelf,
}: {
  user: { id: number; email: string; name: string; role: string; disabled: boolean };
  isSelf: boolean;
}) {
  const [roleResult, roleAction, rolePending] = useActionState(setUserRoleAction, null);
  const [statusResult, statusAction, statusPending] = useActionState(setUserDisabledAction, null);
  const [resetResult, resetAction, resetPending] = useActionState(resetPasswordAction, null);
  const [unlockResult, unlockAction, unlockPending] = useActionState(unlockSignInAction, null);
  const [signOutResult, signOutAction, signOutPending] = useActionState(signOutUserEverywhereAction, null);
  // The row shows the answer of the form used last.
  const [last, setLast] = useState(0);
  const result = [roleResult, statusResult, resetResult, unlockResult, signOutResult][last];
  const run = (index: number, action: (form: FormData) => void) => (form: FormData) => {
    setLast(index);
    action(form);
  };
  return (
    <Tr className={user.disabled ? "text-slate-400" : undefined} data-testid={`user-row-${user.email}`}>
      <Td className="text-sm">
        {user.email}
        {user.name ? <span className="block text-xs text-slate-500">{user.name}</span> : null}
      </Td>
      <Td>
        <form action={run(0, roleAction)} className="flex items-center gap-2">
          <input type="hidden" name="userId" value={user.id} />
          <Select name="role" defaultValue={user.role} aria-label={`Role of ${user.email}`} className="w-36">
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </Select>
          <Button type="submit" variant="secondary" disabled={rolePending}>
            Save
          </Button>
        </form>
      </Td>
      <Td>
        {isSelf ? (
          <span className="text-xs text-slate-500">you</span>
        ) : (
          <form action={run(1, statusAction)}>
            <input type="hidden" name="userId" value={user.id} />
            <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
            <Button type="submit" variant={user.disabled ? "secondary" : "ghost"} disabled={statusPending}>
              {user.disabled ? "Enable" : "Disable"}
            </Button>
          </form>
        )}
      </Td>
      <Td>
        <div className="flex flex-wrap gap-1">
          {isSelf ? null : (
            <form action={run(2, resetAction)}>
              <input type="hidden" name="userId" value={user.id} />
              <Button type="submit" variant="ghost" disabled={resetPending}>
                Reset password
              </Button>
            </form>
          )}
          <form action={run(3, unlockAction)}>
            <input type="hidden" name="userId" value={user.id} />
            <Button type="submit" variant="ghost" disabled={unlockPending}>
              Unlock sign-in
            </Button>
          </form>
          {isSelf ? null : (
            <form action={run(4, signOutAction)}>
              <input type="hidden" name="userId" value={user.id} />
              <Button type="submit" variant="ghost" disabled={signOutPending}>
                Sign out everywhere
              </Button>
            </form>
          )}
        </div>
      </Td>
      <Td className="text-sm">
        <FormMessage result={result} />
      </Td>
    </Tr>
  );
}
