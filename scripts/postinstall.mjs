// After `npm install`: generate the Prisma client. prisma.config.ts points the CLI at our
// WebAssembly schema-engine stand-in, so nothing is downloaded.
import { spawnSync } from "node:child_process";

const run = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
});
if (run.status !== 0) process.exit(run.status ?? 1);

// Compile the CLI so `npm run ecd` starts without compiling TypeScript (scripts/ecd.mjs).
const { buildCli } = await import("./build-cli.mjs");
await buildCli();
