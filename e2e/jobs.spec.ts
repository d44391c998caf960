import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "./helpers";
import { DEMO_SEEDS } from "../lib/jobs/demo-seeds";
import { E2E_ADMIN } from "../playwright.config";
import { signIn } from "./helpers";

/** `ecd …` against the e2e server's database (the demo is off in e2e: ECD_DEMO=off). */
function ecd(args: string[]) {
  const port = process.env.E2E_PORT ?? "3100";
  return execFileSync(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], {
    env: { ...process.env, DATABASE_URL: `file:./data/e2e-${port}/ecd.db` },
    encoding: "utf8",
  });
}

test("start a rule-based job from the form, watch it finish, open one of its pairs", async ({ page }) => {
  const name = `Jobs e2e ${Date.now()}`;
  ecd(["dataset", "create", name]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ecd-e2e-")), "seeds.jsonl");
  writeFileSync(
    file,
    DEMO_SEEDS.slice(0, 8)
      .map((s) => JSON.stringify({ instruction: s.instruction, input: s.input ?? "", output: s.response }))
      .join("\n") + "\n",
  );
  ecd(["import", file, "--dataset", name]);

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/");
  await page.getByRole("link", { name }).click();
  await page.getByRole("link", { name: "Generate" }).click();
  await expect(page).toHaveURL(/\/datasets\/\d+\/generate$/);

  const form = page.getByRole("form", { name: "New generation" });
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
  execFileSync(
    process.execPath,
    ["--import", "tsx", "lib/cli/main.ts", "user", "add", "--email", email, "--role", "annotator"],
    {
      env: { ...process.env, DATABASE_URL: `file:./data/e2e-${process.env.E2E_PORT ?? "3100"}/ecd.db` },
      input: "annotator-pass-3\n",
    },
  );
  const context = await browser.newContext();
  const annotator = await context.newPage();
  await signIn(annotator, email, "annotator-pass-3");
  const response = await annotator.goto("/datasets/1/generate");
  expect(response?.status()).toBe(403);
  await context.close();
});
