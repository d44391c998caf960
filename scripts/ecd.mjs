// `npm run ecd`: runs the compiled CLI (dist/cli/ecd.mjs), rebuilding it first when any source
// under lib/ (or the lock file) is newer than the build, so it never runs stale code.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "..");
const entry = path.join(root, "dist/cli/ecd.mjs");

function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (!item.name.includes(".test.")) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync(entry).mtimeMs;
  } catch {
    return -1;
  }
}

const sourcesAt = Math.max(
  newestSource(path.join(root, "lib")),
  statSync(path.join(root, "package-lock.json")).mtimeMs,
);
if (builtAt() < sourcesAt) {
  const { buildCli } = await import("./build-cli.mjs");
  await buildCli();
}
const { main } = await import(pathToFileURL(entry).href);
await main(process.argv.slice(2));
