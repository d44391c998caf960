import type { z } from "zod";
import { recordAudit } from "../audit.ts";
import type { Db } from "../db/client.ts";
import { DomainError } from "../errors.ts";
import { generatePassword, hashPassword, verifyPassword } from "./password.ts";
import type { Role } from "./roles.ts";
import { newUserSchema } from "./schemas.ts";

/** The one write path for users: creation, role changes, enabling/disabling, first admin. */

export type NewUser = z.input<typeof newUserSchema>;

export type PublicUser = { id: number; email: string; name: string; role: Role; disabled: boolean; createdAt: Date };

const publicSelect = { id: true, email: true, name: true, role: true, disabled: true, createdAt: true } as const;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export async function createUser(db: Db, input: NewUser, actorId: number | null): Promise<PublicUser> {
  const data = newUserSchema.parse(input);
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
    const user = await tx.user.update({ where: { id: userId }, data: { role }, select: publicSelect });
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
    const user = await tx.user.update({ where: { id: userId }, data: { disabled }, select: publicSelect });
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

/** Checks a sign-in. Returns the user, or null for a wrong email/password or a disabled account. */
export async function authenticate(db: Db, email: string, password: string): Promise<PublicUser | null> {
  const user = await db.user.findUnique({ where: { email }, select: { ...publicSelect, passwordHash: true } });
  if (!user) {
    dummyHash ??= hashPassword(generatePassword());
    await verifyPassword(await dummyHash, password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password)) || user.disabled) return null;
  const { passwordHash: _omit, ...publicUser } = user;
  return publicUser as PublicUser;
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
