import { randomBytes } from "node:crypto";
import type { Db } from "../db/client.ts";
import type { PublicUser } from "./users.ts";

/**
 * Revocable sessions. The session cookie (a next-auth JWT) carries a session id; a session is
 * valid while its row exists, is not revoked or expired, and was signed in under the user's
 * current `sessionVersion`. Sign-out revokes one session; bumping the version (password change,
 * disable, role change, "sign out everywhere") revokes all of a user's sessions at once.
 */

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  createdAt: true,
  sessionVersion: true,
} as const;

/** Records a new session for a user who just proved their password under `version`. */
export async function startSession(db: Db, userId: number, version: number, now = new Date()): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  // Keeps the table small: a user's ended sessions are dropped when they sign in again.
  await db.session.deleteMany({ where: { userId, OR: [{ expiresAt: { lt: now } }, { revokedAt: { not: null } }] } });
  await db.session.create({
    data: { id, userId, version, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) },
  });
  return id;
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** The active user behind a session id, or null when the session is not (or no longer) valid. */
export async function findSessionUser(db: Db, sessionId: string, now = new Date()): Promise<PublicUser | null> {
  const session = await db.session.findUnique({
    where: { id: sessionId },
    select: { version: true, expiresAt: true, revokedAt: true, user: { select: userSelect } },
  });
  if (!session || session.revokedAt || session.expiresAt <= now) return null;
  const { sessionVersion, ...user } = session.user;
  if (user.disabled || sessionVersion !== session.version) return null;
  return user as PublicUser;
}
