import { execSync } from "node:child_process";
import { defineConfig } from "@playwright/test";

// Debian's chromium package; Playwright never downloads a browser here.
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execSync("command -v chromium || command -v chromium-browser", {
      encoding: "utf8",
      shell: "/bin/sh",
    }).trim();
  } catch {
    throw new Error(
      "Chromium not found: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH",
    );
  }
}

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-1" };

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    // A production server on a fresh database (scripts/e2e-server.mjs wipes it first).
    command: `node scripts/e2e-server.mjs`,
    url: `http://localhost:${PORT}/signin`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      DATABASE_URL: `file:./data/e2e-${PORT}/ecd.db`,
      ECD_DATA_DIR: `data/e2e-${PORT}`,
      ECD_ADMIN_EMAIL: E2E_ADMIN.email,
      ECD_ADMIN_PASSWORD: E2E_ADMIN.password,
      NEXTAUTH_URL: `http://localhost:${PORT}`,
      ECD_DEMO: "off",
    },
  },
});
