import { randomUUID } from "node:crypto";
import { copyFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { createDb, type Db } from "../lib/db/client.ts";
import { POSTGRES_TEMPLATE } from "./global-setup.ts";
import { psqlAt } from "./postgres.ts";

/**
 * A fresh, migrated database for one test file: a copy of the template that test/global-setup.ts
 * migrated with the real migrations. SQLite by default; TEST_DB=postgres: a database copied from
 * the template on the run's PostgreSQL server. Sets DATABASE_URL so code that calls getDb() (CLI
 * commands) uses it too.
 */
export function createTestDb(): { db: Db; url: string } {
  const { url, drop } = process.env.TEST_DB === "postgres" ? copyPostgresTemplate() : copySqliteTemplate();
  process.env.DATABASE_URL = url;
  const db = createDb(url);
  afterAll(async () => {
    await db.$disconnect();
    const { getDb } = await import("../lib/db/client.ts");
    await getDb()
      .$disconnect()
      .catch(() => {});
    drop();
  });
  return { db, url };
}

function copySqliteTemplate() {
  const template = process.env.ECD_TEST_TEMPLATE_DB;
  if (!template) throw new Error("ECD_TEST_TEMPLATE_DB is not set: run tests through vitest (test/global-setup.ts)");
  const file = path.join(path.dirname(template), `${randomUUID()}.db`);
  copyFileSync(template, file);
  return {
    url: `file:${file}`,
    drop: () => {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    },
  };
}

function copyPostgresTemplate() {
  const server = process.env.ECD_TEST_PG_URL;
  if (!server) throw new Error("ECD_TEST_PG_URL is not set: run tests through vitest (test/global-setup.ts)");
  const name = `test_${randomUUID().replaceAll("-", "")}`;
  // Synchronous (psql) so test files keep calling createTestDb() at their top level.
  psqlAt(server, `CREATE DATABASE "${name}" TEMPLATE "${POSTGRES_TEMPLATE}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => psqlAt(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
