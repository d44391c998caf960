/**
 * Pass/fail per constraint for one response text (pure; runs in the browser, where the review
 * screen re-checks on every keystroke). Verifiable constraints are checked by code with
 * lib/constraints (IFEval strict); free-form ones show the judge's stored verdict, when there is
 * one for this exact response.
 */
import { describeConstraint, followsStrict, isConstraintId } from "../constraints/index.ts";
import type { ConstraintView, StoredConstraint, VerificationEntry, Verdict } from "./types.ts";

export function constraintLabel(constraint: StoredConstraint): string {
  if (constraint.kind === "free") return constraint.text;
  if (constraint.text) return constraint.text;
  if (isConstraintId(constraint.id)) {
    try {
      return describeConstraint(constraint.id, constraint.kwargs);
    } catch {
      return constraint.id;
    }
  }
  return constraint.id;
}

/** `isNew`: per constraint, new at its node (from the verdict record or newConstraintFlags). */
export function toConstraintViews(
  constraints: readonly StoredConstraint[],
  isNew: readonly boolean[],
): ConstraintView[] {
  return constraints.map((c, index) => ({ ...c, index, label: constraintLabel(c), isNew: isNew[index] ?? false }));
}

export function checkConstraint(
  constraint: StoredConstraint,
  index: number,
  text: string,
  stored: readonly VerificationEntry[],
): Verdict {
  if (constraint.kind === "verifiable" && isConstraintId(constraint.id)) {
    try {
      return { index, passed: followsStrict(constraint.id, constraint.kwargs, text), by: "code" };
    } catch (error) {
      return { index, passed: null, by: null, reason: `Cannot check: ${(error as Error).message}` };
    }
  }
  const entry = stored.find((e) => e.constraintIndex === index);
  if (entry) return { index, passed: entry.passed, by: entry.by, reason: entry.reason };
  if (constraint.kind === "verifiable")
    return { index, passed: null, by: null, reason: `Unknown constraint id ${constraint.id}` };
  return { index, passed: null, by: null, reason: "Not judged" };
}

export function checkConstraints(
  constraints: readonly StoredConstraint[],
  text: string,
  stored: readonly VerificationEntry[] = [],
): Verdict[] {
  return constraints.map((c, index) => checkConstraint(c, index, text, stored));
}

/** Verification JSON for a text checked by code (verifiable constraints only; e.g. a human edit). */
export function codeVerification(constraints: readonly StoredConstraint[], text: string): VerificationEntry[] {
  const out: VerificationEntry[] = [];
  constraints.forEach((c, index) => {
    if (c.kind !== "verifiable" || !isConstraintId(c.id)) return;
    const verdict = checkConstraint(c, index, text, []);
    if (verdict.passed !== null) out.push({ constraintIndex: index, id: c.id, passed: verdict.passed, by: "code" });
  });
  return out;
}
