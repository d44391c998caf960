import { ecd, expect, signIn, signOut, test, type Page } from "./helpers";

/**
 * A dataset a team can run: a researcher writes guidelines, asks for 3 reviews per pair and adds
 * two annotators on the settings page; each annotator sees the dataset and opens the guidelines
 * with `g` on the review screen; a third annotator sees nothing of it, not even by its URL. Then the
 * researcher deletes it by typing its name.
 */

const PASSWORD = "team-password-123";
const stamp = Date.now();
const researcher = `team-res-${stamp}@e2e.test`;
const annotators = [1, 2, 3].map((n) => `team-ann${n}-${stamp}@e2e.test`);
const datasetName = `Team ${stamp}`;
const GUIDELINES = "Accept a pair only when the chosen answer follows **every** constraint.\n\n- Be strict on length";

async function datasetIdByName(): Promise<number> {
  const list = JSON.parse(await ecd(["dataset", "list", "--json"])) as { id: number; name: string }[];
  return list.find((d) => d.name === datasetName)!.id;
}

async function listedDatasets(page: Page): Promise<string[]> {
  await page.goto("/");
  return page.locator("main ul li a").allTextContents();
}

test("a researcher sets up a team dataset; only its members see it and its guidelines", async ({ page }) => {
  test.setTimeout(420_000); // five `ecd` processes and four sign-ins on a shared machine
  await ecd(["user", "add", "--email", researcher, "--role", "researcher"], `${PASSWORD}\n`);
  for (const email of annotators) await ecd(["user", "add", "--email", email, "--role", "annotator"], `${PASSWORD}\n`);
  await ecd(["dataset", "create", datasetName]);
  const id = await datasetIdByName();

  // The researcher: guidelines, 3 reviews per pair, two members.
  await signIn(page, researcher, PASSWORD);
  await page.goto(`/datasets/${id}`);
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${id}/settings$`));
  await page.getByLabel("Guidelines (Markdown)").fill(GUIDELINES);
  await expect(page.getByTestId("guidelines-preview").locator("strong")).toHaveText("every");
  await page.getByLabel("Reviews per pair").fill("3");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toContainText("Saved: reviewsPerPair, guidelines (guidelines version 1)");
  for (const email of annotators.slice(0, 2)) {
    await page.getByLabel("Add an annotator").fill(email);
    await page.getByRole("button", { name: "Add member" }).click();
    await expect(page.getByRole("list", { name: "Members" })).toContainText(email);
  }
  await page.reload();
  await expect(page.getByLabel("Reviews per pair")).toHaveValue("3");
  await expect(page.getByRole("list", { name: "Guideline versions" })).toContainText("Version 1");
  await expect(page.getByRole("list", { name: "Guideline versions" })).toContainText(researcher);
  await signOut(page);

  // The two members: the dataset is listed, the guidelines open with g on the review screen.
  for (const email of annotators.slice(0, 2)) {
    await signIn(page, email, PASSWORD);
    expect(await listedDatasets(page)).toContain(datasetName);
    await page.goto(`/datasets/${id}/review`);
    await expect(page.getByTestId("guidelines-panel")).toHaveCount(0);
    await page.keyboard.press("g");
    const panel = page.getByTestId("guidelines-panel");
    await expect(panel).toBeVisible();
    await expect(panel.locator("strong")).toHaveText("every");
    await expect(panel).toContainText("Be strict on length");
    await page.keyboard.press("g");
    await expect(panel).toHaveCount(0);
    await signOut(page);
  }

  // The third annotator: not listed, and every page of it is a 404.
  await signIn(page, annotators[2], PASSWORD);
  expect(await listedDatasets(page)).not.toContain(datasetName);
  for (const path of [`/datasets/${id}`, `/datasets/${id}/review`, `/datasets/${id}/pairs`, `/datasets/${id}/trees`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByText(datasetName)).toHaveCount(0);
  }
  await signOut(page);

  // The researcher deletes it by typing its name: it leaves the list at once, the job page shows the deletion.
  await signIn(page, researcher, PASSWORD);
  await page.goto(`/datasets/${id}/settings`);
  const remove = page.getByRole("button", { name: "Delete dataset" });
  await expect(remove).toBeDisabled();
  await page.getByLabel(`Type "${datasetName}" to confirm`).fill(datasetName);
  await remove.click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.getByText(/"name":"Team \d+"/)).toBeVisible(); // the deletion job's page, with its parameters
  expect(await listedDatasets(page)).not.toContain(datasetName);
  expect((await page.goto(`/datasets/${id}`))?.status()).toBe(404);
});
