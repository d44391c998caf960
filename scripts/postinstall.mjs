// After `npm install`: generate the Prisma clients, SQLite's from prisma/schema.prisma and
// PostgreSQL's from the copy scripts/postgres-schema.mjs derives from it. prisma.config.ts points
// the CLI at our WebAssembly schema-engine stand-in, so nothing is downloaded.
import { spawnSync } from "node:child_process";
import { POSTGRES_SCHEMA, writePostgresSchema } from "./postgres-schema.mjs";

writePostgresSchema();
for (const schema of [[], ["--schema", POSTGRES_SCHEMA]]) {
  const run = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate", ...schema], {
    stdio: "inherit",
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

// Compile the CLI so `npm run ecd` starts without compiling TypeScript (scripts/ecd.mjs).
const { buildCli } = await import("./build-cli.mjs");
await buildCli();
