import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { getDb } from "../db/client.ts";
import { authOptions } from "./options.ts";
import { hasScope, type Scope } from "./roles.ts";
import { findActiveUser, type PublicUser } from "./users.ts";

export type CurrentUser = PublicUser;

/** The signed-in, active user, read fresh from the database; null when signed out. */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = (await getServerSession(authOptions)) as { userId?: string } | null;
  const id = Number(session?.userId);
  if (!Number.isInteger(id) || id <= 0) return null;
  return findActiveUser(getDb(), id);
}

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
