// Starts the production build on a fresh database for the Playwright suite.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const dataDir = process.env.ECD_DATA_DIR ?? "data/e2e";
const port = process.env.PORT ?? "3100";
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
// One OpenAI-compatible provider for the specs that need an LLM (e2e/eval.spec.ts): they start the
// local test server (test/llm-server.ts) on this loopback port. Nothing listens there otherwise, and
// the other specs use the built-in rule-based provider.
const llmPort = process.env.E2E_LLM_PORT ?? String(Number(port) + 1000);
const providersFile = path.resolve(dataDir, "providers.json");
writeFileSync(
  providersFile,
  JSON.stringify({
    providers: [
      {
        name: "e2e-local",
        baseUrl: `http://127.0.0.1:${llmPort}/v1`,
        models: [{ name: "model-a" }, { name: "model-b" }],
        concurrency: 8,
        maxAttempts: 2,
      },
    ],
  }),
);
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port], {
  stdio: "inherit",
  env: {
    // Exports of more than 50 pairs run in the background, a page at a time with a pause, so
    // e2e/export-background.spec.ts can watch the progress bar (the other specs export fewer).
    ECD_EXPORT_BACKGROUND_OVER: "50",
    ECD_EXPORT_PAUSE_MS: "1500",
    ...process.env,
    ECD_PROVIDERS_FILE: providersFile,
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
