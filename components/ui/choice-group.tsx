import type { ReactNode } from "react";

/** One choice of a group: its value, what the person reads, and whether it can be chosen now. */
export type Choice = { value: string; label: ReactNode; disabled?: boolean };

/** The `<option>`s of a select, from a list of choices (the one place option markup is written). */
export function ChoiceOptions({ choices }: { choices: readonly Choice[] }) {
  return choices.map((c) => (
    <option key={c.value} value={c.value} disabled={c.disabled}>
      {c.label}
    </option>
  ));
}

/**
 * A group of checkboxes (any number) or radios (one) under a legend, submitted under `name`:
 * the choice-group primitive for filters and forms.
 */
export function ChoiceGroup({
  legend,
  name,
  choices,
  type = "checkbox",
  checked,
}: {
  legend: ReactNode;
  name: string;
  choices: readonly Choice[];
  type?: "checkbox" | "radio";
  checked?: readonly string[];
}) {
  return (
    <fieldset>
      <legend className="mb-1 font-medium text-slate-700">{legend}</legend>
      <div className="flex flex-wrap gap-x-3">
        {choices.map((c) => (
          <label key={c.value} className="flex items-center gap-1">
            <input
              type={type}
              name={name}
              value={c.value}
              disabled={c.disabled}
              defaultChecked={checked?.includes(c.value)}
            />{" "}
            {c.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
