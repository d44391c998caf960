import { Field, Input } from "@/components/ui/field";

/**
 * A labelled number input with its hint or error: the one shape of the forms' numeric settings
 * (the dataset settings, the generation form). The server validates; min/max/step only help the browser.
 */
export function NumberField({
  label,
  id,
  name,
  error,
  hint,
  min,
  max,
  step,
  required,
  placeholder,
  defaultValue,
}: {
  label: string;
  id: string;
  name: string;
  error?: string;
  hint?: string;
  min?: number;
  max?: number;
  step?: number;
  required?: boolean;
  placeholder?: string;
  defaultValue?: string | number;
}) {
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <Input
        id={id}
        name={name}
        type="number"
        min={min}
        max={max}
        step={step}
        required={required}
        placeholder={placeholder}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
    </Field>
  );
}
