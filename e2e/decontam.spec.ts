import { expect, test } from "./helpers";
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
