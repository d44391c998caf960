import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";

const { db } = createTestDb();

describe("the SQLite client", () => {
  it("keeps a concurrent write out of another request's transaction that rolls back", async () => {
    let inside!: () => void;
    const txStarted = new Promise<void>((resolve) => (inside = resolve));
    const failing = db
      .$transaction(async (tx) => {
        await tx.dataset.create({ data: { name: "rolled back", settings: {} } });
        inside();
        await new Promise((resolve) => setTimeout(resolve, 100));
        throw new Error("abort");
      })
      .catch((error: Error) => error.message);
    await txStarted;
    // Issued while the transaction is open: must wait for it, not join it.
    const outside = Promise.all([
      db.dataset.create({ data: { name: "kept", settings: {} } }),
      db.$executeRaw`INSERT INTO "AuditEvent" ("action", "entityType", "entityId", "data") VALUES ('raw', 'test', '1', '{}')`,
      db.auditEvent.updateMany({ where: { action: "raw" }, data: { entityId: "2" } }),
    ]);
    expect(await failing).toBe("abort");
    await outside;
    expect((await db.dataset.findMany({ orderBy: { id: "asc" } })).map((d) => d.name)).toEqual(["kept"]);
    expect(await db.auditEvent.count({ where: { action: "raw" } })).toBe(1);
  });

  it("runs transactions one after another and both commit", async () => {
    await Promise.all(
      ["a", "b", "c"].map((name) =>
        db.$transaction(async (tx) => {
          await tx.dataset.create({ data: { name: `tx-${name}`, settings: {} } });
          await new Promise((resolve) => setTimeout(resolve, 10));
        }),
      ),
    );
    expect(await db.dataset.count({ where: { name: { startsWith: "tx-" } } })).toBe(3);
  });
});
