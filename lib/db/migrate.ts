import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");

/** The migrations folder in the shape the schema engine reads (what `prisma migrate` sends it). */
// `dir` is known only at run time (tests pass their own): turbopackIgnore keeps Next's file tracing
// from including the whole project (the server reads prisma/migrations from its working directory).
async function loadMigrationsList(dir: string) {
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
export async function migrateDeploy(url = process.env.DATABASE_URL, dir = MIGRATIONS_DIR): Promise<string[]> {
  // Loaded from disk at run time rather than bundled: the engine's WebAssembly bindings are an ES
  // module that Next.js cannot treat as an external package, and only the server start needs it.
  const enginePath = pathToFileURL(path.resolve(process.cwd(), "lib/db/schema-engine/engine.mjs")).href;
  const { startWasmEngine } = (await import(
    /* webpackIgnore: true */ /* turbopackIgnore: true */ enginePath
  )) as typeof import("./schema-engine/engine.mjs");
  const engine = await startWasmEngine({ datasource: { url }, log: () => {} });
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

/** The schema migration each data migration needs (a folder of prisma/migrations). */
const PAIR_TRUST = "20261206173000_pair_trust";

/**
 * Data migrations that SQL cannot express (they need lib/ code), run after the schema ones on every
 * migrate, once the schema migration they need is in the folder. Each is idempotent: it only fills
 * what is still missing.
 * - pair_trust: the verdict record of every pair (lib/review/backfill.ts).
 */
async function runDataMigrations(url: string | undefined, migrations: readonly string[]): Promise<void> {
  if (!migrations.includes(PAIR_TRUST)) return;
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
