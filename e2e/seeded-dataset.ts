import { execFileSync } from "node:child_process";
import { E2E_ADMIN } from "../playwright.config";
import { expect, signIn, type Page } from "./helpers";

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** The e2e server's database (playwright.config.ts): e2e/io-seed.ts writes pairs into it. */
const DB_FILE = `data/e2e-${PORT}/ecd.db`;

export type AlpacaSeed = { instruction: string; input: string; output: string };

/** Signs in as the e2e admin, creates a dataset (`prefix` and the time) on the home page and opens it. */
export async function createDatasetOnPage(page: Page, prefix: string): Promise<{ name: string; datasetId: number }> {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const name = `${prefix} ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create dataset" }).click();
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(/\/datasets\/\d+$/);
  return { name, datasetId: Number(/\/datasets\/(\d+)$/.exec(page.url())![1]) };
}

/**
 * A pair for each of the dataset's three imported nodes, through the write paths (e2e/io-seed.ts:
 * one accepted, one edited, one pending).
 */
export function seedPairsThroughWritePaths(datasetId: number): { acceptedId: number; editedId: number } {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", "e2e/io-seed.ts", String(datasetId), E2E_ADMIN.email],
    { env: { ...process.env, DATABASE_URL: `file:./${DB_FILE}` }, encoding: "utf8" },
  );
  return JSON.parse(out) as { acceptedId: number; editedId: number };
}

/**
 * A new dataset with three Alpaca seeds imported through the import page and a pair on each
 * (seedPairsThroughWritePaths). Leaves the page on the import page.
 */
export async function datasetWithThreePairs(
  page: Page,
  prefix: string,
  seeds: readonly [AlpacaSeed, AlpacaSeed, AlpacaSeed],
): Promise<{ name: string; datasetId: number }> {
  const created = await createDatasetOnPage(page, prefix);
  await page.getByRole("link", { name: "Import" }).click();
  await page.getByLabel("File").setInputFiles({
    name: "seeds.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from(seeds.map((s) => JSON.stringify(s)).join("\n") + "\n"),
  });
  await expect(page.getByTestId("import-detected")).toContainText("JSON Lines");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toContainText("Imported 3 seeds");
  seedPairsThroughWritePaths(created.datasetId);
  return created;
}
