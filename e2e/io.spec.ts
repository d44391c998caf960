import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "./helpers";
import Database from "better-sqlite3";
import { E2E_ADMIN } from "../playwright.config";
import { signIn } from "./helpers";

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** The e2e server's database (playwright.config.ts): pairs are seeded straight into it. */
const DB_FILE = `data/e2e-${PORT}/ecd.db`;

const SEEDS = [
  { instruction: "Write a haiku about autumn.", input: "", output: "Leaves fall, slowly." },
  {
    instruction: "Summarise the text.",
    input: "Preference data teaches models to follow instructions.",
    output: "Preference data helps.",
  },
  { instruction: "Name three rivers.", input: "", output: "Nile, Amazon, Danube" },
];
const FILE = [
  JSON.stringify(SEEDS[0]),
  JSON.stringify(SEEDS[1]),
  JSON.stringify(SEEDS[2]),
  '{"instruction": 42, "input": ""}',
  JSON.stringify({ ...SEEDS[0], output: "a duplicate of line 1" }),
].join("\n");

const HUMAN_EDIT = "Rivers: the Nile and the Amazon and the Danube (edited by a reviewer)";
const EDITED_PROMPT = "Name three long rivers.";

/** Responses and pairs for the imported nodes, the way the pipelines and the review module leave them. */
function seedPairs(datasetId: number, userId: number) {
  const db = new Database(DB_FILE);
  db.pragma("busy_timeout = 5000");
  const now = new Date().toISOString().replace("Z", "+00:00");
  const nodes = db
    .prepare(`SELECT "id", "instruction" FROM "Node" WHERE "datasetId" = ? ORDER BY "id"`)
    .all(datasetId) as { id: number; instruction: string }[];
  expect(nodes).toHaveLength(3);
  const response = db.prepare(
    `INSERT INTO "Response" ("nodeId", "text", "role", "provider", "model", "verification", "parentId", "createdById", "createdAt") VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?) RETURNING "id"`,
  );
  const addResponse = (
    nodeId: number,
    text: string,
    role = "responder",
    model = "gpt-4o-mini",
    parentId: number | null = null,
  ) =>
    (
      response.get(
        nodeId,
        text,
        role,
        role === "human" ? "human" : "openai",
        role === "human" ? "" : model,
        parentId,
        role === "human" ? userId : null,
        now,
      ) as { id: number }
    ).id;
  const pair = db.prepare(
    `INSERT INTO "Pair" ("datasetId", "nodeId", "chosenId", "rejectedId", "method", "status", "depth", "reviewCount", "constraintIds", "metadata", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) RETURNING "id"`,
  );
  const review = db.prepare(
    `INSERT INTO "Review" ("pairId", "userId", "decision", "editedPrompt", "editedChosen", "pairVersion", "shownAt", "decidedAt", "durationMs") VALUES (?, ?, ?, ?, ?, 1, ?, ?, 900)`,
  );
  const ids: number[] = [];
  db.transaction(() => {
    // Accepted.
    const a1 = addResponse(nodes[0]!.id, "Crisp leaves drifting / the maple lets go of red / autumn wind answers");
    const a2 = addResponse(nodes[0]!.id, "Autumn is a season.", "responder", "llama-2-7b");
    const p1 = (pair.get(datasetId, nodes[0]!.id, a1, a2, "ecd", "accepted", 1, "", "{}", now, now) as { id: number })
      .id;
    review.run(p1, userId, "accept", null, null, now, now);
    // Pending: not in an "accepted" export.
    const b1 = addResponse(nodes[1]!.id, "Preference data helps models follow instructions.");
    const b2 = addResponse(nodes[1]!.id, "Data.", "student", "llama-2-7b");
    pair.get(datasetId, nodes[1]!.id, b1, b2, "c2s", "pending", 0, "", "{}", now, now);
    // Edited: the reviewer rewrote the chosen response and the prompt.
    const c1 = addResponse(nodes[2]!.id, "Nile, Amazon, Danube");
    const c2 = addResponse(nodes[2]!.id, "Rivers are wet.", "student", "llama-2-7b");
    const human = addResponse(nodes[2]!.id, HUMAN_EDIT, "human", "", c1);
    const p3 = (
      pair.get(
        datasetId,
        nodes[2]!.id,
        human,
        c2,
        "c2s",
        "edited",
        1,
        "",
        JSON.stringify({ editedPrompt: EDITED_PROMPT }),
        now,
        now,
      ) as { id: number }
    ).id;
    review.run(p3, userId, "edit", EDITED_PROMPT, HUMAN_EDIT, now, now);
    ids.push(p1, p3);
  })();
  db.close();
  return ids;
}

