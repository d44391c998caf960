import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { migrateDeploy } from "../lib/db/migrate.ts";

/**
 * Migrates one template SQLite database per test run; each test file copies it (test/db.ts).
 * Each run has its own folder, so two runs on one machine never delete each other's files.
 */
export default async function setup() {
  const dir = path.resolve("data/test", `run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const template = path.join(dir, "template.db");
  await migrateDeploy(`file:${template}`);
  process.env.ECD_TEST_TEMPLATE_DB = template;
  // Export bundles of this run, removed with it.
  process.env.ECD_EXPORT_DIR = path.join(dir, "exports");
  return () => rmSync(dir, { recursive: true, force: true });
}
