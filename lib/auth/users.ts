import type { z } from "zod";
import { recordAudit } from "../audit.ts";
import type { Db } from "../db/client.ts";
import { DomainError } from "../errors.ts";
import { generatePassword, hashPassword, verifyPassword } from "./password.ts";
import { newPasswordSchema } from "./password-policy.ts";
import type { Role } from "./roles.ts";
import { prismaLimitStore, unlockAccount } from "./sign-in-limits.ts";
import { changePasswordSchema, newUserSchema as newUserFormSchema } from "./schemas.ts";

/**
 * The one write path for users: creation, role changes, enabling/disabling, passwords, signing
 * out everywhere, first admin. Every change that must end a user's sessions bumps their
 * `sessionVersion` in the same transaction (lib/auth/sessions.ts).
 */

/** The form's schema plus the server-side password checks (the common-password list). */
const newUserSchema = newUserFormSchema.extend({ password: newPasswordSchema });

export type NewUser = z.input<typeof newUserSchema>;

const endSessions = { sessionVersion: { increment: 1 } } as const;

export type PublicUser = { id: number; email: string; name: string; role: Role; disabled: boolean; createdAt: Date };

const publicSelect = { id: true, email: true, name: true, role: true, disabled: true, createdAt: true } as const;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export async function createUser(db: Db, input: NewUser, actorId: number | null): Promise<PublicUser> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError(issue.message, "invalid", issue.path.map(String).join(".") || undefined);
  }
  const data = parsed.data;
  const passwordHash = await hashPassword(data.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: data.email, name: data.name, role: data.role, passwordHash },
        select: publicSelect,
      });
      await recordAudit(tx, {
        userId: actorId,
        action: "user.create",
        entityType: "user",
        entityId: user.id,
        data: { email: user.email, role: user.role },
      });
      return user as PublicUser;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError(`A user with email ${data.email} already exists`, "conflict", "email");
    throw error;
  }
}

export async function setUserRole(db: Db, userId: number, role: Role, actorId: number): Promise<PublicUser> {
  return db.$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: userId }, select: publicSelect });
    if (!target) throw new DomainError("That user does not exist", "not_found");
    if (target.role === "admin" && role !== "admin") await assertAnotherActiveAdmin(tx, userId);
    const user = await tx.user.update({
      where: { id: userId },
      data: target.role === role ? { role } : { role, ...endSessions },
      select: publicSelect,
    });
    await recordAudit(tx, {
      userId: actorId,
      action: "user.role",
      entityType: "user",
      entityId: userId,
      data: { from: target.role, to: role },
    });
    return user as PublicUser;
  });
}

export async function setUserDisabled(db: Db, userId: number, disabled: boolean, actorId: number): Promise<PublicUser> {
  if (disabled && userId === actorId) throw new DomainError("You cannot disable your own account");
  return db.$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: userId }, select: publicSelect });
    if (!target) throw new DomainError("That user does not exist", "not_found");
    if (disabled && target.role === "admin") await assertAnotherActiveAdmin(tx, userId);
    const user = await tx.user.update({
      where: { id: userId },
      data: { disabled, ...endSessions },
      select: publicSelect,
    });
    await recordAudit(tx, {
      userId: actorId,
      action: disabled ? "user.disable" : "user.enable",
      entityType: "user",
      entityId: userId,
    });
    return user as PublicUser;
  });
}

/** Keeps the app administrable: the last active admin cannot be demoted or disabled. */
async function assertAnotherActiveAdmin(tx: Pick<Db, "user">, exceptUserId: number): Promise<void> {
  const others = await tx.user.count({ where: { role: "admin", disabled: false, id: { not: exceptUserId } } });
  if (others === 0) throw new DomainError("The last active admin cannot lose the admin role");
}

export async function listUsers(db: Db): Promise<PublicUser[]> {
  return (await db.user.findMany({ select: publicSelect, orderBy: { id: "asc" } })) as PublicUser[];
}

export async function findActiveUser(db: Db, id: number): Promise<PublicUser | null> {
  const user = await db.user.findUnique({ where: { id }, select: publicSelect });
  return user && !user.disabled ? (user as PublicUser) : null;
}

// Verifying against a dummy hash when the email is unknown keeps response times alike.
let dummyHash: Promise<string> | undefined;

/**
 * Checks a sign-in. Returns the user with the session version their session will be valid under,
 * or null for a wrong email/password or a disabled account.
 */
export async function authenticate(
  db: Db,
  email: string,
  password: string,
): Promise<(PublicUser & { sessionVersion: number }) | null> {
  const user = await db.user.findUnique({
    where: { email },
    select: { ...publicSelect, passwordHash: true, sessionVersion: true },
  });
  if (!user) {
    dummyHash ??= hashPassword(generatePassword());
    await verifyPassword(await dummyHash, password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password)) || user.disabled) return null;
  const { passwordHash: _omit, ...publicUser } = user;
  return publicUser as PublicUser & { sessionVersion: number };
}

function parseNewPassword(password: string, field: string): string {
  const parsed = newPasswordSchema.safeParse(password);
  if (!parsed.success) throw new DomainError(parsed.error.issues[0].message, "invalid", field);
  return parsed.data;
}

