import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { forbidden, notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "../db/client.ts";
import { canAccessDataset } from "./dataset-access.ts";
import { authOptions } from "./options.ts";
import { hasScope, type Scope } from "./roles.ts";
import { findSessionUser } from "./sessions.ts";
import type { PublicUser } from "./users.ts";

export type CurrentUser = PublicUser;

/**
 * The signed-in session's id (the `sid` of next-auth's session cookie), or null when signed out.
 * Reads the cookie with next-auth's own getToken (its cookie name, chunks, decryption and expiry
 * check), not getServerSession: that runs next-auth's whole session endpoint on every page (a
 * CSRF token, the callbacks, and a re-encrypted cookie a page cannot even set), several ms a request.
 * The cookie only, never an Authorization header: `headers` is left empty on purpose.
 */
export async function getSessionId(): Promise<string | null> {
  const jar = Object.fromEntries((await cookies()).getAll().map(({ name, value }) => [name, value]));
  // getToken reads only `cookies` and `headers` of the request it is given.
  const req = { cookies: jar, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"];
  const token = await getToken({ req, secret: authOptions.secret });
  return typeof token?.sid === "string" ? token.sid : null;
}

/**
 * The signed-in, active user, read fresh from the database with their session (revoked, expired
 * or from before a sign-out-everywhere: null); null when signed out. Once per request.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const sessionId = await getSessionId();
  return sessionId ? findSessionUser(getDb(), sessionId) : null;
});

/**
 * The gate every page, server action and route handler passes first. Signed out: redirects to
 * the sign-in page (which returns here afterwards). Signed in without the scope: 403 (forbidden()).
 */
export async function requireUser(scope: Scope, returnTo = "/"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!hasScope(user.role, scope)) forbidden();
  return user;
}

/**
 * The dataset gate of every page and route handler under a dataset (lib/auth/dataset-access.ts):
 * a dataset the user may not see — an annotator who is not a member, or one being deleted — is
 * a 404, exactly like a missing one.
 */
export async function requireDatasetAccess(user: CurrentUser, datasetId: number): Promise<void> {
  if (!(await canAccessDataset(getDb(), user, datasetId))) notFound();
}
