import { randomUUID } from "node:crypto";
import { copyFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { createDb, type Db } from "../lib/db/client.ts";

/**
 * A fresh, migrated SQLite database for one test file: a copy of the template that
 * test/global-setup.ts migrated with the real migrations. Sets DATABASE_URL so code that
 * calls getDb() (CLI commands) uses it too.
 */
export function createTestDb(): { db: Db; url: string } {
  const template = process.env.ECD_TEST_TEMPLATE_DB;
  if (!template) throw new Error("ECD_TEST_TEMPLATE_DB is not set: run tests through vitest (test/global-setup.ts)");
  const file = path.join(path.dirname(template), `${randomUUID()}.db`);
  copyFileSync(template, file);
  const url = `file:${file}`;
  process.env.DATABASE_URL = url;
  const db = createDb(url);
  afterAll(async () => {
    await db.$disconnect();
    const { getDb } = await import("../lib/db/client.ts");
    await getDb()
      .$disconnect()
      .catch(() => {});
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  });
  return { db, url };
}
