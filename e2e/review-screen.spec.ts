import { expect, signIn, test } from "./helpers";
import { E2E_ADMIN } from "../playwright.config";
import { pairIdOf, runSeed, screenOf } from "./review-helpers";

/**
 * The review screen that never loses work (issue 14): reject with a note by keyboard, the queue in
 * the URL, fast keypresses while pairs load, drafts, comments, links by role, real trees.
 * The data is written into the e2e server's database by e2e/review-screen-seed.ts.
 */

type Seeded = {
  annotator: { email: string; password: string };
  reject: number;
  queue: number;
  drafts: number;
  comments: number;
  tree: { id: number; seedId: number; rootId: number; deepest: number; dropped: number[]; jobs: number[] };
};

let data: Seeded;

test.beforeAll(() => {
  data = runSeed<Seeded>("e2e/review-screen-seed.ts");
});

test("reject with a note by keyboard rejects the right pair with the typed note and reason", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/datasets/${data.reject}/review`);
  const screen = screenOf(page);
  const id = await pairIdOf(page);

  await page.keyboard.press("r");
  const note = page.getByLabel("Note (optional)");
  await expect(note).toBeFocused();
  // A note starting with `r` and holding digits is text, not shortcuts.
  await page.keyboard.type("r2 says 3 things, 4 wrong", { delay: 10 });
  await expect(note).toHaveValue("r2 says 3 things, 4 wrong");
  await expect(screen).toHaveAttribute("data-pair-id", id);
  // Tabbing across the reasons picks none.
  for (let i = 0; i < 8; i += 1) await page.keyboard.press("Tab");
  await expect(page.getByTestId("reject-panel").locator("[aria-pressed=true]")).toHaveCount(0);
  await note.focus();
  await page.keyboard.press("Alt+3");
  await expect(page.getByRole("button", { name: /Both responses are poor/ })).toHaveAttribute("aria-pressed", "true");
  await page.keyboard.press("Enter");
  await expect(screen).not.toHaveAttribute("data-pair-id", id);

  // Esc with a typed note asks first; declining keeps the note.
  const next = await pairIdOf(page);
  await page.keyboard.press("r");
  await page.keyboard.type("half a thought");
  page.once("dialog", (dialog) => void dialog.dismiss());
  await page.keyboard.press("Escape");
  await expect(note).toHaveValue("half a thought");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("reject-panel")).toHaveCount(0);
  await expect(screen).toHaveAttribute("data-pair-id", next);
  await expect(screen).toHaveAttribute("data-status", "pending");

  // The rejection was recorded on the right pair, with the reason and the note.
  await page.goto(`/datasets/${data.reject}/review?pair=${id}`);
  await expect(screen).toHaveAttribute("data-status", "rejected");
  await page.getByRole("button", { name: /Show history/ }).click();
  await expect(page.getByTestId("review-history")).toContainText(
    "reject (Both responses are poor) “r2 says 3 things, 4 wrong”",
  );
});

test("the queue: counts, three pairs prefetched, ten fast keypresses in order, Back/Forward and reload", async ({
  page,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/datasets/${data.queue}/review`);
  const screen = screenOf(page);
  const counts = page.getByTestId("queue-counts");
  await expect(counts).toHaveText("16 pending for you · 0 decided today");
  const first = await pairIdOf(page);
  await expect(page).toHaveURL(new RegExp(`[?&]pair=${first}\\b`));
  await expect(screen).toHaveAttribute("data-prefetched", "3");

  // Ten keypresses 40 ms apart, faster than the queue refills: none is dropped.
  const keys = ["a", "s", "a", "a", "s", "a", "a", "a", "s", "a"];
  for (const key of keys) {
    await page.keyboard.press(key);
    await page.waitForTimeout(40);
  }
  await expect(screen).toHaveAttribute("data-queued-keys", "0");
  await expect(counts).toHaveText("6 pending for you · 7 decided today");
  const eleventh = await pairIdOf(page);

  // Back walks the pairs in the order they were decided, each with its decision.
  const seen: string[] = [];
  for (const key of [...keys].reverse()) {
    await page.goBack();
    await expect(screen).toHaveAttribute("data-status", key === "a" ? "accepted" : "pending");
    seen.push(await pairIdOf(page));
  }
  expect(seen.at(-1)).toBe(first);
  expect(new Set([...seen, eleventh]).size).toBe(11);
  await page.goForward();
  await expect(screen).toHaveAttribute("data-pair-id", seen.at(-2)!);
  await expect(page).toHaveURL(new RegExp(`[?&]pair=${seen.at(-2)}\\b`));
  await page.reload();
  await expect(screen).toHaveAttribute("data-pair-id", seen.at(-2)!);
  await expect(counts).toHaveText("6 pending for you · 7 decided today");
});

