import { readFile } from "node:fs/promises";
import { loadMigrationsList, startSchemaEngine } from "./migrate.ts";
import { sqlDialect } from "./dialect.ts";
import { FTS_TABLES } from "./fts-tables.ts";

/**
 * The SQL that takes a migrations folder's history (or an empty database) to a schema file, as
 * `prisma migrate diff --script` prints it; "" when there is nothing to do. `url` names a database
 * of the schema's dialect: on PostgreSQL the history is replayed on a shadow database the pg
 * adapter creates on that server, on SQLite in memory. Used by `npm run db:migration` and the
 * test that keeps both migration folders in step with prisma/schema.prisma.
 */
export async function migrationSql(options: {
  url: string;
  schemaPath: string;
  /** The folder whose history is the starting point; omitted: an empty database. */
  from?: string;
}): Promise<string> {
  const engine = await startSchemaEngine(options.url);
  try {
    const content = await readFile(options.schemaPath, "utf8");
    const result = (await engine.call("diff", {
      from: options.from ? { tag: "migrations", ...(await loadMigrationsList(options.from)) } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: options.schemaPath, content }] },
      script: true,
      exitCode: null,
      shadowDatabaseUrl: null,
      // SQLite's FTS5 tables are not Prisma models (search-sql.ts, lib/db/README.md); PostgreSQL's
      // full-text indexes are expression indexes, which the diff leaves alone.
      filters: { externalTables: sqlDialect(options.url) === "sqlite" ? FTS_TABLES : [], externalEnums: [] },
    })) as { stdout?: string | null };
    const script = result.stdout ?? "";
    const hasStatements = script.split("\n").some((line) => line.trim() && !line.trim().startsWith("--"));
    return hasStatements ? script : "";
  } finally {
    await engine.close();
  }
}
