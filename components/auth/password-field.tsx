import { Field, Input } from "@/components/ui/field";

/** A labelled password input with its error (or hint); `autoComplete` tells password managers which one it is. */
export function PasswordField({
  id,
  name,
  label,
  error,
  hint,
  autoComplete,
}: {
  id: string;
  name: string;
  label: string;
  error?: string;
  hint?: string;
  autoComplete: "current-password" | "new-password";
}) {
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <Input id={id} name={name} type="password" autoComplete={autoComplete} required aria-invalid={!!error} />
    </Field>
  );
}

export const NEW_PASSWORD_HINT = "At least 12 characters, not a commonly used password.";
