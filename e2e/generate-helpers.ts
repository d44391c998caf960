import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_SEEDS } from "../lib/jobs/demo-seeds";
import { E2E_ADMIN } from "../playwright.config";
import { ecd, expect, signIn, type Page } from "./helpers";

/** A new dataset (named `prefix` and the time) with the first `seeds` demo seeds, made with the CLI. */
export async function datasetWithDemoSeeds(prefix: string, seeds: number): Promise<string> {
  const name = `${prefix} ${Date.now()}`;
  await ecd(["dataset", "create", name]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ecd-e2e-")), "seeds.jsonl");
  writeFileSync(
    file,
    DEMO_SEEDS.slice(0, seeds)
      .map((s) => JSON.stringify({ instruction: s.instruction, input: s.input ?? "", output: s.response }))
      .join("\n") + "\n",
  );
  await ecd(["import", file, "--dataset", name]);
  return name;
}

/** Signs in as the e2e admin and opens the dataset's generation form from the home page. */
export async function openGenerateForm(page: Page, datasetName: string) {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/");
  await page.getByRole("link", { name: datasetName }).click();
  await page.getByRole("link", { name: "Generate" }).click();
  await expect(page).toHaveURL(/\/datasets\/\d+\/generate$/);
  return page.getByRole("form", { name: "New generation" });
}
