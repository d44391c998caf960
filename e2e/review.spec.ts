import { expect, test } from "./helpers";
import { E2E_ADMIN } from "../playwright.config";
import { pairIdOf, runSeed, screenOf } from "./review-helpers";
import { signIn } from "./helpers";

/**
 * Review: the keyboard flow, edits as new versions with live constraint badges, the stale-write
 * conflict between two browsers, markup staying text, the pairs table, the evolution tree.
 * The data is written straight into the e2e server's database by e2e/review-seed.ts.
 */

type Seeded = {
  annotator: { email: string; password: string };
  keyboard: { id: number };
  edit: { id: number; pairId: number; chosenId: number };
  override: { id: number; pairId: number };
  conflict: { id: number; pairId: number };
  xss: { id: number; pairId: number };
  table: { id: number };
  tree: { id: number; seedId: number; nodeIds: number[]; droppedId: number; pairId: number; d1PairId: number };
};

let data: Seeded;

test.beforeAll(() => {
  data = runSeed<Seeded>("e2e/review-seed.ts");
});

test("reviews five pairs by keyboard only, and goes back to decided ones", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/datasets/${data.keyboard.id}/review`);
  const screen = screenOf(page);
  // Every decision button shows its key.
  for (const [name, key] of [
    ["Accept", "a"],
    ["Reject", "r"],
    ["Edit", "e"],
    ["Skip", "s"],
    ["Swap", "x"],
    ["Previous", "k"],
    ["Next", "j"],
  ]) {
    await expect(page.getByRole("button", { name: new RegExp(`^${name}`) })).toContainText(key);
  }

  const seen: string[] = [];
  const decide = async (...keys: string[]) => {
    const id = await pairIdOf(page);
    seen.push(id);
    for (const key of keys) {
      if (key === "x") {
        const version = await screen.getAttribute("data-version");
        await page.keyboard.press("x");
        await expect(screen).not.toHaveAttribute("data-version", version!); // swapped: a new version
        await expect(page.getByTestId("response-chosen").getByTestId("provenance")).toContainText("rule-based");
      } else if (key === "confirm") {
        // The swapped chosen response fails a check: accepting asks first, and Enter confirms.
        await expect(page.getByTestId("override-confirm")).toBeVisible();
        await page.keyboard.press("Enter");
      } else await page.keyboard.press(key);
    }
    await expect(screen).not.toHaveAttribute("data-pair-id", id);
  };
  await decide("a");
  await decide("r", "Alt+2", "Enter"); // reject, reason 2
  await decide("a");
  await decide("s");
  await decide("x", "a", "confirm"); // swap, then accept (an override: the swapped chosen has commas)
  expect(new Set(seen).size).toBe(5);

  // Back with k: the last pair, swapped and accepted → accepted, marked swapped and as an override.
  await page.keyboard.press("k");
  await expect(screen).toHaveAttribute("data-pair-id", seen[4]!);
  await expect(screen).toHaveAttribute("data-status", "accepted");
  await expect(page.getByTestId("pair-trust-notes")).toContainText("swapped from how they were generated");
  await expect(page.getByTestId("pair-trust-notes")).toContainText("(override)");
  await page.keyboard.press("k");
  await expect(screen).toHaveAttribute("data-pair-id", seen[3]!);
  await expect(screen).toHaveAttribute("data-status", "pending"); // skipped
  await page.keyboard.press("k");
  await page.keyboard.press("k");
  await expect(screen).toHaveAttribute("data-pair-id", seen[1]!);
  await expect(screen).toHaveAttribute("data-status", "rejected");
  await page.keyboard.press("j");
  await expect(screen).toHaveAttribute("data-pair-id", seen[2]!);

  // Help.
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveCount(0);

  // The overview counts what was decided.
  await page.goto(`/datasets/${data.keyboard.id}`);
  await expect(page.getByTestId("review-progress")).toHaveText(
    "4 of 7 pairs decided (57%): 3 accepted, 1 rejected, 0 in adjudication, 3 pending. 0 carry a human edit; 1 accepted over a failing check (overrides).",
  );
  await expect(page.getByTestId("reviewer-table")).toContainText(E2E_ADMIN.email);

  // The reject reason was recorded.
  await page.goto(`/datasets/${data.keyboard.id}/review?pair=${seen[1]}`);
  await page.getByRole("button", { name: /Show history/ }).click();
  await expect(page.getByTestId("review-history")).toContainText("reject (Rejected is not worse)");
});

test("edits the chosen response with live badges and saves it as a new version", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/datasets/${data.edit.id}/review?pair=${data.edit.pairId}`);
  const screen = screenOf(page);
  await expect(screen).toHaveAttribute("data-pair-id", String(data.edit.pairId));
  const noComma = page.getByTestId("verdict-chosen-0");
  await expect(noComma).toHaveAttribute("data-passed", "true");
  await expect(page.getByTestId("verdict-rejected-0")).toHaveAttribute("data-passed", "false");
  await expect(page.getByTestId("verdict-chosen-2")).toContainText("judge"); // free-form: the judge's verdict

  await page.keyboard.press("e");
  const chosen = page.getByLabel("Chosen response");
  await expect(chosen).toBeFocused();
  await page.keyboard.press("Control+End");
  // Typing "a", "s", "r"… goes into the text: shortcuts are off while typing.
  await page.keyboard.type(", and a comma");
  await expect(page.getByTestId("verdict-chosen-0")).toHaveAttribute("data-passed", "false");
  await expect(page.getByTestId("verdict-chosen-2")).toHaveAttribute("data-passed", "unknown"); // not judged after an edit
  for (let i = 0; i < ", and a comma".length; i += 1) await page.keyboard.press("Backspace");
  await page.keyboard.type(" under a blue sky");
  await expect(page.getByTestId("verdict-chosen-0")).toHaveAttribute("data-passed", "true");
  await expect(screen).toHaveAttribute("data-version", "1");
  // "Save edit" (Ctrl+Enter): a new version, and the pair still awaits a vote — it stays on screen.
  await page.keyboard.press("Control+Enter");
  await expect(screen).toHaveAttribute("data-version", "2");
  await expect(screen).toHaveAttribute("data-pair-id", String(data.edit.pairId));
  await expect(screen).toHaveAttribute("data-status", "pending");
  const chosenPanel = page.getByTestId("response-chosen");
  await expect(chosenPanel).toContainText("children playing near the pond under a blue sky");
  await expect(chosenPanel.getByTestId("provenance")).toContainText(`human edit by ${E2E_ADMIN.email}`);
  await expect(chosenPanel.getByTestId("derived-from")).toContainText(`edit of #${data.edit.chosenId} (original kept)`);
  await expect(page.getByTestId("verdict-chosen-0")).toHaveAttribute("data-passed", "true");
  await expect(page.getByTestId("pair-trust-notes")).toContainText("carries a human edit");
});