/**
 * A user changes their own password: the current one is required. Every other session of theirs
 * ends; `keepSessionId` (the one they are using) stays signed in.
 */
export async function changeOwnPassword(
  db: Db,
  userId: number,
  input: z.input<typeof changePasswordSchema>,
  keepSessionId: string | null,
): Promise<void> {
  const { currentPassword, newPassword } = changePasswordSchema.parse(input);
  parseNewPassword(newPassword, "newPassword");
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword)))
    throw new DomainError("Current password is incorrect", "invalid", "currentPassword");
  if (currentPassword === newPassword)
    throw new DomainError("The new password must differ from the current one", "invalid", "newPassword");
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: userId },
      data: { passwordHash, ...endSessions },
      select: { sessionVersion: true },
    });
    if (keepSessionId)
      await tx.session.updateMany({
        where: { id: keepSessionId, userId, revokedAt: null },
        data: { version: updated.sessionVersion },
      });
    await recordAudit(tx, { userId, action: "user.password", entityType: "user", entityId: userId });
  });
}

/**
 * Sets a password for a user (an admin's reset, `ecd user passwd|reset`): a given one, checked
 * like any new password, or a generated one that is returned to be shown once. Ends the user's sessions.
 */
export async function setPassword(
  db: Db,
  userId: number,
  actorId: number | null,
  password?: string,
): Promise<{ user: PublicUser; generatedPassword?: string }> {
  const generatedPassword = password === undefined ? generatePassword() : undefined;
  const chosen = password === undefined ? (generatedPassword as string) : parseNewPassword(password, "password");
  const user = await updateExistingUser(
    db,
    userId,
    { passwordHash: await hashPassword(chosen), ...endSessions },
    { actorId, action: "user.password_reset", data: { generated: generatedPassword !== undefined } },
  );
  await unlockAccount(prismaLimitStore(db), user.email); // a new password starts with a clean slate
  return { user, generatedPassword };
}

/** An admin clears the sign-in limits kept for an account (the user can try again at once). */
export async function unlockSignIn(db: Db, userId: number, actorId: number): Promise<PublicUser> {
  const user = (await db.user.findUnique({ where: { id: userId }, select: publicSelect })) as PublicUser | null;
  if (!user) throw new DomainError("That user does not exist", "not_found");
  await unlockAccount(prismaLimitStore(db), user.email);
  await recordAudit(db, { userId: actorId, action: "user.unlock", entityType: "user", entityId: userId });
  return user;
}

/** Ends every session of a user (their own "sign out everywhere", or an admin's for them). */
export async function signOutEverywhere(db: Db, userId: number, actorId: number): Promise<PublicUser> {
  return updateExistingUser(db, userId, endSessions, { actorId, action: "user.sign_out_everywhere" });
}

/** Changes an existing user and records who did it, in one transaction. */
async function updateExistingUser(
  db: Db,
  userId: number,
  data: { passwordHash?: string; sessionVersion: { increment: number } },
  audit: { actorId: number | null; action: string; data?: Record<string, unknown> },
): Promise<PublicUser> {
  return db.$transaction(async (tx) => {
    const exists = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!exists) throw new DomainError("That user does not exist", "not_found");
    const user = await tx.user.update({ where: { id: userId }, data, select: publicSelect });
    await recordAudit(tx, {
      userId: audit.actorId,
      action: audit.action,
      entityType: "user",
      entityId: userId,
      data: audit.data,
    });
    return user as PublicUser;
  });
}

export async function findUserByEmail(db: Db, email: string): Promise<PublicUser | null> {
  return (await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: publicSelect,
  })) as PublicUser | null;
}

/**
 * On first start, creates the first admin from ECD_ADMIN_EMAIL / ECD_ADMIN_PASSWORD, or with a
 * generated password that is returned so the caller prints it once. Does nothing when any user exists.
 */
export async function ensureFirstAdmin(
  db: Db,
  env: Partial<Record<"ECD_ADMIN_EMAIL" | "ECD_ADMIN_PASSWORD", string>> = process.env as Record<string, string>,
): Promise<{ email: string; generatedPassword?: string } | null> {
  if ((await db.user.count()) > 0) return null;
  const email = env.ECD_ADMIN_EMAIL?.trim() || "admin@localhost.test";
  const generatedPassword = env.ECD_ADMIN_PASSWORD ? undefined : generatePassword();
  const password = env.ECD_ADMIN_PASSWORD ?? (generatedPassword as string);
  const parsed = newUserSchema.safeParse({ email, password, role: "admin", name: "Admin" });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue.path[0] === "email" ? "ECD_ADMIN_EMAIL" : "ECD_ADMIN_PASSWORD";
    throw new DomainError(`${variable}: ${issue.message}`, "invalid", variable);
  }
  try {
    await createUser(db, parsed.data, null);
  } catch (error) {
    // Another process created the first user at the same moment: that one wins.
    if (error instanceof DomainError && error.code === "conflict") return null;
    throw error;
  }
  return { email: parsed.data.email, generatedPassword };
}
