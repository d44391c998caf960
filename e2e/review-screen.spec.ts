import { execFileSync } from "node:child_process";
import { expect, signIn, test, type Page } from "./helpers";
import { E2E_ADMIN } from "../playwright.config";

/**
 * The review screen that never loses work (issue 14): reject with a note by keyboard, the queue in
 * the URL, fast keypresses while pairs load, drafts, comments, links by role, real trees.
 * The data is written into the e2e server's database by e2e/review-screen-seed.ts.
 */

type Seeded = { reject: number; queue: number };

const PORT = Number(process.env.E2E_PORT ?? 3100);
let data: Seeded;

test.beforeAll(() => {
  const out = execFileSync(process.execPath, ["--import", "tsx", "e2e/review-screen-seed.ts"], {
    env: { ...process.env, DATABASE_URL: `file:./data/e2e-${PORT}/ecd.db` },
    encoding: "utf8",
  });
  data = JSON.parse(out) as Seeded;
});

const screenOf = (page: Page) => page.getByTestId("review-screen");

async function pairIdOf(page: Page): Promise<string> {
  const screen = screenOf(page);
  await expect(screen).toHaveAttribute("data-pair-id", /\d+/);
  return (await screen.getAttribute("data-pair-id"))!;
}

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
