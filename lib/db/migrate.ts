import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseDatabaseUrl } from "./datasource-url.mjs";

/** The SQLite migrations (prisma/schema.prisma's history). */
export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");
/** The PostgreSQL migrations (prisma/postgres/schema.prisma, generated from the SQLite schema). */
export const POSTGRES_MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations-postgres");

/** The migrations folder for DATABASE_URL's dialect. */
export function migrationsDirFor(url = process.env.DATABASE_URL): string {
  return parseDatabaseUrl(url).kind === "postgres" ? POSTGRES_MIGRATIONS_DIR : MIGRATIONS_DIR;
}

/** The migrations folder in the shape the schema engine reads (what `prisma migrate` sends it). */
// `dir` is known only at run time (tests pass their own): turbopackIgnore keeps Next's file tracing
// from including the whole project (the server reads prisma/migrations from its working directory).
export async function loadMigrationsList(dir: string) {
  const lockPath = "migration_lock.toml";
  const lockContent = await readFile(path.join(/* turbopackIgnore: true */ dir, lockPath), "utf8").catch(() => null);
  const entries = await readdir(/* turbopackIgnore: true */ dir, { withFileTypes: true });
  const migrationDirectories = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: await readFile(path.join(/* turbopackIgnore: true */ dir, name, "migration.sql"), "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (error: Error) => ({ tag: "error" as const, value: error.message }),
          ),
        },
      })),
  );
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: lockContent },
    migrationDirectories,
    shadowDbInitScript: "",
  };
}

/**
 * Applies pending migrations to DATABASE_URL, like `prisma migrate deploy`, in-process through
 * the WebAssembly schema engine (no CLI spawn, no engine download). Returns the names applied.
 */
export async function migrateDeploy(url = process.env.DATABASE_URL, dir = migrationsDirFor(url)): Promise<string[]> {
  const engine = await startSchemaEngine(url);
  let applied: string[];
  try {
    const result = (await engine.call("applyMigrations", {
      migrationsList: await loadMigrationsList(dir),
      filters: { externalTables: [], externalEnums: [] },
    })) as { appliedMigrationNames: string[] };
    applied = result.appliedMigrationNames;
  } finally {
    await engine.close();
  }
  // After the engine is closed: on SQLite it holds an exclusive lock until then.
  await runDataMigrations(url, (await readdir(/* turbopackIgnore: true */ dir)).sort());
  return applied;
}

/** Prisma's WebAssembly schema engine on `url` (lib/db/schema-engine/engine.mjs). */
export async function startSchemaEngine(url: string | undefined) {
  // Loaded from disk at run time rather than bundled: the engine's WebAssembly bindings are an ES
  // module that Next.js cannot treat as an external package, and only the server start needs it.
  const enginePath = pathToFileURL(path.resolve(process.cwd(), "lib/db/schema-engine/engine.mjs")).href;
  const { startWasmEngine } = (await import(
    /* webpackIgnore: true */ /* turbopackIgnore: true */ enginePath
  )) as typeof import("./schema-engine/engine.mjs");
  return startWasmEngine({ datasource: { url }, log: () => {} });
}

/** Folders of `dir` not yet applied to `url` (all of them when the migrations table is missing). */
export async function pendingMigrations(
  url = process.env.DATABASE_URL,
  dir = migrationsDirFor(url),
): Promise<string[]> {
  const { createDb } = await import("./client.ts");
  const db = createDb(url);
  try {
    const applied = await db
      .$queryRawUnsafe<{ migration_name: string }[]>(
        'SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL',
      )
      .catch(() => []);
    const done = new Set(applied.map((row) => row.migration_name));
    const entries = await readdir(/* turbopackIgnore: true */ dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && !done.has(entry.name))
      .map((entry) => entry.name)
      .sort();
  } finally {
    await db.$disconnect();
  }
}

/**
 * What the server does about the schema when it starts. SQLite, one machine: apply pending
 * migrations, as always. PostgreSQL, many processes: migrating is a deploy step.
 */
export async function migrateOnStart(url = process.env.DATABASE_URL): Promise<string[]> {
  if (parseDatabaseUrl(url).kind === "sqlite") return migrateDeploy(url);
  await refusePendingMigrations(url);
  return [];
}

/**
 * On PostgreSQL a process (server or worker) refuses to start on a database with pending
 * migrations: they are applied once, by `ecd db migrate`, not by whichever process starts first.
 * On SQLite the server migrates itself (migrateOnStart), so nothing to check here.
 */
export async function refusePendingMigrations(url = process.env.DATABASE_URL): Promise<void> {
  if (parseDatabaseUrl(url).kind !== "postgres") return;
  const pending = await pendingMigrations(url);
  if (pending.length) {
    throw new Error(
      `The PostgreSQL database has ${pending.length} pending migration(s) (${pending.join(", ")}): ` +
        "run `npm run ecd -- db migrate` (ecd db migrate) once, then start the app and workers",
    );
  }
}

/** The schema migration each data migration needs (a folder of prisma/migrations). */
const PAIR_TRUST = "20261206173000_pair_trust";

/**
 * Data migrations that SQL cannot express (they need lib/ code), run after the schema ones on every
 * migrate, once the schema migration they need is in the folder. Each is idempotent: it only fills
 * what is still missing.
 * - pair_trust: the verdict record of every pair (lib/review/backfill.ts).
 */
async function runDataMigrations(url: string | undefined, migrations: readonly string[]): Promise<void> {
  // PostgreSQL's history starts at a baseline that already holds every schema migration up to it.
  if (!migrations.includes(PAIR_TRUST) && parseDatabaseUrl(url).kind !== "postgres") return;
  const [{ createDb }, { backfillVerdicts }] = await Promise.all([
    import("./client.ts"),
    import("../review/backfill.ts"),
  ]);
  const db = createDb(url);
  try {
    await backfillVerdicts(db);
  } finally {
    await db.$disconnect();
  }
}