test("import a JSONL file through the upload page, then export TRL DPO from the export page", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const name = `IO ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create dataset" }).click();
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(/\/datasets\/\d+$/);
  const datasetId = Number(/\/datasets\/(\d+)$/.exec(page.url())![1]);

  // Import: choose the file, see the detected shape and the first rows, import skipping the bad line.
  await page.getByRole("link", { name: "Import" }).click();
  await expect(page.getByRole("heading", { name: `Import seeds into ${name}` })).toBeVisible();
  await page
    .getByLabel("File")
    .setInputFiles({ name: "seeds.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(FILE) });
  const detected = page.getByTestId("import-detected");
  await expect(detected).toContainText("JSON Lines");
  await expect(detected).toContainText("Alpaca (instruction, input, output)");
  await expect(detected).toContainText("Reference response");
  const rows = page.getByRole("table", { name: "First rows" });
  await expect(rows).toContainText("Write a haiku about autumn.");
  await expect(rows).toContainText("Summarise the text.");
  await expect(rows).toContainText("Preference data teaches models to follow instructions.");
  await expect(page.getByText("line 4: instruction must be a string, got a number (42)")).toBeVisible();

  await page.getByLabel("Bad lines").selectOption("skip");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toHaveText(
    `Imported 3 seeds into ${name}: 5 records read, 1 duplicate, 1 skipped.`,
  );
  await expect(page.getByRole("table", { name: "Skipped lines" })).toContainText(
    "instruction must be a string, got a number (42)",
  );
  await expect(page.getByText("Duplicates (already in the dataset or earlier in the file): line 5")).toBeVisible();

  // Importing the same file again changes nothing: every seed is a duplicate.
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toHaveText(
    `Imported 0 seeds into ${name}: 5 records read, 4 duplicates, 1 skipped.`,
  );

  // A bad line with "stop" imports nothing and names the line.
  await page.getByLabel("Bad lines").selectOption("fail");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "line 4" })).toHaveText(
    "line 4: instruction must be a string, got a number (42). Nothing was imported.",
  );

  const user = new Database(DB_FILE, { readonly: true });
  const userId = (user.prepare(`SELECT "id" FROM "User" WHERE "email" = ?`).get(E2E_ADMIN.email) as { id: number }).id;
  user.close();
  const [acceptedId, editedId] = seedPairs(datasetId, userId);

  // Export: count before exporting, then download trl-dpo.
  await page.goto(`/datasets/${datasetId}/export`);
  const count = page.getByTestId("export-count");
  await expect(count).toHaveText("2 pairs match");
  await page.getByLabel("Status").selectOption("all");
  await expect(count).toHaveText("3 pairs match");
  await page.getByLabel("Method").selectOption("ecd");
  await expect(count).toHaveText("1 pair match");
  await page.getByLabel("Method").selectOption("");
  await page.getByLabel("Status").selectOption("accepted");
  await expect(count).toHaveText("2 pairs match");
  await page.getByLabel("Format").selectOption("trl-dpo");

  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^io-\d+-trl-dpo-\d{8}T\d{6}Z\.jsonl$/);
  const bytes = readFileSync((await download.path())!);
  const lines = bytes
    .toString("utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.map((l) => l.pair_id)).toEqual([acceptedId, editedId]);
  expect(lines[0]).toMatchObject({
    prompt: "Write a haiku about autumn.",
    chosen: "Crisp leaves drifting / the maple lets go of red / autumn wind answers",
    rejected: "Autumn is a season.",
    method: "ecd",
    review_status: "accepted",
    prompt_id: createHash("sha256").update("Write a haiku about autumn.").digest("hex"),
  });
  // The human edit wins: the edited prompt and response, not the generated ones.
  expect(lines[1]).toMatchObject({
    prompt: EDITED_PROMPT,
    chosen: HUMAN_EDIT,
    rejected: "Rivers are wet.",
    chosen_model: "human",
    review_status: "edited",
  });

  // The export is listed with its manifest; the sha256 is the downloaded file's.
  const sha = createHash("sha256").update(bytes).digest("hex");
  await page.reload();
  const listed = page.getByRole("table", { name: "Past exports" });
  await expect(listed).toContainText(`sha256 ${sha.slice(0, 12)}`);
  await expect(listed.locator("summary")).toContainText(download.suggestedFilename());
  await listed.locator("summary").click();
  await expect(listed.locator("pre")).toContainText(`"sha256": "${sha}"`);
  await expect(listed.locator("pre")).toContainText(`"pairs": 2`);
  const card = await page.request.get(
    await listed
      .getByRole("link", { name: "Dataset card" })
      .getAttribute("href")
      .then((h) => h!),
  );
  expect(card.status()).toBe(200);
  expect(await card.text()).toMatch(/^---\n[\s\S]*size_categories:\n- "n<1K"[\s\S]*\n---\n\n# IO \d+\n/);
});