test("a draft survives a reload and a second browser context; Esc on a changed draft asks", async ({
  page,
  browser,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/datasets/${data.drafts}/review`);
  const id = await pairIdOf(page);
  await page.keyboard.press("e");
  const chosen = page.getByLabel("Chosen response");
  await chosen.fill("a draft answer typed before lunch");
  await expect(page.getByTestId("draft-status")).toContainText("Draft saved");
  // A change the server does not hold yet makes leaving the page ask.
  await chosen.press("End");
  await chosen.pressSequentially(" more");
  const asks = await page.evaluate(() => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
  expect(asks).toBe(true);
  // Saved once the server holds the change: leaving no longer asks (the status text alone may
  // still be the previous save's).
  await expect
    .poll(() =>
      page.evaluate(() => {
        const event = new Event("beforeunload", { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;
      }),
    )
    .toBe(false);
  await expect(page.getByTestId("draft-status")).toContainText("Draft saved");

  await page.reload();
  await expect(screenOf(page)).toHaveAttribute("data-pair-id", id);
  await expect(page.getByLabel("Chosen response")).toHaveValue("a draft answer typed before lunch more");

  // Another device: a second browser context of the same reviewer.
  const context = await browser.newContext();
  const other = await context.newPage();
  await signIn(other, E2E_ADMIN.email, E2E_ADMIN.password);
  await other.goto(`/datasets/${data.drafts}/review?pair=${id}`);
  await expect(other.getByLabel("Chosen response")).toHaveValue("a draft answer typed before lunch more");
  await context.close();

  // Esc on the changed draft asks; declining keeps it, accepting discards it (on the server too).
  page.once("dialog", (dialog) => void dialog.dismiss());
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("edit-panel")).toBeVisible();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("edit-panel")).toHaveCount(0);
  // Nothing unsaved is left: leaving does not ask any more.
  const stillAsks = await page.evaluate(() => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
  expect(stillAsks).toBe(false);
  page.on("dialog", (dialog) => console.log(`unexpected dialog: ${dialog.type()} ${dialog.message()}`));
  await page.reload();
  await expect(screenOf(page)).toHaveAttribute("data-pair-id", id);
  await expect(page.getByTestId("comment-thread")).toBeVisible();
  await expect(page.getByTestId("edit-panel")).toHaveCount(0);
});

test("a comment appears in the thread and in the pairs table's count and filter", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/datasets/${data.comments}/review`);
  const id = await pairIdOf(page);
  await page.getByLabel("Add a comment").fill("Is the **second** sentence needed?");
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  const comment = page.getByTestId("comment");
  await expect(comment).toContainText(E2E_ADMIN.email);
  await expect(comment.locator("strong")).toHaveText("second");

  await page.goto(`/datasets/${data.comments}/pairs?has-comments=1`);
  const rows = page.getByTestId("comment-count");
  await expect(rows).toHaveCount(1);
  await expect(rows).toHaveText("1");
  await expect(page.getByRole("link", { name: `#${id}`, exact: true })).toBeVisible();
});

test("an annotator's overview shows no Generate, Import or Export links", async ({ page }) => {
  await signIn(page, data.annotator.email, data.annotator.password);
  await page.goto(`/datasets/${data.comments}`);
  await expect(page.getByRole("link", { name: "Review", exact: true }).first()).toBeVisible();
  for (const name of ["Generate", "Import", "Export"])
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});

test("a 68-node tree: collapsed below depth 2, expand and collapse, the detail in view, the job filter", async ({
  page,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/datasets/${data.tree.id}/trees/${data.tree.seedId}`);
  const tree = page.getByRole("tree", { name: "Evolution tree" });
  // Seed, its 2 + 5 dropped children, 4 grandchildren; deeper levels start collapsed.
  await expect(tree.getByRole("treeitem")).toHaveCount(12);
  await expect(page.getByTestId("seed-counts")).toContainText("62 kept");
  await expect(page.getByTestId("seed-counts")).toContainText("5 dropped");
  await expect(page.getByTestId("seed-counts")).toContainText("equal_to_parent: 3");
  await expect(page.getByTestId("seed-counts")).toContainText("template_leak: 2");

  // Expand everything level by level, then collapse one subtree.
  const closed = tree.getByRole("button", { name: /^Expand node/ });
  for (let i = 0; i < 100 && (await closed.count()) > 0; i += 1) await closed.first().click();
  await expect(tree.getByRole("treeitem")).toHaveCount(68);
  const firstChild = tree.getByRole("treeitem").nth(1);
  await firstChild
    .getByRole("button", { name: /^Collapse node/ })
    .first()
    .click();
  await expect(tree.getByRole("treeitem")).toHaveCount(68 - 30);
  await firstChild
    .getByRole("button", { name: /^Expand node/ })
    .first()
    .click();
  await expect(tree.getByRole("treeitem")).toHaveCount(68);

  // The deepest node is far down the page; after clicking it the detail panel is in view.
  await page.getByTestId(`tree-node-${data.tree.deepest}`).click();
  const detail = page.getByTestId("node-detail");
  await expect(detail).toHaveAttribute("data-node-id", String(data.tree.deepest));
  await expect(detail).toBeInViewport();

  // A dropped candidate says why it was dropped.
  await page.getByTestId(`tree-node-${data.tree.dropped[4]}`).click();
  await expect(page.getByTestId("drop-reason")).toContainText("template_leak");
  await expect(page.getByTestId("drop-reason")).toContainText("candidate 4 was not new");

  // The job filter keeps the nodes of one job (and the path to them).
  await page.getByLabel("Job").selectOption(String(data.tree.jobs[0]));
  const items = tree.getByRole("treeitem");
  const jobs = await items.evaluateAll((els) => els.map((el) => el.getAttribute("data-job")));
  expect(jobs.filter((j) => j === String(data.tree.jobs[0])).length).toBeGreaterThan(0);
  expect(jobs.length).toBeLessThan(68);
});
