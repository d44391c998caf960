// The next migration for BOTH providers from a change to prisma/schema.prisma (README, "Migrations").
//
//   npm run db:migration -- NAME [--timestamp YYYYMMDDHHMMSS]
//       regenerates prisma/postgres/schema.prisma, writes prisma/migrations/<TS>_NAME and
//       prisma/migrations-postgres/<TS>_NAME, regenerates both clients
//   npm run db:migration -- --postgres-only FOLDER
//       for a SQLite migration that already exists (prisma/migrations/FOLDER, e.g. from a merged
//       branch): writes prisma/migrations-postgres/FOLDER from the PostgreSQL history to the schema
//   npm run db:migration -- --check
//       exits 1 when either folder's history differs from the schema
//
// PostgreSQL diffs replay the history on a throwaway server (test/postgres.ts): no setup needed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrationSql } from "../lib/db/schema-diff.ts";
import { MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR } from "../lib/db/migrate.ts";
import { startPostgres } from "../test/postgres.ts";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, writePostgresSchema } from "./postgres-schema.mjs";

function fail(message: string): never {
  console.error(`db:migration: ${message}`);
  process.exit(1);
}

function prismaGenerate(schema?: string) {
  const run = spawnSync(
    process.execPath,
    ["node_modules/prisma/build/index.js", "generate", ...(schema ? ["--schema", schema] : [])],
    { stdio: "inherit", env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" } },
  );
  if (run.status !== 0) fail("prisma generate failed");
}

async function withDiffDatabases<T>(run: (urls: { sqlite: string; postgres: string }) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ecd-migration-"));
  const server = await startPostgres();
  try {
    return await run({ sqlite: `file:${path.join(dir, "diff.db")}`, postgres: server.url() });
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeMigration(dir: string, folder: string, sql: string) {
  mkdirSync(path.join(dir, folder), { recursive: true });
  writeFileSync(path.join(dir, folder, "migration.sql"), sql);
  console.log(`wrote ${path.relative(process.cwd(), path.join(dir, folder, "migration.sql"))}`);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "postgres-only": { type: "string" },
    timestamp: { type: "string" },
    check: { type: "boolean" },
  },
});

writePostgresSchema();
const sqliteFrom = { schemaPath: SQLITE_SCHEMA, from: MIGRATIONS_DIR };
const postgresFrom = { schemaPath: POSTGRES_SCHEMA, from: POSTGRES_MIGRATIONS_DIR };

if (values.check) {
  const drift = await withDiffDatabases(async (urls) => ({
    sqlite: await migrationSql({ url: urls.sqlite, ...sqliteFrom }),
    postgres: await migrationSql({ url: urls.postgres, ...postgresFrom }),
  }));
  for (const [dialect, sql] of Object.entries(drift)) {
    console.log(sql ? `${dialect}: the migrations differ from the schema:\n${sql}` : `${dialect}: in sync`);
  }
  process.exit(drift.sqlite || drift.postgres ? 1 : 0);
} else if (values["postgres-only"]) {
  const folder = values["postgres-only"];
  if (!existsSync(path.join(MIGRATIONS_DIR, folder, "migration.sql"))) {
    fail(`--postgres-only: prisma/migrations/${folder}/migration.sql does not exist (give the folder name)`);
  }
  if (existsSync(path.join(POSTGRES_MIGRATIONS_DIR, folder))) fail(`prisma/migrations-postgres/${folder} exists`);
  const sql = await withDiffDatabases((urls) => migrationSql({ url: urls.postgres, ...postgresFrom }));
  if (!sql) fail("the PostgreSQL migrations already produce the schema: nothing to write");
  writeMigration(POSTGRES_MIGRATIONS_DIR, folder, sql);
  prismaGenerate(POSTGRES_SCHEMA);
} else {
  const [name] = positionals;
  if (!name || positionals.length > 1 || !/^[a-z0-9_]+$/.test(name)) {
    fail("usage: npm run db:migration -- NAME (lower case, digits, _) | --postgres-only FOLDER | --check");
  }
  const timestamp = values.timestamp ?? new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  if (!/^\d{14}$/.test(timestamp)) fail("--timestamp: expected 14 digits, YYYYMMDDHHMMSS");
  const folder = `${timestamp}_${name}`;
  const sql = await withDiffDatabases(async (urls) => ({
    sqlite: await migrationSql({ url: urls.sqlite, ...sqliteFrom }),
    postgres: await migrationSql({ url: urls.postgres, ...postgresFrom }),
  }));
  if (!sql.sqlite && !sql.postgres) fail("prisma/schema.prisma has no change the migrations lack: nothing to write");
  if (sql.sqlite) writeMigration(MIGRATIONS_DIR, folder, sql.sqlite);
  if (sql.postgres) writeMigration(POSTGRES_MIGRATIONS_DIR, folder, sql.postgres);
  prismaGenerate();
  prismaGenerate(POSTGRES_SCHEMA);
}
