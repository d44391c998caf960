import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { migrateDeploy } from "../lib/db/migrate.ts";
import { startPostgres } from "./postgres.ts";

/** The template database's name on the test PostgreSQL server. */
export const POSTGRES_TEMPLATE = "ecd_template";

/**
 * Migrates one template database per test run; each test file copies it (test/db.ts).
 * TEST_DB=postgres: a throwaway PostgreSQL server (test/postgres.ts) holds the template, and each
 * file gets `CREATE DATABASE … TEMPLATE`. Otherwise a SQLite file, copied per test file. Each run
 * has its own folder / server, so two runs on one machine never touch each other's databases.
 */
export default async function setup() {
  if (process.env.TEST_DB === "postgres") {
    const server = await startPostgres();
    try {
      server.psql(`CREATE DATABASE "${POSTGRES_TEMPLATE}"`);
      await migrateDeploy(server.url(POSTGRES_TEMPLATE));
    } catch (error) {
      server.stop();
      throw error;
    }
    process.env.ECD_TEST_PG_URL = server.url();
    // Required on PostgreSQL (lib/auth/secret.ts): the test processes share one key.
    process.env.NEXTAUTH_SECRET ??= "ecd-test-secret-shared-by-every-test-process";
    return () => server.stop();
  }
  const dir = path.resolve("data/test", `run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const template = path.join(dir, "template.db");
  await migrateDeploy(`file:${template}`);
  process.env.ECD_TEST_TEMPLATE_DB = template;
  // Export bundles of this run, removed with it.
  process.env.ECD_EXPORT_DIR = path.join(dir, "exports");
  return () => rmSync(dir, { recursive: true, force: true });
}
