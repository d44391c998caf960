import path from "node:path";
import { defineConfig } from "prisma/config";

// The Prisma CLI would download a native schema engine; ours speaks the same JSON-RPC
// protocol over stdio and runs Prisma's WebAssembly schema engine through our driver
// adapters (see lib/db/schema-engine/README.md). Nothing is downloaded.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("lib/db/schema-engine/bin.mjs");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "file:./data/ecd.db",
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
});