test("an edit that breaks a constraint: Save and accept asks for confirmation, Save edit leaves the pair pending", async ({
  page,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/datasets/${data.override.id}/review?pair=${data.override.pairId}`);
  const screen = screenOf(page);
  await expect(screen).toHaveAttribute("data-pair-id", String(data.override.pairId));
  await expect(page.getByTestId("verdict-chosen-0")).toHaveAttribute("data-passed", "true"); // lowercase

  // Make the chosen response uppercase on a lowercase-only prompt: its badge turns red.
  await page.keyboard.press("e");
  const chosen = page.getByLabel("Chosen response");
  await chosen.fill("A LOUD WALK UNDER TALL TREES WITH BIRDS SINGING");
  await expect(page.getByTestId("verdict-chosen-0")).toHaveAttribute("data-passed", "false");

  // Save and accept: asks first; cancelling saves nothing.
  await page.getByRole("button", { name: /^Save and accept/ }).click();
  const confirm = page.getByRole("alertdialog", { name: "Confirm override" });
  await expect(confirm).toContainText("Write everything in lowercase letters.");
  await confirm.getByRole("button", { name: /^Cancel/ }).click();
  await expect(confirm).toHaveCount(0);
  await expect(screen).toHaveAttribute("data-version", "1");
  await expect(screen).toHaveAttribute("data-status", "pending");

  // Save edit: saved as a new version, still pending (not accepted, not exported).
  await page.getByRole("button", { name: /^Save edit/ }).click();
  await expect(screen).toHaveAttribute("data-version", "2");
  await expect(screen).toHaveAttribute("data-status", "pending");
  await expect(page.getByTestId("verdict-chosen-0")).toHaveAttribute("data-passed", "false");

  // Accepting it now asks too; confirming records the override.
  await page.keyboard.press("a");
  await expect(page.getByTestId("override-confirm")).toContainText("Write everything in lowercase letters.");
  await page.getByRole("button", { name: /^Accept anyway/ }).click();
  await expect(page.getByTestId("review-empty")).toBeVisible();
  await page.keyboard.press("k");
  await expect(screen).toHaveAttribute("data-status", "accepted");
  await page.goto(`/datasets/${data.override.id}`);
  await expect(page.getByTestId("override-count")).toHaveText("1");
});

test("two browsers save the same pair: the second is refused with the current state", async ({ page, browser }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await signIn(page2, data.annotator.email, data.annotator.password);
  const url = `/datasets/${data.conflict.id}/review?pair=${data.conflict.pairId}`;
  await page.goto(url);
  await page2.goto(url);
  await expect(screenOf(page)).toHaveAttribute("data-version", "1");
  await expect(screenOf(page2)).toHaveAttribute("data-version", "1");
  await expect(page2.getByRole("status").filter({ hasText: "queue" })).toContainText(`in ${E2E_ADMIN.email}’s queue`);

  await page.keyboard.press("a");
  await expect(page.getByTestId("review-empty")).toBeVisible();
  await page.keyboard.press("k");
  await expect(screenOf(page)).toHaveAttribute("data-status", "accepted");

  await page2.keyboard.press("r");
  await page2.keyboard.press("Enter");
  const alert = page2.getByRole("alert").filter({ hasText: "changed while you had it open" });
  await expect(alert).toContainText(
    `Not saved: pair #${data.conflict.pairId} changed while you had it open — you saw version 1, it is now version 2, accepted`,
  );
  await expect(alert).toContainText(`accept by ${E2E_ADMIN.email}`);
  await alert.getByRole("button", { name: `Show pair #${data.conflict.pairId}` }).click();
  await expect(screenOf(page2)).toHaveAttribute("data-version", "2");
  await expect(screenOf(page2)).toHaveAttribute("data-status", "accepted");
  await other.close();
});

