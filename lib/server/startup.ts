import { ensureFirstAdmin } from "../auth/users.ts";
import { configureDatabase, getDb } from "../db/client.ts";
import { authSecret } from "../auth/secret.ts";
import { migrateOnStart } from "../db/migrate.ts";
import { removeOrphanSpools } from "../io/spool.ts";

/**
 * Runs once when the server process starts (instrumentation.ts): bring the database to the
 * current schema (SQLite) or refuse a database with pending migrations (PostgreSQL), then make
 * sure someone can sign in.
 */
export async function startServer(): Promise<void> {
  const orphans = await removeOrphanSpools();
  if (orphans.length) console.log(`[ecd] removed ${orphans.length} import spool folder(s) left by stopped processes`);
  authSecret(); // fails the start when the key must come from the environment (PostgreSQL)
  const applied = await migrateOnStart();
  if (applied.length) console.log(`[ecd] applied migrations: ${applied.join(", ")}`);
  const db = getDb();
  await configureDatabase(db);
  const admin = await ensureFirstAdmin(db);
  if (admin) {
    const lines = [`[ecd] created the first admin: ${admin.email}`];
    if (admin.generatedPassword) {
      lines.push(`[ecd] generated password (shown once, store it now): ${admin.generatedPassword}`);
      lines.push("[ecd] set ECD_ADMIN_EMAIL and ECD_ADMIN_PASSWORD before the first start to choose them instead");
    }
    console.log(lines.join("\n"));
  }
  await (await import("../jobs/index.ts")).startGeneration(db, { adminEmail: admin?.email });
  const port = process.env.PORT ?? "3000";
  console.log(`[ecd] sign in at http://localhost:${port}/signin`);
}
