import { execFileSync } from "node:child_process";
import { chosenOnLeft } from "../lib/review/ab";
import { expect, signIn, signOut, test, type Page } from "./helpers";

/**
 * Blind A/B review end to end: three annotators vote by keyboard on a dataset with 3 reviews per
 * pair; the screen shows A and B and nothing of the orientation before the vote; a disagreement
 * reaches the researcher's adjudication queue, whose decision is final; the overview's figures
 * and charts carry the numbers this test computes from its own votes.
 */

type Seeded = {
  datasetId: number;
  annotators: { id: number; email: string; password: string }[];
  researcher: { email: string; password: string };
  pairs: { id: number; chosen: string; rejected: string }[];
};

const PORT = Number(process.env.E2E_PORT ?? 3100);
let data: Seeded;

test.beforeAll(() => {
  const out = execFileSync(process.execPath, ["--import", "tsx", "e2e/ab-seed.ts"], {
    env: { ...process.env, DATABASE_URL: `file:./data/e2e-${PORT}/ecd.db` },
    encoding: "utf8",
  });
  data = JSON.parse(out) as Seeded;
});

/** Who prefers what: everyone the chosen response of pair 1; cat the rejected one of pair 2. */
const prefersChosen = (annotator: number, pair: number) => !(annotator === 2 && pair === 1);

/**
 * The A/B mode offers only its own controls: no Accept, Reject, Edit or Swap button, and their
 * keys open nothing; the key help lists the vote keys instead.
 */
async function onlyAbControls(page: Page) {
  const toolbar = page.getByRole("toolbar", { name: "Decisions" });
  await expect(toolbar.getByRole("button", { name: /^Skip/ })).toBeVisible();
  for (const label of ["Accept", "Reject", "Edit", "Swap"])
    await expect(page.getByRole("button", { name: new RegExp(`^${label}`) })).toHaveCount(0);
  for (const key of ["r", "e", "x"]) await page.keyboard.press(key);
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await expect(page.getByText(/saving/)).toHaveCount(0);
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toContainText("A better");
  await expect(help).not.toContainText(/accept the pair|swap chosen/);
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);
}

async function voteAll(page: Page, annotatorIndex: number) {
  const annotator = data.annotators[annotatorIndex]!;
  await signIn(page, annotator.email, annotator.password);
  await page.goto(`/datasets/${data.datasetId}/review`);
  const screen = page.getByTestId("review-screen");
  const voted = new Set<number>();
  for (let n = 0; n < data.pairs.length; n += 1) {
    const panel = page.getByTestId("ab-vote-panel");
    await expect(panel).toBeVisible();
    const pairId = Number(await screen.getAttribute("data-pair-id"));
    const index = data.pairs.findIndex((p) => p.id === pairId);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(voted.has(pairId)).toBe(false);
    const pair = data.pairs[index]!;
    // A and B in this reviewer's seeded order; no label, provenance or verdict badge.
    const chosenLeft = chosenOnLeft(annotator.id, pairId);
    await expect(page.getByTestId("ab-side-a")).toContainText(chosenLeft ? pair.chosen : pair.rejected);
    await expect(page.getByTestId("ab-side-b")).toContainText(chosenLeft ? pair.rejected : pair.chosen);
    await expect(screen).not.toContainText(/Chosen|Rejected|gpt-4o-mini|openai/);
    for (const [label, key] of [
      ["A better", "1"],
      ["B better", "2"],
      ["Tie", "3"],
      ["Both bad", "4"],
    ])
      await expect(page.getByRole("button", { name: new RegExp(`^${label}`) })).toContainText(key);
    if (n === 0) await onlyAbControls(page);
    // `a` (accept) does nothing in the A/B mode; `m` toggles the strength.
    await page.keyboard.press("a");
    await expect(panel).toHaveAttribute("data-strength", "clear");
    await page.keyboard.press("m");
    await expect(panel).toHaveAttribute("data-strength", "slight");
    const wantChosen = prefersChosen(annotatorIndex, index);
    await page.keyboard.press(chosenLeft === wantChosen ? "1" : "2");
    voted.add(pairId);
  }
  await expect(page.getByTestId("review-empty")).toBeVisible();
  await expect(page.getByText(/saving/)).toHaveCount(0);
  // Back to the last pair: after the vote its labels are shown.
  await page.keyboard.press("k");
  await expect(page.getByTestId("ab-vote-panel")).toHaveCount(0);
  await expect(screen).toContainText("Chosen");
  await signOut(page);
}

test("three annotators vote blind A/B by keyboard; a disagreement is adjudicated; the overview shows the figures", async ({
  page,
}) => {
  test.setTimeout(180_000);
  for (const i of [0, 1, 2]) await voteAll(page, i);

  // The researcher's adjudication queue holds pair 2 (2–1), with every vote.
  await signIn(page, data.researcher.email, data.researcher.password);
  await page.goto(`/datasets/${data.datasetId}/adjudication`);
  const items = page.getByTestId("adjudication-item");
  await expect(items).toHaveCount(1);
  await expect(items.first()).toHaveAttribute("data-pair-id", String(data.pairs[1]!.id));
  await expect(items.first().getByTestId("adjudication-vote")).toHaveCount(3);
  await expect(items.first()).toContainText("slight");
  await items.first().getByRole("button", { name: /^Flip/ }).click();
  // The queue refreshes without the decided pair; the decision is final: the pair is accepted.
  await expect(page.getByText("No pair is waiting for adjudication.")).toBeVisible();
  await page.goto(`/datasets/${data.datasetId}/review?pair=${data.pairs[1]!.id}`);
  await expect(page.getByTestId("review-screen")).toHaveAttribute("data-status", "accepted");

  // The overview: 6 votes on 2 pairs; agreeing vote pairs 3 (pair 1) + 1 (pair 2) of 6 = 67%.
  await page.goto(`/datasets/${data.datasetId}`);
  await expect(page.getByTestId("review-progress")).toContainText("2 of 2 pairs decided");
  await expect(page.getByTestId("agreement-percent")).toContainText("67%");
  await expect(page.getByTestId("agreement-units")).toHaveText("2");
  const series = async (testId: string) =>
    JSON.parse((await page.getByTestId(testId).getAttribute("data-series"))!) as Record<string, unknown>[];
  const times = await series("chart-time-per-vote");
  expect(times.reduce((n, b) => n + (b.votes as number), 0)).toBe(6);
  const perDay = await series("chart-votes-per-day");
  expect(perDay).toHaveLength(1);
  expect(Object.fromEntries(data.annotators.map((a) => [a.email, 2]))).toEqual(
    Object.fromEntries(Object.entries(perDay[0]!).filter(([k]) => k !== "day")),
  );
  const agreement = await series("chart-agreement");
  expect(agreement.map((d) => d.agreement)).toEqual([66.7]);
  // Both pairs are now accepted (pair 1 by the votes, pair 2 by the adjudication).
  expect((await series("chart-acceptance-depth")).map((d) => d.acceptance)).toEqual([100]);
  await expect(page.getByTestId("chart-agreement").locator("svg").first()).toBeVisible();
  await expect(page.getByTestId("chart-time-per-vote").locator(".recharts-bar-rectangle").first()).toBeVisible();
});
