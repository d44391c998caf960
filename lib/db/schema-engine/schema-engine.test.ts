import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { FTS_TABLES } from "../fts-tables.ts";
import { afterAll, describe, expect, it } from "vitest";

// The Prisma CLI itself, driving our schema-engine stand-in (no native engine on this machine).
const dir = mkdtempSync(path.join(os.tmpdir(), "ecd-prisma-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function prisma(args: string[], databaseUrl?: string) {
  const run = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", ...args], {
    env: {
      ...process.env,
      ...(databaseUrl && { DATABASE_URL: databaseUrl }),
      // What prisma.config.ts sets; the migrate dev test brings its own config.
      PRISMA_SCHEMA_ENGINE_BINARY: path.resolve("lib/db/schema-engine/bin.mjs"),
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, out: `${run.stdout}\n${run.stderr}` };
}

describe("prisma CLI through the WebAssembly schema engine", () => {
  const file = path.join(dir, "cli.db");
  const url = `file:${file}`;

  it("migrate deploy creates the database and applies every migration", () => {
    const run = prisma(["migrate", "deploy"], url);
    expect(run.out).toContain("All migrations have been successfully applied.");
    expect(run.status).toBe(0);
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    const applied = db.prepare("SELECT COUNT(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL").get() as {
      n: number;
    };
    db.close();
    expect(tables).toEqual(
      expect.arrayContaining([
        "User",
        "Dataset",
        "Seed",
        "Node",
        "Response",
        "Pair",
        "Review",
        "Job",
        "Task",
        "LlmCall",
        "Export",
        "AuditEvent",
        "_prisma_migrations",
      ]),
    );
    expect(applied.n).toBeGreaterThan(0);
  });

  it("migrate status and deploy again report nothing to do", () => {
    expect(prisma(["migrate", "status"], url).out).toContain("Database schema is up to date!");
    expect(prisma(["migrate", "deploy"], url).out).toContain("No pending migrations to apply.");
  });

  it("migrate diff: the migrations folder produces exactly the schema (no drift)", () => {
    const run = prisma(
      [
        "migrate",
        "diff",
        "--from-migrations",
        "prisma/migrations",
        "--to-schema",
        "prisma/schema.prisma",
        "--exit-code",
      ],
      url,
    );
    expect(run.out).toContain("No difference detected.");
    expect(run.status).toBe(0);
  });

  it("migrate diff prints a SQL script from an empty database to the schema", () => {
    const run = prisma(["migrate", "diff", "--from-empty", "--to-schema", "prisma/schema.prisma", "--script"], url);
    expect(run.status).toBe(0);
    expect(run.out).toContain('CREATE TABLE "Pair"');
  });
});

describe("migrate dev on SQLite (the engine has no shadow database outside diff)", () => {
  it("creates the next migration from a schema change and applies it", () => {
    const project = path.join(dir, "dev");
    cpSync("prisma/migrations", path.join(project, "migrations"), { recursive: true });
    const schema = readFileSync("prisma/schema.prisma", "utf8").replace(
      /output\s*=\s*"[^"]*"/,
      `output = "${path.join(project, "gen")}"`,
    );
    writeFileSync(
      path.join(project, "schema.prisma"),
      `${schema}\nmodel DevProbe {\n  id Int @id @default(autoincrement())\n}\n`,
    );
    const config = path.join(project, "prisma.config.mjs");
    writeFileSync(
      config,
      `export default ${JSON.stringify({
        schema: path.join(project, "schema.prisma"),
        migrations: { path: path.join(project, "migrations") },
        datasource: { url: `file:${path.join(project, "dev.db")}` },
        // As prisma.config.ts: the full-text tables are not models.
        experimental: { externalTables: true },
        tables: { external: FTS_TABLES },
      })};\n`,
    );
    const run = prisma(["migrate", "dev", "--name", "probe", "--config", config]);
    expect(run.out).not.toContain("shadow DB");
    expect(run.status).toBe(0);
    const created = readdirSync(path.join(project, "migrations")).filter((name) => /^\d{14}_probe$/.test(name));
    expect(created).toHaveLength(1);
    expect(readFileSync(path.join(project, "migrations", created[0], "migration.sql"), "utf8")).toContain(
      'CREATE TABLE "DevProbe"',
    );
    const db = new Database(path.join(project, "dev.db"), { readonly: true });
    const table = db.prepare("SELECT name FROM sqlite_master WHERE name = 'DevProbe'").get();
    db.close();
    expect(table).toBeTruthy();
  });
});
