import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { E2E_ADMIN } from "../playwright.config";
import { expect, signIn, test } from "./helpers";

/**
 * A background export (issue 11). scripts/e2e-server.mjs sets ECD_EXPORT_BACKGROUND_OVER=50 and
 * ECD_EXPORT_PAUSE_MS=1500, so an export of 1,200 pairs (three pages of 400) runs as a job for a few
 * seconds: the page shows its progress bar, the user leaves and comes back, and downloads the zip.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const DB_FILE = `data/e2e-${PORT}/ecd.db`;
const SEEDS = 1_200;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

test("a big export runs in the background: progress bar, leave, come back, download the zip and check the manifest", async ({
  page,
}) => {
  test.setTimeout(240_000); // import, seeding script, the job and a download on a shared 2-core machine
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const name = `Background ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create dataset" }).click();
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(/\/datasets\/\d+$/);
  const datasetId = Number(/\/datasets\/(\d+)$/.exec(page.url())![1]);

  await page.getByRole("link", { name: "Import" }).click();
  const lines = Array.from({ length: SEEDS }, (_, i) =>
    JSON.stringify({ instruction: `Describe lighthouse number ${i}.`, input: "", output: `Lighthouse ${i}.` }),
  );
  await page.getByLabel("File").setInputFiles({
    name: "seeds.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from(lines.join("\n") + "\n"),
  });
  await expect(page.getByTestId("import-detected")).toContainText("JSON Lines");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toContainText("Imported 1,200 seeds", {
    timeout: 60_000,
  });
  const seeded = execFileSync(
    process.execPath,
    ["--import", "tsx", "e2e/export-background-seed.ts", String(datasetId)],
    {
      env: { ...process.env, DATABASE_URL: `file:./${DB_FILE}` },
      encoding: "utf8",
    },
  );
  expect(JSON.parse(seeded)).toEqual({ pairs: SEEDS });

  await page.goto(`/datasets/${datasetId}/export`);
  await page.getByLabel("Status").selectOption("all");
  await expect(page.getByTestId("export-count")).toHaveText("1,200 pairs match");
  await expect(page.getByTestId("export-background-note")).toContainText("runs in the background");
  await page.getByRole("button", { name: "Start background export" }).click();

  // Back on the export page: the job is listed with a live progress bar.
  await expect(page).toHaveURL(new RegExp(`/datasets/${datasetId}/export\\?job=\\d+$`));
  const jobId = Number(/job=(\d+)$/.exec(page.url())![1]);
  const listed = page.getByRole("table", { name: "Past exports" });
  const jobRow = listed.getByTestId(`export-job-${jobId}`);
  await expect(jobRow.getByRole("progressbar", { name: `Export job ${jobId} progress` })).toBeVisible();
  await expect(jobRow.getByTestId("job-status")).toHaveText(/queued|running/);
  await expect(jobRow.getByTestId("export-job-progress")).toContainText(/of 1,200 pairs read|Waiting for a worker/);

  // Leave for another page, then come back for the file.
  await page.goto(`/datasets/${datasetId}`);
  await expect(page).toHaveURL(new RegExp(`/datasets/${datasetId}$`));
  await page.goto(`/datasets/${datasetId}/export`);
  // The page refreshes itself while the job runs; once done the job's row gives way to the export's.
  await expect(listed.getByTestId(`export-job-${jobId}`)).toHaveCount(0, { timeout: 120_000 });
  const exportRow = listed.locator('[data-testid^="export-row-"]').first();
  await expect(exportRow.getByTestId("job-status")).toHaveText("done");
  await expect(exportRow).toContainText("1,200");

  const downloading = page.waitForEvent("download");
  await exportRow.getByRole("link", { name: "Download .zip" }).click();
  const download = await downloading;
  const entries = unzipSync(readFileSync((await download.path())!));
  const manifest = JSON.parse(Buffer.from(entries["manifest.json"]!).toString("utf8")) as {
    counts: { pairs: number; lines: number };
    files: { kind: string; name: string; byteSize: number; sha256: string }[];
  };
  expect(manifest.counts).toMatchObject({ pairs: SEEDS, lines: SEEDS });
  expect(manifest.files.map((f) => f.kind)).toEqual(["data", "metadata", "card"]);
  for (const file of manifest.files) {
    const bytes = entries[file.name]!;
    expect(sha256(bytes), file.name).toBe(file.sha256);
    expect(bytes.length, file.name).toBe(file.byteSize);
  }
  expect(Buffer.from(entries["metadata.jsonl"]!).toString("utf8").trim().split("\n")).toHaveLength(SEEDS);
});
