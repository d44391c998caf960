import { datasetWithDemoSeeds, openGenerateForm } from "./generate-helpers";
import { expect, test } from "./helpers";

test("estimate a job from the generate form with the method controls, then follow it on its page", async ({ page }) => {
  test.setTimeout(180_000); // two CLI runs (tsx start-up) and a 20-seed estimate on a busy machine
  const form = await openGenerateForm(page, await datasetWithDemoSeeds("Estimate e2e", 30));
  await expect(page.getByTestId("estimate-notice")).toContainText("random sample of 20 seed(s)");
  await expect(page.getByTestId("estimate-notice")).toContainText("real and paid");
  await form.getByLabel("Pipeline").selectOption("ecd");
  await form.getByLabel("R(0) from").selectOption("reference");
  await form.getByLabel("ancestors two or more rounds back").check();
  await form.getByLabel("Word budget").fill("501");
  await form.getByRole("button", { name: "Estimate on 20 seed(s)" }).click();
  // A bad control is named, and nothing starts.
  await expect(page.getByText("Word budget must be at most 500", { exact: true })).toBeVisible();
  await form.getByLabel("Word budget").fill("40");
  await form.getByRole("button", { name: "Estimate on 20 seed(s)" }).click();

  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.getByRole("heading", { name: /Estimate of ECD/ })).toBeVisible();
  await expect(page.getByTestId("job-status").first()).toHaveText("succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("estimate")).toContainText("From a sample of 20 of 20 seed(s)");
  await expect(page.getByTestId("estimate")).toContainText("for all 30 seed(s) of the run");
  await expect(page.getByTestId("estimate-pairs")).toContainText("per seed");
  await expect(page.getByTestId("job-method")).toHaveText(
    "R(0) from reference, negatives from the parent, ancestors, word budget 40, constraint text: check, filters: refusal, degenerate",
  );
  // An estimate writes no pairs, and shows no pair list at all.
  await expect(page.getByTestId("job-pairs")).toHaveText("0");
  await expect(page.getByRole("heading", { name: /^(Pairs|Newest pairs) \(/ })).toHaveCount(0);
});
