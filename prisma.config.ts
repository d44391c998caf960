import path from "node:path";
import { defineConfig } from "prisma/config";
import { FTS_TABLES } from "./lib/db/fts-tables.ts";

// The Prisma CLI would download a native schema engine; ours speaks the same JSON-RPC
// protocol over stdio and runs Prisma's WebAssembly schema engine through our driver
// adapters (see lib/db/schema-engine/README.md). Nothing is downloaded.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("lib/db/schema-engine/bin.mjs");

const url = process.env.DATABASE_URL ?? "file:./data/ecd.db";
// A postgresql:// URL selects the PostgreSQL copy of the schema (generated from
// prisma/schema.prisma by scripts/postgres-schema.mjs) and its own migrations folder.
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/migrations-postgres" : "prisma/migrations" },
  datasource: { url, shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL },
  // SQLite's full-text tables are not models: migrate diff/dev leave them alone (lib/db/README.md).
  experimental: { externalTables: true },
  tables: { external: postgres ? [] : FTS_TABLES },
});
