// Compiles the `ecd` CLI (lib/cli/main.ts) and its verify worker into dist/cli/*.mjs with esbuild,
// so a command starts without compiling TypeScript at run time. Packages stay external (loaded
// from node_modules). Run by postinstall and `npm run build`; scripts/ecd.mjs rebuilds when stale.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_OUT_DIR = path.join(ROOT, "dist/cli");

/** Builds into `outdir` (default dist/cli); tests build into a temporary folder. */
export async function buildCli(outdir = CLI_OUT_DIR) {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { ecd: "lib/cli/main.ts", "verify-worker": "lib/cli/commands/verify-worker.ts" },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
