import type { ConstraintId, Kwargs } from "../ids";
import { CHECKS, parseKwargs } from "./index";

/** Builds the instruction from raw kwargs (as data would carry them) and runs the raw check. */
export function check(id: ConstraintId, kwargs: Kwargs, text: string): boolean {
  return CHECKS[id].check(text, parseKwargs(id, kwargs));
}

/** Removes the common leading indentation of a template literal, like Python's textwrap.dedent. */
export function dedent(text: string): string {
  const lines = text.split("\n");
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join("\n");
}
