/**
 * Per-constraint verification of a response: code (followsStrict) for verifiable constraints,
 * the judge for free-form ones.
 *
 * A verdict may be UNKNOWN (no judge configured, the judge's reply unparsable, invalid kwargs):
 * it is recorded as `passed: false` with the reason, and the pipelines never count an unknown
 * verdict as evidence that a rejected response fails a constraint.
 */
import { ConstraintKwargsError, followsStrict } from "../constraints/index";
import type { Judge, Judgement, RoleOutcome } from "./roles";
import { excerpt } from "./text";
import type { Constraint, Verification } from "./types";

export interface Checked extends Verification {
  unknown: boolean;
}

/** Memoised judge calls within one run (same instruction, response and requirement). */
export type JudgeCache = Map<string, RoleOutcome<Judgement>>;

export interface VerifyContext {
  judge?: Judge;
  cache: JudgeCache;
}

export function checkVerifiable(c: Extract<Constraint, { kind: "verifiable" }>, index: number, text: string): Checked {
  try {
    return {
      constraintIndex: index,
      id: c.id,
      passed: followsStrict(c.id, c.kwargs, text),
      by: "code",
      unknown: false,
    };
  } catch (err) {
    if (!(err instanceof ConstraintKwargsError)) throw err;
    return {
      constraintIndex: index,
      id: c.id,
      passed: false,
      by: "code",
      reason: `invalid kwargs: ${err.message}`,
      unknown: true,
    };
  }
}

async function checkFree(
  text: string,
  requirement: string,
  index: number,
  instruction: string,
  ctx: VerifyContext,
): Promise<Checked> {
  if (!ctx.judge) {
    return {
      constraintIndex: index,
      passed: false,
      by: "judge",
      reason: "no judge model configured for free-form constraints",
      unknown: true,
    };
  }
  const key = JSON.stringify([instruction, text, requirement]);
  let verdict = ctx.cache.get(key);
  if (!verdict) {
    verdict = await ctx.judge.judge({ instruction, response: text, requirement });
    ctx.cache.set(key, verdict);
  }
  if (!verdict.ok)
    return {
      constraintIndex: index,
      passed: false,
      by: "judge",
      reason: `judge failed: ${verdict.reason}`,
      unknown: true,
    };
  return {
    constraintIndex: index,
    passed: verdict.value.passed,
    by: "judge",
    reason: verdict.value.reason || undefined,
    unknown: false,
  };
}

/**
 * Verifies `text` against `constraints[i]` for every i in `indexes` (default: all), in order.
 * Judge calls are sequential (deterministic call order for the request cache and the tests).
 */
export async function verify(
  text: string,
  constraints: readonly Constraint[],
  instruction: string,
  ctx: VerifyContext,
  indexes: readonly number[] = constraints.map((_, i) => i),
): Promise<Checked[]> {
  const out: Checked[] = [];
  for (const i of indexes) {
    const c = constraints[i]!;
    out.push(
      c.kind === "verifiable" ? checkVerifiable(c, i, text) : await checkFree(text, c.text, i, instruction, ctx),
    );
  }
  return out;
}

/** The public form (drops the internal `unknown` flag and undefined fields). */
export function toVerification(c: Checked): Verification {
  const v: Verification = { constraintIndex: c.constraintIndex, passed: c.passed, by: c.by };
  if (c.id !== undefined) v.id = c.id;
  if (c.reason !== undefined) v.reason = c.reason;
  return v;
}

/** "#2 punctuation:no_comma" or "#3 "cover the costs" (judge: too vague)". */
export function describeFailure(c: Checked, constraints: readonly Constraint[]): string {
  const constraint = constraints[c.constraintIndex]!;
  const name = constraint.kind === "verifiable" ? constraint.id : JSON.stringify(excerpt(constraint.text, 80));
  return `#${c.constraintIndex} ${name}${c.reason ? ` (${c.reason})` : ""}`;
}
