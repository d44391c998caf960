import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createDb } from "./client.ts";
import { preparedStatementNames } from "./pg-statement-names.ts";
import { cachingConnection } from "./statement-cache.ts";

const { db, url } = createTestDb();

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

describe("prepared statements", () => {
  it("are reused across calls with different arguments, and errors still surface as Prisma errors", async () => {
    await db.dataset.createMany({ data: ["s1", "s2", "s3"].map((name) => ({ name, settings: {} })) });
    for (const name of ["s1", "s2", "s3", "s1"]) {
      const rows = await db.$queryRaw<{ name: string }[]>`SELECT "name" FROM "Dataset" WHERE "name" = ${name}`;
      expect(rows).toEqual([{ name }]);
    }
    expect(await db.$executeRaw`UPDATE "Dataset" SET "description" = ${"d"} WHERE "name" IN (${"s1"}, ${"s2"})`).toBe(
      2,
    );
    expect(await db.$executeRaw`UPDATE "Dataset" SET "description" = ${"e"} WHERE "name" IN (${"s3"}, ${"nope"})`).toBe(
      1,
    );
    // A unique violation from a cached INSERT is the usual Prisma error, and the statement stays usable.
    await expect(db.dataset.create({ data: { name: "s1", settings: {} } })).rejects.toMatchObject({ code: "P2002" });
    await db.dataset.create({ data: { name: "s4", settings: {} } });
    expect(await db.dataset.count({ where: { name: { startsWith: "s" } } })).toBe(4);
  });

  it("keeps a reader's result shape when the same SQL runs inside and outside a transaction", async () => {
    const outside = await db.$queryRaw<{ n: bigint | number }[]>`SELECT COUNT(*) AS "n" FROM "Dataset"`;
    const inside = await db.$transaction(
      (tx) => tx.$queryRaw<{ n: bigint | number }[]>`SELECT COUNT(*) AS "n" FROM "Dataset"`,
    );
    expect(Number(inside[0].n)).toBe(Number(outside[0].n));
  });
});

describe("cachingConnection", () => {
  it("compiles each distinct SQL text once and evicts the least recently used", () => {
    const compiled: string[] = [];
    const fake = {
      prepare(sql: string) {
        compiled.push(sql);
        return {
          reader: true,
          run: () => ({ changes: 0 }),
          columns: () => [],
          raw: () => ({ all: (args: unknown[]) => [[sql, ...args]] }),
        };
      },
      open: true,
    };
    const connection = cachingConnection(fake as never, 2);
    const all = (sql: string, ...args: unknown[]) =>
      (connection.prepare(sql) as unknown as { bind(a: unknown[]): { raw(): { all(): unknown[] } } })
        .bind(args)
        .raw()
        .all();
    expect(all("a", 1)).toEqual([["a", 1]]);
    expect(all("a", 2)).toEqual([["a", 2]]);
    all("b");
    all("a");
    all("c"); // evicts b, the least recently used
    all("a");
    all("b");
    expect(compiled).toEqual(["a", "b", "c", "b"]);
    expect(connection.open).toBe(true);
  });
});

describe("preparedStatementNames", () => {
  const query = (sql: string) => ({ sql, args: [], argTypes: [] });

  it("gives one SQL text one name, another text another, within PostgreSQL's 63 bytes", () => {
    const name = preparedStatementNames();
    const a = name(query('SELECT "id" FROM "Pair" WHERE "id" = $1'));
    expect(a).toMatch(/^ecd_[\w-]{32}$/);
    expect(name(query('SELECT "id" FROM "Pair" WHERE "id" = $1'))).toBe(a);
    expect(name(query('SELECT "id" FROM "Node" WHERE "id" = $1'))).not.toBe(a);
    // Another process (another generator) names the same text the same way.
    expect(preparedStatementNames()(query('SELECT "id" FROM "Pair" WHERE "id" = $1'))).toBe(a);
  });

  it("names only the first `limit` texts; later ones run unnamed, the named ones keep their names", () => {
    const name = preparedStatementNames(2);
    const first = name(query("SELECT 1"));
    const second = name(query("SELECT 2"));
    expect(name(query("SELECT 3"))).toBeUndefined();
    expect([name(query("SELECT 1")), name(query("SELECT 2"))]).toEqual([first, second]);
  });
});

describe.runIf(process.env.TEST_DB === "postgres")("the PostgreSQL client", () => {
  it("runs without JIT compilation (short queries; JIT cost more than it saved)", async () => {
    expect(await db.$queryRaw<{ jit: string }[]>`SHOW jit`).toEqual([{ jit: "off" }]);
  });

  it("prepares each statement once per connection, under its name, and runs it again with other values", async () => {
    const prepared = await db.$transaction(async (tx) => {
      // One transaction: one connection, whose prepared statements pg_prepared_statements lists.
      expect(await tx.$queryRaw<{ n: number }[]>`SELECT ${1}::int + 1 AS n`).toEqual([{ n: 2 }]);
      expect(await tx.$queryRaw<{ n: number }[]>`SELECT ${41}::int + 1 AS n`).toEqual([{ n: 42 }]);
      return tx.$queryRaw<{ name: string; statement: string }[]>`
        SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + 1%'`;
    });
    expect(prepared).toEqual([{ name: expect.stringMatching(/^ecd_/), statement: "SELECT $1::int + 1 AS n" }]);
  });

  it("sends every statement unnamed with ECD_DB_PREPARED_STATEMENTS=off (for a pooler in transaction mode)", async () => {
    process.env.ECD_DB_PREPARED_STATEMENTS = "off";
    const unnamed = createDb(url);
    delete process.env.ECD_DB_PREPARED_STATEMENTS;
    try {
      const prepared = await unnamed.$transaction(async (tx) => {
        expect(await tx.$queryRaw<{ n: number }[]>`SELECT ${1}::int + 2 AS n`).toEqual([{ n: 3 }]);
        return tx.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements`;
      });
      expect(prepared).toEqual([]);
    } finally {
      await unnamed.$disconnect();
    }
    process.env.ECD_DB_PREPARED_STATEMENTS = "sometimes";
    try {
      expect(() => createDb(url)).toThrow("ECD_DB_PREPARED_STATEMENTS must be on or off");
    } finally {
      delete process.env.ECD_DB_PREPARED_STATEMENTS;
    }
  });
});
