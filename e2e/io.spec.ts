import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { expect, test } from "./helpers";
import { createDatasetOnPage, seedPairsThroughWritePaths } from "./seeded-dataset";
import { EDITED_PROMPT, HUMAN_EDIT } from "./io-texts";

const SEEDS = [
  { instruction: "Write a haiku about autumn.", input: "", output: "Leaves fall, slowly." },
  {
    instruction: "Summarise the text.",
    input: "Preference data teaches models to follow instructions.",
    output: "Preference data helps.",
  },
  { instruction: "Name three rivers.", input: "", output: "Nile, Amazon, Danube" },
];
const FILE = [
  JSON.stringify(SEEDS[0]),
  JSON.stringify(SEEDS[1]),
  JSON.stringify(SEEDS[2]),
  '{"instruction": 42, "input": ""}',
  JSON.stringify({ ...SEEDS[0], output: "a duplicate of line 1" }),
].join("\n");

test("import a JSONL file through the upload page, then export TRL DPO from the export page", async ({ page }) => {
  test.setTimeout(180_000);
  const { name, datasetId } = await createDatasetOnPage(page, "IO");

  // Import: choose the file, see the detected shape and the first rows, import skipping the bad line.
  await page.getByRole("link", { name: "Import" }).click();
  await expect(page.getByRole("heading", { name: `Import seeds into ${name}` })).toBeVisible();
  await page
    .getByLabel("File")
    .setInputFiles({ name: "seeds.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(FILE) });
  const detected = page.getByTestId("import-detected");
  await expect(detected).toContainText("JSON Lines");
  await expect(detected).toContainText("Alpaca (instruction, input, output)");
  await expect(detected).toContainText("Reference response");
  const rows = page.getByRole("table", { name: "First rows" });
  await expect(rows).toContainText("Write a haiku about autumn.");
  await expect(rows).toContainText("Summarise the text.");
  await expect(rows).toContainText("Preference data teaches models to follow instructions.");
  await expect(page.getByText("line 4: instruction must be a string, got a number (42)")).toBeVisible();

  await page.getByLabel("Bad lines").selectOption("skip");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toHaveText(
    `Imported 3 seeds into ${name}: 5 records read, 1 duplicate, 1 skipped.`,
  );
  await expect(page.getByRole("table", { name: "Skipped lines" })).toContainText(
    "instruction must be a string, got a number (42)",
  );
  await expect(page.getByText("Duplicates (already in the dataset or earlier in the file): line 5")).toBeVisible();

  // Importing the same file again changes nothing: every seed is a duplicate.
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toHaveText(
    `Imported 0 seeds into ${name}: 5 records read, 4 duplicates, 1 skipped.`,
  );

  // A bad line with "stop" imports nothing and names the line.
  await page.getByLabel("Bad lines").selectOption("fail");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "line 4" })).toHaveText(
    "line 4: instruction must be a string, got a number (42). Nothing was imported.",
  );

  const { acceptedId, editedId } = seedPairsThroughWritePaths(datasetId);

  // Export: count before exporting, then download trl-dpo.
  await page.goto(`/datasets/${datasetId}/export`);
  const count = page.getByTestId("export-count");
  await expect(count).toHaveText("2 pairs match");
  await page.getByLabel("Status").selectOption("all");
  await expect(count).toHaveText("3 pairs match");
  await page.getByLabel("Method").selectOption("ecd");
  await expect(count).toHaveText("1 pair match");
  await page.getByLabel("Method").selectOption("");
  await page.getByLabel("Status").selectOption("accepted");
  await expect(count).toHaveText("2 pairs match");
  await page.getByLabel("Format").selectOption("trl-dpo");

  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download" }).click();
  const download = await downloading;
  // The download is the bundle as one .zip; its data file is the JSON Lines export.
  expect(download.suggestedFilename()).toMatch(/^io-\d+-trl-dpo-\d{8}T\d{6}Z\.zip$/);
  const entries = unzipSync(readFileSync((await download.path())!));
  const dataName = download.suggestedFilename().replace(/\.zip$/, ".jsonl");
  const bytes = Buffer.from(entries[dataName]!);
  const lines = bytes
    .toString("utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.map((l) => l.pair_id)).toEqual([acceptedId, editedId]);
  expect(lines[0]).toMatchObject({
    prompt: "Write a haiku about autumn.",
    chosen: "Crisp leaves drifting / the maple lets go of red / autumn wind answers",
    rejected: "Autumn is a season.",
    method: "ecd",
    review_status: "accepted",
    prompt_id: createHash("sha256").update("Write a haiku about autumn.").digest("hex"),
  });
  // The human edit wins: the edited prompt and response, not the generated ones.
  expect(lines[1]).toMatchObject({
    prompt: EDITED_PROMPT,
    chosen: HUMAN_EDIT,
    rejected: "Rivers are wet.",
    chosen_model: "human",
    review_status: "accepted",
    edited: true,
  });

  // The export is listed with its manifest; the sha256 is the downloaded file's.
  const sha = createHash("sha256").update(bytes).digest("hex");
  await page.reload();
  const listed = page.getByRole("table", { name: "Past exports" });
  await expect(listed).toContainText(`sha256 ${sha.slice(0, 12)}`);
  await expect(listed.locator("summary")).toContainText(dataName);
  await listed.locator("summary").click();
  await expect(listed.locator("pre")).toContainText(`"sha256": "${sha}"`);
  await expect(listed.locator("pre")).toContainText(`"pairs": 2`);
  const card = await page.request.get(
    await listed
      .getByRole("link", { name: "Dataset card" })
      .getAttribute("href")
      .then((h) => h!),
  );
  expect(card.status()).toBe(200);
  expect(await card.text()).toMatch(/^---\n[\s\S]*size_categories:\n- "n<1K"[\s\S]*\n---\n\n# IO \d+\n/);
});
