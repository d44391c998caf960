import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ecd, expect, signIn, test } from "./helpers";
import { E2E_ADMIN } from "../playwright.config";
import { startLlmServer, type LlmTestServer } from "../test/llm-server";

// scripts/e2e-server.mjs configures the provider "e2e-local" (models model-a and model-b) to call
// this loopback port; the spec serves it with the local OpenAI-compatible test server.
const LLM_PORT = Number(process.env.E2E_LLM_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1000);

// Three prompts in IFEval's layout: model-a writes capitals and commas (fails all three constraints
// strictly), model-b writes lowercase without commas (passes all three).
const PROMPTS = [
  [
    "Write a short note to a friend. Your entire response should be in English and in all lowercase letters.",
    ["change_case:english_lowercase"],
  ],
  ["Describe a cat without using any commas.", ["punctuation:no_comma"]],
  [
    "Describe a dog in lowercase letters only and without any commas.",
    ["change_case:english_lowercase", "punctuation:no_comma"],
  ],
] as const;
const REPLIES: Record<string, string> = {
  "model-a": "Hello, Friend! It Was Lovely, Truly.",
  "model-b": "hello friend it was lovely to see you",
};

let llm: LlmTestServer;
test.beforeAll(async () => {
  llm = await startLlmServer({
    port: LLM_PORT,
    handler: (body) => ({ content: REPLIES[body.model] ?? "unknown model" }),
  });
});
test.afterAll(async () => {
  await llm?.stop();
});

async function startRun(page: import("@playwright/test").Page, model: string, dataset: string) {
  await page.goto("/evals");
  const form = page.getByTestId("start-eval-form");
  await form.getByLabel("Provider").selectOption("e2e-local");
  await form.getByLabel("Model").fill(model);
  await form.getByLabel("Benchmark").selectOption(`dataset:${dataset}`);
  await form.getByRole("button", { name: "Start evaluation" }).click();
  await expect(page).toHaveURL(/\/evals\/\d+$/);
  await expect(page.getByTestId("job-status").first()).toHaveText("succeeded", { timeout: 60_000 });
  return Number(new URL(page.url()).pathname.split("/").pop());
}

test("start two evaluations from the page against a local server, read the results, compare them", async ({ page }) => {
  test.setTimeout(180_000); // CLI start-up (tsx) and two runs on a busy machine
  const name = `Eval e2e ${Date.now()}`;
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ecd-e2e-")), "ifeval-layout.jsonl");
  writeFileSync(
    file,
    PROMPTS.map(([prompt, ids], key) =>
      JSON.stringify({ key: key + 1, prompt, instruction_id_list: ids, kwargs: ids.map(() => ({})) }),
    ).join("\n") + "\n",
  );
  await ecd(["dataset", "create", name]);
  await ecd(["import", file, "--dataset", name]);

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const runA = await startRun(page, "model-a", name);
  // model-a fails every constraint: the four numbers, and the breakdowns by group and by count.
  await expect(page.getByTestId("eval-numbers")).toContainText("Prompt-level strict0.0%0/3");
  await expect(page.getByTestId("eval-numbers")).toContainText("Instruction-level strict0.0%0/4");
  const byCount = page.getByRole("table", { name: "By number of constraints per prompt" });
  await expect(byCount.getByRole("row")).toHaveCount(3);
  for (const [row, constraints, prompts] of [
    [1, "1", "2"],
    [2, "2", "1"],
  ] as const) {
    await expect(byCount.getByRole("row").nth(row).getByRole("cell").nth(0)).toHaveText(constraints);
    await expect(byCount.getByRole("row").nth(row).getByRole("cell").nth(3)).toHaveText(prompts);
  }
  const byGroup = page.getByRole("table", { name: "By instruction group" });
  await expect(byGroup).toContainText("change_case");
  await expect(byGroup).toContainText("punctuation");
  // The failures of one id, with the response and its badges.
  await page
    .getByRole("table", { name: "By instruction id" })
    .getByRole("row", { name: /punctuation:no_comma/ })
    .getByRole("link", { name: "failures" })
    .click();
  await expect(page.getByText("Responses failing punctuation:no_comma (strict): 2")).toBeVisible();
  await expect(page.getByTestId("eval-response").first()).toContainText(REPLIES["model-a"]!);

  const runB = await startRun(page, "model-b", name);
  await expect(page.getByTestId("eval-numbers")).toContainText("Prompt-level strict100.0%3/3");

  // Compare from the list of runs: A = model-a, B = model-b.
  await page.goto("/evals");
  const compare = page.getByTestId("compare-form");
  await compare.getByLabel("Run A", { exact: true }).selectOption(String(runA));
  await compare.getByLabel("Run B", { exact: true }).selectOption(String(runB));
  await compare.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(new RegExp(`/evals/compare\\?a=${runA}&b=${runB}$`));
  await expect(page.getByTestId("mcnemar")).toContainText("A only 0, B only 3");
  await expect(page.getByRole("heading", { name: "Failed in A, passed in B (3)" })).toBeVisible();
  // The chart: one bar per instruction id, both +100 pp.
  const chart = page.getByTestId("delta-chart");
  await expect(chart.locator(".recharts-bar-rectangle")).toHaveCount(2);
  await expect(chart).toContainText("change_case:english_lowercase");
  await expect(chart).toContainText("punctuation:no_comma");
  // The server answered each prompt once per run: nothing was asked twice.
  expect(llm.totalRequests).toBe(6);
});
