import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, signIn, test } from "./helpers";
import { DEMO_SEEDS } from "../lib/jobs/demo-seeds";
import { E2E_ADMIN } from "../playwright.config";

/** `ecd …` against the e2e server's database. */
function ecd(args: string[]) {
  const port = process.env.E2E_PORT ?? "3100";
  return execFileSync(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], {
    env: { ...process.env, DATABASE_URL: `file:./data/e2e-${port}/ecd.db` },
    encoding: "utf8",
  });
}

test("estimate a job from the generate form with the method controls, then follow it on its page", async ({ page }) => {
  test.setTimeout(180_000); // two CLI runs (tsx start-up) and a 20-seed estimate on a busy machine
  const name = `Estimate e2e ${Date.now()}`;
  ecd(["dataset", "create", name]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ecd-e2e-")), "seeds.jsonl");
  writeFileSync(
    file,
    DEMO_SEEDS.slice(0, 30)
      .map((s) => JSON.stringify({ instruction: s.instruction, input: s.input ?? "", output: s.response }))
      .join("\n") + "\n",
  );
  ecd(["import", file, "--dataset", name]);

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/");
  await page.getByRole("link", { name }).click();
  await page.getByRole("link", { name: "Generate" }).click();
  const form = page.getByRole("form", { name: "New generation" });
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
