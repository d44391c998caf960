import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { findSessionUser, revokeSession, startSession } from "./sessions.ts";
import {
  authenticate,
  changeOwnPassword,
  createUser,
  setPassword,
  setUserDisabled,
  setUserRole,
  signOutEverywhere,
} from "./users.ts";

const { db } = createTestDb();

async function signIn(email: string, password: string): Promise<string> {
  const user = await authenticate(db, email, password);
  if (!user) throw new Error(`cannot sign in as ${email}`);
  return startSession(db, user.id, user.sessionVersion);
}

describe("revocable sessions", async () => {
  const admin = await createUser(db, { email: "root@x.test", role: "admin", password: "root-password-123" }, null);
  const ann = await createUser(db, { email: "ann@x.test", role: "annotator", password: "ann-password-123" }, null);

  it("a signed-out session is refused; another session of the same user is not", async () => {
    const a = await signIn("ann@x.test", "ann-password-123");
    const b = await signIn("ann@x.test", "ann-password-123");
    expect(await findSessionUser(db, a)).toMatchObject({ email: "ann@x.test" });
    await revokeSession(db, a);
    expect(await findSessionUser(db, a)).toBeNull();
    expect(await findSessionUser(db, b)).toMatchObject({ email: "ann@x.test" });
    expect(await findSessionUser(db, "no-such-session")).toBeNull();
  });

  it("an expired session is refused", async () => {
    const id = await startSession(db, ann.id, 0, new Date(Date.now() - 13 * 60 * 60 * 1000));
    expect(await findSessionUser(db, id)).toBeNull();
  });

  it("disable → enable does not revive old sessions", async () => {
    const before = await signIn("ann@x.test", "ann-password-123");
    await setUserDisabled(db, ann.id, true, admin.id);
    expect(await findSessionUser(db, before)).toBeNull();
    await setUserDisabled(db, ann.id, false, admin.id);
    expect(await findSessionUser(db, before)).toBeNull();
    expect(await findSessionUser(db, await signIn("ann@x.test", "ann-password-123"))).not.toBeNull();
  });

  it("a role change ends the user's sessions; saving the same role does not", async () => {
    const session = await signIn("ann@x.test", "ann-password-123");
    await setUserRole(db, ann.id, "annotator", admin.id);
    expect(await findSessionUser(db, session)).not.toBeNull();
    await setUserRole(db, ann.id, "researcher", admin.id);
    expect(await findSessionUser(db, session)).toBeNull();
  });

  it("changing one's password needs the current one and ends every other session", async () => {
    const here = await signIn("ann@x.test", "ann-password-123");
    const elsewhere = await signIn("ann@x.test", "ann-password-123");
    await expect(
      changeOwnPassword(db, ann.id, { currentPassword: "wrong-password-1", newPassword: "new-ann-password-1" }, here),
    ).rejects.toMatchObject({ field: "currentPassword", message: "Current password is incorrect" });
    await expect(
      changeOwnPassword(db, ann.id, { currentPassword: "ann-password-123", newPassword: "password1234" }, here),
    ).rejects.toMatchObject({ field: "newPassword" });
    expect(await findSessionUser(db, elsewhere)).not.toBeNull(); // refusals change nothing

    await changeOwnPassword(
      db,
      ann.id,
      { currentPassword: "ann-password-123", newPassword: "new-ann-password-1" },
      here,
    );
    expect(await findSessionUser(db, here)).not.toBeNull();
    expect(await findSessionUser(db, elsewhere)).toBeNull();
    expect(await authenticate(db, "ann@x.test", "ann-password-123")).toBeNull();
    expect(await authenticate(db, "ann@x.test", "new-ann-password-1")).not.toBeNull();
  });

  it("an admin's reset generates a password shown once and ends the user's sessions", async () => {
    const session = await signIn("ann@x.test", "new-ann-password-1");
    const { generatedPassword } = await setPassword(db, ann.id, admin.id);
    expect(generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(await findSessionUser(db, session)).toBeNull();
    expect(await authenticate(db, "ann@x.test", generatedPassword!)).not.toBeNull();
    expect(await db.auditEvent.count({ where: { action: "user.password_reset", entityId: String(ann.id) } })).toBe(1);
  });

  it("sign out everywhere ends every session of that user only", async () => {
    const mine = await signIn("root@x.test", "root-password-123");
    const { generatedPassword } = await setPassword(db, ann.id, admin.id);
    const theirs = await signIn("ann@x.test", generatedPassword!);
    await signOutEverywhere(db, ann.id, admin.id);
    expect(await findSessionUser(db, theirs)).toBeNull();
    expect(await findSessionUser(db, mine)).not.toBeNull();
  });
});
