import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import type { Scope } from "./roles.ts";
import { type CurrentUser, requireUser } from "./session.ts";

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

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
  options: { scope: Scope; input: S },
  handler: (input: z.output<S>, ctx: { user: CurrentUser }) => Promise<T | ActionResult<T>>,
) {
  return async function action(...args: [unknown] | [unknown, unknown]): Promise<ActionResult<T>> {
    const user = await requireUser(options.scope);
    const raw = args.length === 2 ? args[1] : args[0];
    const parsed = options.input.safeParse(raw instanceof FormData ? formDataToObject(raw) : raw);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[issue.path.map(String).join(".") || "_"] ??= issue.message;
      const first = parsed.error.issues[0];
      const where = first.path.length ? `${first.path.map(String).join(".")}: ` : "";
      return { ok: false, error: `${where}${first.message}`, fieldErrors };
    }
    try {
      const result = await handler(parsed.data, { user });
      if (result && typeof result === "object" && "ok" in result && typeof (result as ActionResult<T>).ok === "boolean") {
        return result as ActionResult<T>;
      }
      return { ok: true, data: result as T };
    } catch (error) {
      unstable_rethrow(error); // redirect(), notFound(), forbidden() are not failures
      if (error instanceof DomainError) {
        return { ok: false, error: error.message, fieldErrors: error.field ? { [error.field]: error.message } : undefined };
      }
      const ref = randomUUID().slice(0, 8);
      console.error(`[action error ${ref}]`, error);
      return { ok: false, error: `Something went wrong (reference ${ref}). Nothing was changed.` };
    }
  };
}
