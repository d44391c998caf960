import { datasetWithDemoSeeds, openGenerateForm } from "./generate-helpers";
import { ecd, expect, signIn, test } from "./helpers";

test("start a rule-based job from the form, watch it finish, open one of its pairs", async ({ page }) => {
  const form = await openGenerateForm(page, await datasetWithDemoSeeds("Jobs e2e", 8));
  await form.getByLabel("Pipeline").selectOption("ecd");
  await form.getByLabel("Rounds", { exact: true }).fill("2");
  await form.getByLabel("Limit").fill("5");
  for (const role of ["evolver", "responder", "judge"]) {
    await expect(form.getByLabel(`${role} provider`)).toHaveValue("rule-based");
    await expect(form.getByLabel(`${role} model`)).toBeDisabled();
  }
  // Switching the pipeline shows that pipeline's options and roles.
  await form.getByLabel("Pipeline").selectOption("c2s");
  await expect(form.getByLabel("Constraints per prompt")).toHaveValue("3-5");
  await expect(form.getByLabel("teacher provider")).toBeVisible();
  await form.getByLabel("Pipeline").selectOption("ecd");
  await form.getByLabel("Limit").fill("5");
  await form.getByRole("button", { name: "Start generation" }).click();

  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  // Live progress: the page refreshes itself until the job is done.
  await expect(page.getByTestId("job-status").first()).toHaveText("succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("job-tasks")).toHaveText("5 / 5");
  await expect(page.getByTestId("job-failed")).toHaveText("0");
  await expect(page.getByTestId("live")).toHaveCount(0);
  expect(await page.getByTestId("job-pairs").locator("li").count()).toBeGreaterThan(0);

  // Open a pair: its prompt, chosen and rejected responses, labelled rule-based, and a way into review.
  const first = page.getByTestId("job-pairs").locator("li").first();
  await first.locator("summary").click();
  await expect(first.getByTestId("pair-chosen")).toBeVisible();
  await expect(first.getByText("rule-based").first()).toBeVisible();
  const review = first.getByRole("link", { name: /^Review pair \d+$/ });
  await expect(review).toHaveAttribute("href", /\/datasets\/\d+\/review\?pair=\d+$/);
  const pairId = /pair=(\d+)$/.exec((await review.getAttribute("href"))!)![1];
  const jobUrl = page.url();

  // …and opens in the review screen.
  await review.click();
  await expect(page).toHaveURL(new RegExp(`/datasets/\\d+/review\\?pair=${pairId}$`));
  await expect(page.getByTestId("review-screen")).toHaveAttribute("data-pair-id", pairId);
  await expect(page.getByTestId("review-position")).toContainText(`pair #${pairId}`);

  // The dataset's jobs page lists the job.
  await page.goto(jobUrl);
  await page.getByRole("link", { name: "all jobs" }).click();
  await expect(page.getByTestId("jobs-table")).toContainText("ECD");
  await expect(page.getByTestId("jobs-table").getByTestId("job-status").first()).toHaveText("succeeded");
});

test("an annotator cannot open the generation form", async ({ browser }) => {
  const email = `jobs-annotator-${Date.now()}@e2e.test`;
  await ecd(["user", "add", "--email", email, "--role", "annotator"], "annotator-pass-3\n");
  const context = await browser.newContext();
  const annotator = await context.newPage();
  await signIn(annotator, email, "annotator-pass-3");
  const response = await annotator.goto("/datasets/1/generate");
  expect(response?.status()).toBe(403);
  await context.close();
});
