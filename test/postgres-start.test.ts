import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authSecret } from "../lib/auth/secret.ts";
import { createDb } from "../lib/db/client.ts";
import { migrateDeploy, migrateOnStart, pendingMigrations, refusePendingMigrations } from "../lib/db/migrate.ts";
import { type PostgresServer, startPostgres } from "./postgres.ts";

// Starting on PostgreSQL: the client comes from the URL, migrations are a deploy step, and the
// session key must be shared. A server of its own (it needs an unmigrated database).
describe("PostgreSQL: createDb, pending migrations, NEXTAUTH_SECRET", () => {
  let server: PostgresServer;
  let url: string;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET };
  beforeAll(async () => {
    server = await startPostgres();
    server.psql('CREATE DATABASE "ecd"');
    url = server.url("ecd");
  });
  afterAll(() => {
    Object.assign(process.env, saved);
    if (saved.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
    if (saved.NEXTAUTH_SECRET === undefined) delete process.env.NEXTAUTH_SECRET;
    server?.stop();
  });

  it("refuses to start on a database with pending migrations, naming the command, and migrates nothing", async () => {
    await expect(refusePendingMigrations(url)).rejects.toThrow(/pending migration.*ecd db migrate/s);
    await expect(migrateOnStart(url)).rejects.toThrow(/ecd db migrate/);
    expect(await pendingMigrations(url)).toContain("00000000000000_baseline");
  });

  it("after `ecd db migrate` (migrateDeploy) it starts, and createDb reads and writes through the pg adapter", async () => {
    expect(await migrateDeploy(url)).toContain("00000000000000_baseline");
    await expect(refusePendingMigrations(url)).resolves.toBeUndefined();
    expect(await migrateOnStart(url)).toEqual([]);
    const db = createDb(url);
    try {
      const user = await db.user.create({ data: { email: "pg@example.com", passwordHash: "x", role: "admin" } });
      expect(user.id).toBeGreaterThan(0);
      expect(await db.user.count()).toBe(1);
      const [row] = await db.$queryRaw<{ version: string }[]>`SELECT version() AS "version"`;
      expect(row.version).toMatch(/^PostgreSQL/);
    } finally {
      await db.$disconnect();
    }
  });

  it("requires NEXTAUTH_SECRET on PostgreSQL", () => {
    process.env.DATABASE_URL = url;
    delete process.env.NEXTAUTH_SECRET;
    expect(() => authSecret()).toThrow(/NEXTAUTH_SECRET is required on PostgreSQL/);
    process.env.NEXTAUTH_SECRET = "a-shared-secret";
    expect(authSecret()).toBe("a-shared-secret");
  });
});
