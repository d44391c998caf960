// prisma/schema.prisma (SQLite) is the one source of truth for the data model. This writes the
// PostgreSQL copy Prisma needs for the second provider: the same models, the `postgresql`
// provider, and a client generated into lib/db/generated-postgres. Run at postinstall and by
// `npm run db:migration`; test/schema-sync.test.ts checks the committed copy is current.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SQLITE_SCHEMA = path.join(root, "prisma/schema.prisma");
export const POSTGRES_SCHEMA = path.join(root, "prisma/postgres/schema.prisma");

const HEADER =
  "// GENERATED from prisma/schema.prisma by scripts/postgres-schema.mjs: edit that file, then run\n" +
  '// `npm run db:migration -- NAME` (README, "Migrations"). Do not edit this copy.\n\n';

/** The PostgreSQL schema text for a SQLite schema text. */
export function postgresSchemaFrom(sqliteSchema) {
  const swap = (text, pattern, replacement, what) => {
    if (!pattern.test(text)) throw new Error(`prisma/schema.prisma: cannot find ${what}`);
    return text.replace(pattern, replacement);
  };
  let schema = swap(sqliteSchema, /provider\s*=\s*"sqlite"/, 'provider = "postgresql"', 'provider = "sqlite"');
  schema = swap(
    schema,
    /output(\s*)=\s*"\.\.\/lib\/db\/generated"/,
    'output$1= "../../lib/db/generated-postgres"',
    'output = "../lib/db/generated"',
  );
  return HEADER + schema;
}

/** Writes prisma/postgres/schema.prisma; returns whether it changed. */
export function writePostgresSchema() {
  const next = postgresSchemaFrom(readFileSync(SQLITE_SCHEMA, "utf8"));
  let current = null;
  try {
    current = readFileSync(POSTGRES_SCHEMA, "utf8");
  } catch {}
  if (current === next) return false;
  writeFileSync(POSTGRES_SCHEMA, next);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(
    writePostgresSchema() ? "prisma/postgres/schema.prisma updated" : "prisma/postgres/schema.prisma is current",
  );
}
