import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { migrateDeploy } from "../lib/db/migrate.ts";

/** Migrates one template SQLite database per test run; each test file copies it (test/db.ts). */
export default async function setup() {
  const dir = path.resolve("data/test");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const template = path.join(dir, "template.db");
  await migrateDeploy(`file:${template}`);
  process.env.ECD_TEST_TEMPLATE_DB = template;
}
