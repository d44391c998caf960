import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { getDb } from "../db/client.ts";
import { DomainError } from "../errors.ts";
import { assertDatasetAccess } from "./dataset-access.ts";
import type { Scope } from "./roles.ts";
import { type CurrentUser, requireUser } from "./session.ts";

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; error: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

/**
 * What the user typed, sent back with a failure so the form can show it again (React resets a
 * form after its action runs). Secrets are never echoed.
 */
function echoValues(raw: unknown): Record<string, string> | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "string" && !/password|secret|token/i.test(key)) out[key] = value;
  }
  return out;
}

/** FormData → plain object (repeated keys become arrays), so one zod schema serves forms and calls. */
function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue; // React's own fields
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/**
 * Builds a server action: authorize (requireUser) → parse input (zod) → run → typed result.
 * Bad input and DomainErrors come back as messages naming the field; anything else is logged
 * with a reference and the browser sees only the reference, never the raw error.
 * Usable with useActionState (prev, formData) and as a direct call (input).
 */
export function defineAction<S extends z.ZodType, T>(
  options: {
    scope: Scope;
    input: S;
    /**
     * The dataset the input names (or, for a job, a pair…, the dataset it belongs to): the action runs
     * only if the user may see it (lib/auth/dataset-access.ts), else "Dataset N does not exist".
     */
    dataset?: (input: z.output<S>) => number | Promise<number | null> | null;
  },
  handler: (input: z.output<S>, ctx: { user: CurrentUser }) => Promise<T | ActionResult<T>>,
) {
  return async function action(...args: [unknown] | [unknown, unknown]): Promise<ActionResult<T>> {
    const user = await requireUser(options.scope);
    const raw = args.length === 2 ? args[1] : args[0];
    const input = raw instanceof FormData ? formDataToObject(raw) : raw;
    const parsed = options.input.safeParse(input);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[issue.path.map(String).join(".") || "_"] ??= issue.message;
      const first = parsed.error.issues[0];
      const where = first.path.length ? `${first.path.map(String).join(".")}: ` : "";
      return { ok: false, error: `${where}${first.message}`, fieldErrors, values: echoValues(input) };
    }
    try {
      if (options.dataset) {
        const datasetId = await options.dataset(parsed.data);
        if (datasetId !== null) await assertDatasetAccess(getDb(), user, datasetId);
      }
      const result = await handler(parsed.data, { user });
      if (
        result &&
        typeof result === "object" &&
        "ok" in result &&
        typeof (result as ActionResult<T>).ok === "boolean"
      ) {
        return result as ActionResult<T>;
      }
      return { ok: true, data: result as T };
    } catch (error) {
      unstable_rethrow(error); // redirect(), notFound(), forbidden() are not failures
      if (error instanceof DomainError) {
        return {
          ok: false,
          error: error.message,
          fieldErrors: error.field ? { [error.field]: error.message } : undefined,
          values: echoValues(input),
        };
      }
      const ref = randomUUID().slice(0, 8);
      console.error(`[action error ${ref}]`, error);
      return {
        ok: false,
        error: `Something went wrong (reference ${ref}). Nothing was changed.`,
        values: echoValues(input),
      };
    }
  };
}
