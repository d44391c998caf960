import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR } from "../lib/db/migrate.ts";
import { migrationSql } from "../lib/db/schema-diff.ts";
import { POSTGRES_SCHEMA, postgresSchemaFrom, SQLITE_SCHEMA } from "../scripts/postgres-schema.mjs";
import { type PostgresServer, startPostgres } from "./postgres.ts";

// One schema, two providers: the committed PostgreSQL copy, and both migration folders, must
// produce exactly prisma/schema.prisma. On failure: `npm run db:migration -- NAME` (README).
describe("prisma/schema.prisma, its PostgreSQL copy and both migration folders agree", () => {
  let server: PostgresServer;
  const dir = mkdtempSync(path.join(os.tmpdir(), "ecd-sync-"));
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prisma/postgres/schema.prisma is the generated copy of prisma/schema.prisma", () => {
    const copy = readFileSync(POSTGRES_SCHEMA, "utf8");
    expect(copy).toBe(postgresSchemaFrom(readFileSync(SQLITE_SCHEMA, "utf8")));
    expect(copy).toContain('provider = "postgresql"');
  });

  it("the SQLite migrations produce the schema", async () => {
    const sql = await migrationSql({ url: `file:${dir}/diff.db`, schemaPath: SQLITE_SCHEMA, from: MIGRATIONS_DIR });
    expect(sql).toBe("");
  });

  it("the PostgreSQL migrations produce the PostgreSQL schema", async () => {
    const sql = await migrationSql({ url: server.url(), schemaPath: POSTGRES_SCHEMA, from: POSTGRES_MIGRATIONS_DIR });
    expect(sql).toBe("");
  });

  it("a schema change shows up in both diffs", async () => {
    const sqliteSchema = path.join(dir, "changed.prisma");
    const postgresSchema = path.join(dir, "changed-postgres.prisma");
    const changed = `${readFileSync(SQLITE_SCHEMA, "utf8")}\nmodel SyncProbe {\n  id Int @id @default(autoincrement())\n}\n`;
    const { writeFileSync } = await import("node:fs");
    writeFileSync(sqliteSchema, changed);
    writeFileSync(postgresSchema, postgresSchemaFrom(changed));
    const sqlite = await migrationSql({ url: `file:${dir}/diff.db`, schemaPath: sqliteSchema, from: MIGRATIONS_DIR });
    const postgres = await migrationSql({
      url: server.url(),
      schemaPath: postgresSchema,
      from: POSTGRES_MIGRATIONS_DIR,
    });
    expect(sqlite).toContain('CREATE TABLE "SyncProbe"');
    expect(sqlite).toContain("AUTOINCREMENT");
    expect(postgres).toContain('CREATE TABLE "SyncProbe"');
    expect(postgres).toContain("SERIAL");
  });

  it("every SQLite migration has its PostgreSQL counterpart (or is in the baseline)", () => {
    const baseline = readdirSync(POSTGRES_MIGRATIONS_DIR).find((name) => name.endsWith("_baseline"));
    expect(baseline).toBeDefined();
    const covered = new Set(
      readFileSync(path.join(POSTGRES_MIGRATIONS_DIR, baseline!, "covers.txt"), "utf8")
        .split("\n")
        .filter(Boolean),
    );
    const postgres = new Set(readdirSync(POSTGRES_MIGRATIONS_DIR));
    const missing = readdirSync(MIGRATIONS_DIR).filter(
      (name) => !name.endsWith(".toml") && !covered.has(name) && !postgres.has(name),
    );
    // Fix: npm run db:migration -- --postgres-only <folder>
    expect(missing).toEqual([]);
  });
});
