import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { DomainError } from "../errors.ts";
import { hashPassword } from "./password.ts";
import { hasScope, ROLES, SCOPES } from "./roles.ts";
import { authenticate, createUser, ensureFirstAdmin, listUsers, setUserDisabled, setUserRole } from "./users.ts";

const { db } = createTestDb();

describe("users", () => {
  it("creates the first admin from the environment once, and never again", async () => {
    const first = await ensureFirstAdmin(db, {
      ECD_ADMIN_EMAIL: "Root@Example.com",
      ECD_ADMIN_PASSWORD: "a-long-password-1",
    });
    expect(first).toEqual({ email: "root@example.com", generatedPassword: undefined });
    expect(
      await ensureFirstAdmin(db, { ECD_ADMIN_EMAIL: "other@example.com", ECD_ADMIN_PASSWORD: "a-long-password-2" }),
    ).toBeNull();
    const users = await listUsers(db);
    expect(users.map((u) => [u.email, u.role])).toEqual([["root@example.com", "admin"]]);
    expect(await authenticate(db, "root@example.com", "a-long-password-1")).toMatchObject({
      email: "root@example.com",
    });
  });

  it("stores only an argon2id hash, and rejects wrong passwords", async () => {
    await createUser(db, { email: "ann@example.com", role: "annotator", password: "annotator-pw-1" }, null);
    const row = await db.user.findUniqueOrThrow({ where: { email: "ann@example.com" } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("annotator-pw-1");
    expect(await authenticate(db, "ann@example.com", "annotator-pw-2")).toBeNull();
    expect(await authenticate(db, "nobody@example.com", "annotator-pw-1")).toBeNull();
  });

  it("refuses a duplicate email with a message naming the field, and writes nothing", async () => {
    const before = await db.user.count();
    const error = await createUser(
      db,
      { email: "ANN@example.com", role: "researcher", password: "another-pw-12" },
      null,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ field: "email", message: "A user with email ann@example.com already exists" });
    expect(await db.user.count()).toBe(before);
    expect(await db.auditEvent.count({ where: { action: "user.create", entityId: { not: "1" } } })).toBe(1);
  });

  it("validates input: email, role and password length", async () => {
    await expect(createUser(db, { email: "x", role: "annotator", password: "long-enough-1" }, null)).rejects.toThrow(
      "Enter a valid email address",
    );
    await expect(
      createUser(db, { email: "x@example.com", role: "boss" as never, password: "long-enough-1" }, null),
    ).rejects.toThrow();
    await expect(
      createUser(db, { email: "x@example.com", role: "annotator", password: "short" }, null),
    ).rejects.toThrow("at least 12 characters");
  });

  it("changes roles with an audit trail, but never demotes or disables the last active admin", async () => {
    const admin = await db.user.findUniqueOrThrow({ where: { email: "root@example.com" } });
    const ann = await db.user.findUniqueOrThrow({ where: { email: "ann@example.com" } });
    await expect(setUserRole(db, admin.id, "researcher", admin.id)).rejects.toThrow(
      "The last active admin cannot lose the admin role",
    );
    await expect(setUserDisabled(db, admin.id, true, ann.id)).rejects.toThrow(
      "The last active admin cannot lose the admin role",
    );
    await expect(setUserDisabled(db, admin.id, true, admin.id)).rejects.toThrow("You cannot disable your own account");

    expect((await setUserRole(db, ann.id, "researcher", admin.id)).role).toBe("researcher");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "user.role" } });
    expect(audit).toMatchObject({
      userId: admin.id,
      entityId: String(ann.id),
      data: { from: "annotator", to: "researcher" },
    });

    await setUserDisabled(db, ann.id, true, admin.id);
    expect(await authenticate(db, "ann@example.com", "annotator-pw-1")).toBeNull();
  });

  it("generates a strong password for the first admin when none is configured", async () => {
    const { db: empty } = { db };
    await empty.auditEvent.deleteMany();
    await empty.user.deleteMany();
    const result = await ensureFirstAdmin(empty, {});
    expect(result?.generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(await authenticate(empty, result!.email, result!.generatedPassword!)).not.toBeNull();
  });
});

describe("password policy for accounts", () => {
  it("applies to ECD_ADMIN_PASSWORD, naming the variable, and creates nothing", async () => {
    const { db: fresh } = { db };
    await fresh.auditEvent.deleteMany();
    await fresh.session.deleteMany();
    await fresh.user.deleteMany();
    await expect(ensureFirstAdmin(fresh, { ECD_ADMIN_PASSWORD: "password1234" })).rejects.toThrow(
      "ECD_ADMIN_PASSWORD: Password is on the list of commonly used passwords: choose another",
    );
    await expect(ensureFirstAdmin(fresh, { ECD_ADMIN_PASSWORD: "eleven-char" })).rejects.toThrow(
      "ECD_ADMIN_PASSWORD: Password must be at least 12 characters",
    );
    expect(await fresh.user.count()).toBe(0);
  });

  it("lets existing accounts keep passwords that the new rules would refuse", async () => {
    await db.user.create({
      data: { email: "old@example.com", role: "annotator", passwordHash: await hashPassword("password") },
    });
    expect(await authenticate(db, "old@example.com", "password")).toMatchObject({ email: "old@example.com" });
  });
});

describe("roles and scopes", () => {
  it("grants annotators review only, researchers everything but users, admins everything", () => {
    expect(SCOPES.filter((s) => hasScope("annotator", s))).toEqual(["account:own", "datasets:read", "pairs:review"]);
    expect(SCOPES.filter((s) => !hasScope("researcher", s))).toEqual(["users:manage"]);
    expect(SCOPES.every((s) => hasScope("admin", s))).toBe(true);
    expect(hasScope("nobody", "datasets:read")).toBe(false);
    expect(ROLES).toEqual(["admin", "researcher", "annotator"]);
  });
});
