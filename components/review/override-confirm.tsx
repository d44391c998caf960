"use client";

import { useEffect, useRef } from "react";
import type { ConstraintView, Verdict } from "@/lib/review/types";
import { Kbd } from "./badges";

/** Labels of the constraints the chosen response fails by a code check (accepting it is an override). */
export function failingCodeChecks(constraints: readonly ConstraintView[], chosen: readonly Verdict[]): string[] {
  return chosen
    .filter((v) => v.passed === false && v.by === "code")
    .map((v) => constraints[v.index]?.label ?? `constraint ${v.index + 1}`);
}

/**
 * Asks before accepting a pair whose chosen response fails a verifiable constraint of its prompt.
 * Confirming sends the accept with `override`, which the review records and the overview counts.
 */
export function OverrideConfirm({
  failing,
  action,
  onConfirm,
  onCancel,
}: {
  failing: string[];
  action: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-label="Confirm override"
      data-testid="override-confirm"
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <p className="font-medium">
        The chosen response fails {failing.length === 1 ? "a check" : `${failing.length} checks`}:
      </p>
      <ul className="my-1 list-disc pl-5">
        {failing.map((label) => (
          <li key={label}>{label}</li>
        ))}
      </ul>
      <p>{action} anyway? It is recorded as an override, and exports can leave overrides out.</p>
      <div className="mt-2 flex gap-2">
        <button
          ref={confirmRef}
          type="button"
          onClick={onConfirm}
          className="rounded-md bg-amber-600 px-3 py-1.5 font-medium text-white hover:bg-amber-500"
        >
          {action} anyway
          <Kbd>↵</Kbd>
        </button>
        <button type="button" onClick={onCancel} className="rounded-md px-3 py-1.5 ring-1 ring-amber-300">
          Cancel
          <Kbd>Esc</Kbd>
        </button>
      </div>
    </div>
  );
}
