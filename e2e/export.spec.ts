import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { E2E_ADMIN } from "../playwright.config";
import { expect, signIn, test } from "./helpers";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const DB_FILE = `data/e2e-${PORT}/ecd.db`;
const SEEDS = [
  { instruction: "Write a haiku about autumn.", input: "", output: "Leaves fall, slowly." },
  { instruction: "Summarise the text.", input: "Preference data teaches models.", output: "It helps." },
  { instruction: "Name three rivers.", input: "", output: "Nile, Amazon, Danube" },
];
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

test("export a bundle from the page, download it again from the list, and check every file against the manifest", async ({
  page,
}) => {
  test.setTimeout(180_000); // import, seeding script and two downloads on a shared 2-core machine
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const name = `Bundle ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create dataset" }).click();
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(/\/datasets\/\d+$/);
  const datasetId = Number(/\/datasets\/(\d+)$/.exec(page.url())![1]);

  await page.getByRole("link", { name: "Import" }).click();
  await page.getByLabel("File").setInputFiles({
    name: "seeds.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from(SEEDS.map((s) => JSON.stringify(s)).join("\n") + "\n"),
  });
  await expect(page.getByTestId("import-detected")).toContainText("JSON Lines");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toContainText("Imported 3 seeds");
  // Responses and pairs through the write paths (the same seeding script as e2e/io.spec.ts).
  execFileSync(process.execPath, ["--import", "tsx", "e2e/io-seed.ts", String(datasetId), E2E_ADMIN.email], {
    env: { ...process.env, DATABASE_URL: `file:./${DB_FILE}` },
    encoding: "utf8",
  });

  await page.goto(`/datasets/${datasetId}/export`);
  await page.getByLabel("Status").selectOption("all");
  await expect(page.getByTestId("export-count")).toHaveText("3 pairs match");
  await page.getByLabel("Format").selectOption("trl-dpo-conversational");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download" }).click();
  const first = await downloading;
  expect(first.suggestedFilename()).toMatch(/^bundle-\d+-trl-dpo-conversational-\d{8}T\d{6}Z\.zip$/);
  const firstBytes = readFileSync((await first.path())!);

  // Again, from the list of past exports.
  await page.reload();
  const listed = page.getByRole("table", { name: "Past exports" });
  const again = page.waitForEvent("download");
  await listed.getByRole("link", { name: "Download .zip" }).first().click();
  const second = await again;
  expect(second.suggestedFilename()).toBe(first.suggestedFilename());
  const secondBytes = readFileSync((await second.path())!);
  expect(sha256(secondBytes)).toBe(sha256(firstBytes));

  const entries = unzipSync(secondBytes);
  const dataName = first.suggestedFilename().replace(/\.zip$/, ".jsonl");
  expect(Object.keys(entries).sort()).toEqual([dataName, "README.md", "manifest.json", "metadata.jsonl"].sort());
  const manifest = JSON.parse(Buffer.from(entries["manifest.json"]!).toString("utf8")) as {
    sha256: string;
    counts: { pairs: number; lines: number };
    files: { kind: string; name: string; byteSize: number; sha256: string }[];
  };
  expect(manifest.files.map((f) => f.name)).toEqual([dataName, "metadata.jsonl", "README.md"]);
  for (const file of manifest.files) {
    const bytes = entries[file.name]!;
    expect(sha256(bytes), file.name).toBe(file.sha256);
    expect(bytes.length, file.name).toBe(file.byteSize);
  }
  expect(manifest.counts).toMatchObject({ pairs: 3, lines: 3 });
  const metadata = Buffer.from(entries["metadata.jsonl"]!).toString("utf8").trim().split("\n");
  expect(metadata).toHaveLength(3);
  expect(metadata.join("\n")).not.toContain("@");
  // The list shows the manifest's sha256 of the data file.
  await expect(listed.first()).toContainText(`sha256 ${manifest.sha256.slice(0, 12)}`);
});
