import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { expect, test } from "./helpers";
import { type AlpacaSeed, datasetWithThreePairs } from "./seeded-dataset";

const SEEDS: [AlpacaSeed, AlpacaSeed, AlpacaSeed] = [
  { instruction: "Write a haiku about autumn.", input: "", output: "Leaves fall, slowly." },
  { instruction: "Summarise the text.", input: "Preference data teaches models.", output: "It helps." },
  { instruction: "Name three rivers.", input: "", output: "Nile, Amazon, Danube" },
];
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

test("export a bundle from the page, download it again from the list, and check every file against the manifest", async ({
  page,
}) => {
  test.setTimeout(180_000); // import, seeding script and two downloads on a shared 2-core machine
  const { datasetId } = await datasetWithThreePairs(page, "Bundle", SEEDS);

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
