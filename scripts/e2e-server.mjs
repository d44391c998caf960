// Starts the production build on a fresh database for the Playwright suite.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";

const dataDir = process.env.ECD_DATA_DIR ?? "data/e2e";
rmSync(dataDir, { recursive: true, force: true });
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", process.env.PORT ?? "3100"], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
