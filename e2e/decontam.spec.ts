import { E2E_ADMIN } from "../playwright.config";
import { expect, signIn, test } from "./helpers";
import { type AlpacaSeed, datasetWithThreePairs } from "./seeded-dataset";

const SECRET_TASK =
  "Write a short story about a lighthouse keeper who discovers that the fog horn has been singing to whales for a hundred years.";
const SEEDS: [AlpacaSeed, AlpacaSeed, AlpacaSeed] = [
  { instruction: SECRET_TASK, input: "", output: "Once upon a time, a keeper listened." },
  { instruction: "Summarise the text.", input: "Preference data teaches models.", output: "It helps." },
  { instruction: "Name three rivers.", input: "", output: "Nile, Amazon, Danube" },
];

test("upload a benchmark set on the page, see the recheck job finish, and see the flag in the pairs table and the tree", async ({
  page,
}) => {
  test.setTimeout(180_000); // import, a seeding script and a background job on a shared 2-core machine
  const { datasetId } = await datasetWithThreePairs(page, "Decontam", SEEDS);
  await expect(page.getByRole("alert").filter({ hasText: "overlap" })).toHaveCount(0);

  // Upload a set in IFEval's layout whose first prompt is the first seed's task.
  const setName = `stories-${Date.now()}`;
  await page.getByRole("link", { name: "Benchmarks" }).click();
  await expect(page).toHaveURL(/\/benchmarks$/);
  await page.getByLabel("Name").fill(setName);
  await page.getByLabel("Licence").fill("CC-BY-4.0");
  await page.getByLabel("Prompt file").setInputFiles({
    name: "stories.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from(
      [
        { key: 1, prompt: SECRET_TASK, instruction_id_list: [], kwargs: [] },
        {
          key: 2,
          prompt: "Compose a haiku about autumn leaves falling on a quiet mountain temple at dusk.",
          instruction_id_list: ["change_case:english_lowercase"],
          kwargs: [{}],
        },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n",
    ),
  });
  await page.getByRole("button", { name: "Add set" }).click();
  await expect(page.getByText(`Added "${setName}" with 2 prompts`)).toBeVisible();
  await expect(page.getByRole("table", { name: "Benchmark sets" })).toContainText(setName);

  // The recheck runs on the job engine (the server's in-process worker).
  await page.getByRole("link", { name: /Follow the re-check/ }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded", { timeout: 2_000 });
  }).toPass({ timeout: 90_000 });

  // The pairs table flags the one pair on the contaminated seed, and filters on it.
  await page.goto(`/datasets/${datasetId}/pairs?status=pending,accepted,rejected&contamination=contaminated`);
  await expect(page.getByTestId("contaminated-flag")).toHaveCount(1);
  await page.goto(`/datasets/${datasetId}/pairs?status=pending,accepted,rejected&contamination=not-contaminated`);
  await expect(page.getByTestId("contaminated-flag")).toHaveCount(0);

  // The tree names the set and the overlap.
  await page.goto(`/datasets/${datasetId}/trees`);
  await page.getByRole("link", { name: /\(line:1\)/ }).click();
  await expect(page.getByTestId("node-contaminated").first()).toContainText(`${setName} #1 (100% overlap, seed)`);
});

/** `count` prompts in IFEval's layout (about 330 bytes each); `badLine` gets kwargs that are not a list. */
function ifevalLayoutFile(count: number, badLine?: number): Buffer {
  const rows = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      key: 1000 + i,
      prompt: `Prompt ${i}: describe the history of town number ${i} in the hills, its market, its river crossings and the families who kept its mills running through ${i % 7} hard winters. Your entire response should be in English, and in all lowercase letters.`,
      instruction_id_list: ["change_case:english_lowercase"],
      kwargs: i + 1 === badLine ? "not a list" : [{}],
    }),
  );
  return Buffer.from(rows.join("\n") + "\n");
}

test("a benchmark set over 2 MB uploads from the page; a bad line is refused by its number", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/benchmarks");
  const form = page.getByRole("form", { name: "Upload a benchmark set" });

  // A bad line: refused with its number, the form keeps what was typed, no set is added.
  const badName = `bad-${Date.now()}`;
  await form.getByLabel("Name").fill(badName);
  await form.getByLabel("Prompt file").setInputFiles({
    name: "bad.jsonl",
    mimeType: "application/jsonl",
    buffer: ifevalLayoutFile(50, 37),
  });
  await form.getByRole("button", { name: "Add set" }).click();
  await expect(form.getByRole("alert")).toContainText("bad.jsonl: line 37: kwargs:");
  await expect(form.getByRole("alert")).toContainText("No set was added.");
  await expect(form.getByLabel("Name")).toHaveValue(badName);
  await expect(page.getByRole("table", { name: "Benchmark sets" })).not.toContainText(badName);

  // Over 2 MB (a server action's body limit is 1 MB): streamed to the upload route.
  const bigName = `big-${Date.now()}`;
  const big = ifevalLayoutFile(7000);
  expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
  await form.getByLabel("Name").fill(bigName);
  await form.getByLabel("Licence").fill("CC-BY-4.0");
  await form.getByLabel("Prompt file").setInputFiles({ name: "big.jsonl", mimeType: "application/jsonl", buffer: big });
  await form.getByRole("button", { name: "Add set" }).click();
  await expect(form.getByRole("status")).toContainText(`Added "${bigName}" with 7000 prompts`, { timeout: 60_000 });
  const row = page.getByRole("row").filter({ hasText: bigName });
  await expect(row).toContainText("7,000");
  await expect(row).toContainText("CC-BY-4.0");

  // Leave the e2e server's sets as they were for the other specs.
  await row.getByRole("button", { name: `Remove ${bigName}` }).click();
  await expect(page.getByRole("row").filter({ hasText: bigName })).toHaveCount(0);
});