test("markup in responses and prompts renders as inert text", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/datasets/${data.xss.id}/review?pair=${data.xss.pairId}`);
  const chosen = page.getByTestId("response-chosen");
  await expect(chosen).toContainText("<script>window.__xss = 1</script>");
  await expect(chosen).toContainText('<img src=x onerror="window.__xss = 2">');
  await expect(chosen.locator("strong")).toHaveText("bold"); // markdown still renders
  // Links to javascript: and data: URLs lose their address; images are never loaded, only named.
  await expect(chosen.getByText("click", { exact: true })).toBeVisible();
  await expect(chosen.getByText("data link", { exact: true })).toBeVisible();
  await expect(chosen.locator("a")).toHaveCount(0);
  await expect(chosen).toContainText("[image: pixel (https://example.invalid/p.gif)]");
  await expect(chosen).toContainText("[image: inline]");
  // HTML inside a table cell is text too.
  await expect(chosen.locator("td").first()).toHaveText('<b onmouseover="window.__xss=8">cell</b>');
  await expect(chosen.locator("td").nth(1)).toHaveText('<iframe src="javascript:window.__xss=9"></iframe>');
  await expect(page.getByTestId("response-rejected")).toContainText(
    '<iframe src="javascript:window.__xss=5"></iframe>',
  );
  await expect(page.getByTestId("chain")).toContainText("<script>window.__xss = 3</script>");
  await expect(
    page.locator(
      "[data-testid=review-screen] img, [data-testid=review-screen] iframe, [data-testid=review-screen] script",
    ),
  ).toHaveCount(0);
  await page.getByRole("button", { name: "Raw" }).click();
  await expect(chosen.locator("pre")).toContainText("<script>window.__xss = 1</script>");
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

test("the pairs table filters, sorts, pages, hides columns, opens pairs and bulk-decides", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const base = `/datasets/${data.table.id}/pairs`;
  await page.goto(base);
  const table = page.getByRole("table", { name: "Pairs" });
  const rows = table.locator("tbody tr");
  await expect(page.getByTestId("pairs-count")).toHaveText("120 pairs");
  await expect(rows).toHaveCount(50);

  // Paging: next, next (20 rows left), previous.
  const firstId = await rows.first().getAttribute("data-row-id");
  await page.getByRole("button", { name: "Next →" }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(rows.first()).not.toHaveAttribute("data-row-id", firstId!);
  const secondPageFirst = await rows.first().getAttribute("data-row-id");
  expect(Number(secondPageFirst)).toBe(Number(firstId) - 50);
  await page.getByRole("button", { name: "Next →" }).click();
  await expect(rows).toHaveCount(20);
  await expect(page.getByRole("button", { name: "Next →" })).toBeDisabled();
  await page.getByRole("button", { name: "← Previous" }).click();
  await expect(page).toHaveURL(/before=/);
  await expect(rows.first()).toHaveAttribute("data-row-id", secondPageFirst!);

  // Filtering: method c2s and depth 3 (the fixtures give c2s to i % 3 == 2, depth 1 + i % 3 → all c2s are depth 3).
  await page.goto(base);
  const filters = page.getByRole("form", { name: "Filters" });
  await filters.getByLabel("c2s").check();
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/method=c2s/);
  await expect(rows).toHaveCount(40);
  await expect(page.getByTestId("pairs-count")).toContainText("showing 40 matching pairs (of 120 in the dataset)");
  for (const text of await rows.locator("td:nth-child(4)").allTextContents()) expect(text.toLowerCase()).toBe("c2s");
  await filters.getByLabel("Depth").fill("1");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/depth=1/);
  await expect(page.getByText("No pairs match these filters.")).toBeVisible();

  // Status filter totals come from the counters; sorting by depth; hiding a column — all in the URL.
  await page.goto(`${base}?status=pending&sort=depth&dir=asc&hide=prompt`);
  await expect(page.getByTestId("pairs-count")).toHaveText("120 pairs");
  await expect(table.getByRole("columnheader", { name: "Prompt" })).toHaveCount(0);
  await expect(table.getByRole("columnheader", { name: /Depth/ })).toHaveAttribute("aria-sort", "ascending");
  await table.getByRole("columnheader", { name: /Depth/ }).getByRole("button").click();
  await expect(page).not.toHaveURL(/dir=asc/); // descending is the default: left out of the URL
  await expect(page).toHaveURL(/sort=depth.*hide=prompt/);
  await expect(table.getByRole("columnheader", { name: /Depth/ })).toHaveAttribute("aria-sort", "descending");
  await expect(rows.first().locator("td:nth-child(5)")).toHaveText("3");
  await page.getByText("Columns").click();
  await page.getByRole("checkbox", { name: "Prompt" }).check();
  await expect(table.getByRole("columnheader", { name: "Prompt" })).toBeVisible();
  await expect(page).not.toHaveURL(/hide=/);

  // A row opens the review screen on that pair.
  const rowId = await rows.nth(2).getAttribute("data-row-id");
  await rows.nth(2).locator("td").nth(5).click();
  await expect(page).toHaveURL(new RegExp(`/review\\?pair=${rowId}$`));
  await expect(screenOf(page)).toHaveAttribute("data-pair-id", rowId!);

  // Bulk: reject all pending c2s pairs after a confirmation that states the count.
  await page.goto(`${base}?method=c2s&status=pending`);
  await page.getByRole("button", { name: "Reject all matching…" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Confirm bulk decision" });
  await expect(confirm).toContainText("Reject 40 pairs (status pending · method c2s)?");
  await confirm.getByRole("button", { name: "Yes, reject 40 pairs" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Rejected 40 pending pairs." })).toBeVisible();
  await page.goto(`${base}?status=rejected`);
  await expect(page.getByTestId("pairs-count")).toHaveText("40 pairs match (of 120)");
});

test("the evolution tree: navigate nodes, see diffs, dropped candidates and pairs", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/datasets/${data.tree.id}`);
  await page.getByRole("link", { name: "Trees" }).first().click();
  await page.getByRole("link", { name: `Seed #${data.tree.seedId}` }).click();
  await expect(page).toHaveURL(new RegExp(`/trees/${data.tree.seedId}$`));
  const detail = page.getByTestId("node-detail");
  const [seedNode, d1, d2, d3] = data.tree.nodeIds;
  await expect(detail).toHaveAttribute("data-node-id", String(seedNode));
  await expect(page.getByTestId("node-instruction")).toHaveText("Describe a lighthouse.");

  await page.getByTestId(`tree-node-${d1}`).click();
  await expect(detail).toHaveAttribute("data-node-id", String(d1));
  await expect(page.getByTestId("node-instruction").locator("ins")).toContainText("Do not use any commas.");
  await expect(page.getByTestId("node-pairs")).toContainText(`Pair #${data.tree.d1PairId}`);

  await page.getByTestId(`tree-node-${data.tree.droppedId}`).click();
  await expect(page.getByTestId("drop-reason")).toContainText("equal to its parent's requirements");
  await expect(page.getByTestId(`tree-node-${data.tree.droppedId}`)).toContainText("dropped");

  await page.getByTestId(`tree-node-${d2}`).click();
  await expect(page.getByTestId("node-instruction").locator("ins")).toContainText(
    "Write everything in lowercase letters.",
  );
  await page.getByTestId(`tree-node-${d3}`).click();
  await expect(detail).toHaveAttribute("data-node-id", String(d3));
  await expect(page.getByTestId("node-response").first()).toContainText("lighthouse");
  await page
    .getByTestId("node-pairs")
    .getByRole("link", { name: `Pair #${data.tree.pairId}` })
    .click();
  await expect(screenOf(page)).toHaveAttribute("data-pair-id", String(data.tree.pairId));
  // The chain on the review screen shows the same path: seed and three steps.
  await expect(page.getByTestId("chain-step")).toHaveCount(4);
});
