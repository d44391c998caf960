import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createTestDb } from "../../test/db.ts";
import {
  chainsRowSchema,
  countPairs,
  datasetCard,
  licenceFields,
  EXPORT_FORMATS,
  exportFileName,
  type ExportFiltersInput,
  type ExportFormat,
  listExports,
  openaiDpoRowSchema,
  parseExportFilters,
  ROW_SCHEMAS,
  runExport,
  sftRowSchema,
  trlDpoConversationalRowSchema,
  trlDpoRowSchema,
} from "./index.ts";
import { bulkDecide, createPair, createPairs, editPair, loadPairView } from "../review/index.ts";
import { createPairFixtures, type PairFixtures, TEXT } from "./test-fixtures.ts";

const { db } = createTestDb();
let datasetId = 0;
let userId = 0;
let fx: PairFixtures;

beforeAll(async () => {
  userId = (await db.user.create({ data: { email: "exporter@example.com", passwordHash: "x", role: "researcher" } }))
    .id;
  datasetId = (await db.dataset.create({ data: { name: "Export tests", settings: {} } })).id;
  fx = await createPairFixtures(db, datasetId, userId);
});

async function exportText(format: ExportFormat, filters: ExportFiltersInput = {}, batchSize?: number) {
  const chunks: Uint8Array[] = [];
  const result = await runExport(
    db,
    { datasetId, format, filters, actorId: userId, batchSize },
    (chunk) => void chunks.push(chunk),
  );
  const bytes = Buffer.concat(chunks);
  return { text: bytes.toString("utf8"), bytes, ...result };
}

function lines(text: string): unknown[] {
  expect(text.endsWith("\n") || text === "").toBe(true);
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

describe("round trips", () => {
  it("trl-dpo: every line parses and matches the TRL schema; prompt_id is the prompt's sha256", async () => {
    const { text } = await exportText("trl-dpo", { status: "all" });
    const rows = lines(text).map((row) => trlDpoRowSchema.parse(row));
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.prompt_id).toBe(createHash("sha256").update(row.prompt).digest("hex"));
    const accepted = rows.find((r) => r.pair_id === fx.pairs.accepted)!;
    expect(accepted).toEqual({
      prompt: TEXT.seaPrompt1,
      chosen: TEXT.r1,
      rejected: TEXT.r0,
      prompt_id: createHash("sha256").update(TEXT.seaPrompt1).digest("hex"),
      pair_id: fx.pairs.accepted,
      seed_id: fx.seeds.sea,
      node_id: expect.any(Number),
      job_id: null,
      method: "ecd",
      depth: 1,
      constraint_ids: ["punctuation:no_comma"],
      new_constraint_ids: ["punctuation:no_comma"],
      free_form_constraints: [],
      chosen_generator: "llm",
      rejected_generator: "llm",
      chosen_provider: "openai",
      rejected_provider: "openai",
      chosen_model: "gpt-4o-mini",
      rejected_model: "gpt-4o-mini",
      chosen_role: "responder",
      rejected_role: "responder",
      review_status: "accepted",
      review_count: 2,
      prompt_edited: false,
      edited: false,
      swapped: false,
      override: false,
      length_ratio: 1,
    });
    const c2s = rows.find((r) => r.pair_id === fx.pairs.pending)!;
    expect(c2s).toMatchObject({
      method: "c2s",
      chosen: TEXT.teacher,
      rejected: TEXT.student,
      chosen_model: "gpt-4o",
      rejected_model: "llama-2-7b",
      review_status: "pending",
    });
  });

  it("trl-dpo-conversational, openai-dpo and sft: every line matches its schema", async () => {
    const conv = lines((await exportText("trl-dpo-conversational", { status: "all" })).text).map((r) =>
      trlDpoConversationalRowSchema.parse(r),
    );
    expect(conv).toHaveLength(5);
    expect(conv[0]!.prompt).toEqual([{ role: "user", content: TEXT.seaPrompt1 }]);
    expect(conv[0]!.chosen).toEqual([{ role: "assistant", content: TEXT.r1 }]);

    const openai = lines((await exportText("openai-dpo", { status: "all" })).text).map((r) =>
      openaiDpoRowSchema.parse(r),
    );
    expect(openai[0]).toEqual({
      input: { messages: [{ role: "user", content: TEXT.seaPrompt1 }] },
      preferred_output: [{ role: "assistant", content: TEXT.r1 }],
      non_preferred_output: [{ role: "assistant", content: TEXT.r0 }],
    });
    // OpenAI rejects unknown keys: the schema is strict, so an extra column would fail here.
    expect(() => openaiDpoRowSchema.parse({ ...openai[0], pair_id: 1 })).toThrow();

    const sft = lines((await exportText("sft")).text).map((r) => sftRowSchema.parse(r));
    expect(sft.map((r) => r.messages[1].content)).toEqual([TEXT.r1, TEXT.human, "Hello!"]);
    expect(sft[0]!.messages[0]).toEqual({ role: "user", content: TEXT.seaPrompt1 });
  });

  it("every format's every line passes ROW_SCHEMAS, with strings that need escaping intact", async () => {
    const tricky = 'Line one\nline "two"\t\\ with ünïcödé and emoji 🌊 and \u2028 separator';
    // In a dataset of its own, so the other tests' selections stay as they are.
    const other = await db.dataset.create({ data: { name: "Export tricky", settings: {} } });
    const seed = await db.seed.create({
      data: { datasetId: other.id, instruction: "Tricky", contentHash: "tricky", source: "plain", metadata: {} },
    });
    const node = await db.node.create({
      data: { datasetId: other.id, seedId: seed.id, depth: 0, instruction: "Tricky", constraints: [] },
    });
    const [a, b] = await Promise.all(
      [tricky, "plain"].map((text) =>
        db.response.create({
          data: { nodeId: node.id, text, role: "responder", provider: "openai", model: "m", verification: [] },
        }),
      ),
    );
    await createPair(db, { datasetId: other.id, nodeId: node.id, chosenId: a.id, rejectedId: b.id, method: "manual" });
    for (const format of EXPORT_FORMATS) {
      const chunks: Uint8Array[] = [];
      await runExport(db, { datasetId: other.id, format, filters: { status: "all" } }, (c) => void chunks.push(c));
      const text = Buffer.concat(chunks).toString("utf8");
      const rows = lines(text);
      expect(rows.length, format).toBeGreaterThan(0);
      for (const row of rows) ROW_SCHEMAS[format].parse(row);
      expect(text, format).toContain(JSON.stringify(tricky).slice(1, -1));
    }
  });

  it("chains: one tree per line with its nodes, responses, selected pairs and their reviews", async () => {
    const { text, manifest } = await exportText("chains", { status: "all" });
    const trees = lines(text).map((r) => chainsRowSchema.parse(r));
    expect(trees.map((t) => t.seed.id)).toEqual([fx.seeds.sea, fx.seeds.fruits, fx.seeds.hello]);
    const sea = trees[0]!;
    expect(sea.nodes.map((n) => n.depth)).toEqual([0, 1, 2]);
    expect(sea.nodes[2]!.parentId).toBe(sea.nodes[1]!.id);
    expect(sea.responses.map((r) => r.text)).toContain(TEXT.human);
    // Each edit derives from the text it replaced: the human response's chain leads back to r2.
    const byId = new Map(sea.responses.map((r) => [r.id, r]));
    let edit = sea.responses.find((r) => r.text === TEXT.human)!;
    expect(edit.role).toBe("human");
    while (edit.parentId !== null && byId.get(edit.parentId)!.role === "human") edit = byId.get(edit.parentId)!;
    expect(edit.parentId).toBe(fx.responses.r2);
    expect(sea.pairs.map((p) => p.id)).toEqual([fx.pairs.accepted, fx.pairs.edited]);
    expect(sea.pairs.find((p) => p.id === fx.pairs.edited)!.prompt).toBe(TEXT.editedPrompt);
    expect(sea.reviews.map((r) => r.decision)).toEqual([
      "accept",
      "accept",
      "edit",
      "edit",
      "edit",
      "accept",
      "accept",
    ]);
    expect(manifest.counts).toMatchObject({ trees: 3, pairs: 5, lines: 3 });

    // Filters apply to the pairs inside the trees; trees without a selected pair are left out.
    const acceptedOnly = lines((await exportText("chains")).text).map((r) => chainsRowSchema.parse(r));
    expect(acceptedOnly.map((t) => t.seed.id)).toEqual([fx.seeds.sea, fx.seeds.hello]);
    expect(acceptedOnly.flatMap((t) => t.pairs.map((p) => p.id))).toEqual([
      fx.pairs.accepted,
      fx.pairs.edited,
      fx.pairs.manual,
    ]);
    expect(acceptedOnly.flatMap((t) => t.reviews.map((r) => r.pairId))).not.toContain(fx.pairs.rejected);
  });
});

describe("human edits win", () => {
  it("an edited pair exports the human's response and the latest edited prompt, never the originals", async () => {
    // (Chains keep the whole history — originals and older edits — by design; its pairs carry the winning prompt, see above.)
    for (const format of ["trl-dpo", "trl-dpo-conversational", "openai-dpo", "sft"] as const) {
      const { text } = await exportText(format);
      expect(text, format).toContain(JSON.stringify(TEXT.editedPrompt));
      expect(text, format).toContain(JSON.stringify(TEXT.human));
      expect(text, format).not.toContain(TEXT.oldEditPrompt);
      expect(text, format).not.toContain(TEXT.r2);
      expect(text, format).not.toContain(JSON.stringify(TEXT.seaPrompt2));
    }
    const row = lines((await exportText("trl-dpo")).text)
      .map((r) => trlDpoRowSchema.parse(r))
      .find((r) => r.pair_id === fx.pairs.edited)!;
    expect(row).toMatchObject({
      prompt: TEXT.editedPrompt,
      chosen: TEXT.human,
      rejected: TEXT.r1,
      chosen_model: "human",
      chosen_role: "human",
      review_status: "accepted",
      edited: true,
      prompt_edited: true,
      prompt_id: createHash("sha256").update(TEXT.editedPrompt).digest("hex"),
    });
  });
});

describe("one rule for a pair's prompt", () => {
  it("the export ships the prompt the review screen shows", async () => {
    const rows = lines((await exportText("trl-dpo", { status: "all" })).text).map((r) => trlDpoRowSchema.parse(r));
    for (const row of rows) {
      const view = await loadPairView(db, row.pair_id, { datasetId });
      expect(row.prompt, `pair #${row.pair_id}`).toBe(view.prompt);
      expect(row.prompt_edited).toBe(view.prompt !== view.originalPrompt);
    }
    expect(rows.find((r) => r.pair_id === fx.pairs.edited)!.prompt).toBe(TEXT.editedPrompt);
  });
});

describe("filters", () => {
  const cases: [string, ExportFiltersInput, (keyof PairFixtures["pairs"])[]][] = [
    ["default: accepted (incl. edited)", {}, ["accepted", "edited", "manual"]],
    ["pending", { status: "pending" }, ["pending"]],
    ["rejected", { status: "rejected" }, ["rejected"]],
    ["all", { status: "all" }, ["accepted", "edited", "pending", "rejected", "manual"]],
    ["min reviews 2", { minReviews: 2 }, ["accepted", "edited", "manual"]],
    ["min reviews 3", { minReviews: 3 }, ["manual"]],
    ["min reviews 1 of all", { status: "all", minReviews: 1 }, ["accepted", "edited", "rejected", "manual"]],
    ["method ecd", { status: "all", method: "ecd" }, ["accepted", "edited"]],
    ["method c2s", { status: "all", method: "c2s" }, ["pending", "rejected"]],
    ["method c2s accepted", { method: "c2s" }, []],
    ["max depth 1", { status: "all", maxDepth: 1 }, ["accepted", "pending", "rejected", "manual"]],
    ["max depth 0", { status: "all", maxDepth: 0 }, ["manual"]],
    ["ecd, depth ≤ 1, all", { status: "all", method: "ecd", maxDepth: 1 }, ["accepted"]],
    [
      "form values as strings",
      { status: "all", method: "", minReviews: "1", maxDepth: "1" } as unknown as ExportFiltersInput,
      ["accepted", "rejected", "manual"],
    ],
  ];

  for (const [name, filters, expected] of cases) {
    it(`${name} selects exactly the expected pairs, and the count agrees`, async () => {
      const ids = expected.map((k) => fx.pairs[k]).sort((a, b) => a - b);
      const { text, manifest } = await exportText("trl-dpo", filters);
      expect(lines(text).map((r) => trlDpoRowSchema.parse(r).pair_id)).toEqual(ids);
      expect(await countPairs(db, datasetId, parseExportFilters(filters))).toBe(ids.length);
      expect(manifest.counts.pairs).toBe(ids.length);
    });
  }

  it("refuses bad filter values with a message naming the field", () => {
    expect(() => parseExportFilters({ status: "approved" as never })).toThrow(
      /^status: status must be one of accepted/,
    );
    expect(() => parseExportFilters({ minReviews: -1 })).toThrow(/^minReviews: minReviews must be 0 or more$/);
    expect(() => parseExportFilters({ maxDepth: "deep" as never })).toThrow(
      /^maxDepth: maxDepth must be a whole number$/,
    );
    expect(() => parseExportFilters({ method: "magic" as never })).toThrow(/^method: method must be one of ecd/);
    expect(() => parseExportFilters({ "max-length-ratio": 0.5 })).toThrow(
      /^max-length-ratio: max-length-ratio must be 1 or more$/,
    );
  });
});

describe("streaming and manifest", () => {
  it("keyset pagination in tiny batches gives the same file as one big batch", async () => {
    for (const format of EXPORT_FORMATS) {
      const small = await exportText(format, { status: "all" }, 1);
      const big = await exportText(format, { status: "all" }, 10_000);
      expect(small.text, format).toBe(big.text);
    }
  });

  it("writes an Export row whose manifest has the file's sha256, size, counts, filters and app version", async () => {
    const before = await db.export.count();
    const { bytes, exportId, manifest } = await exportText("trl-dpo", { minReviews: 1 });
    expect(await db.export.count()).toBe(before + 1);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(manifest).toMatchObject({
      format: "trl-dpo",
      dataset: { id: datasetId, name: "Export tests" },
      filters: { status: "accepted", minReviews: 1 },
      sha256: createHash("sha256").update(bytes).digest("hex"),
      byteSize: bytes.length,
      appVersion: pkg.version,
      createdById: userId,
      counts: {
        pairs: 3,
        lines: 3,
        byMethod: { ecd: 2, manual: 1 },
        byDepth: { "0": 1, "1": 1, "2": 1 },
        byStatus: { accepted: 3 },
        edited: 1,
        overrides: 0,
        byConstraint: { "punctuation:no_comma": 2, "change_case:english_lowercase": 1 },
      },
    });
    expect(manifest.fileName).toMatch(/^export-tests-trl-dpo-\d{8}T\d{6}Z\.jsonl$/);
    expect(Date.parse(manifest.createdAt)).not.toBeNaN();
    const row = await db.export.findUniqueOrThrow({ where: { id: exportId } });
    expect(row).toMatchObject({
      datasetId,
      format: "trl-dpo",
      sha256: manifest.sha256,
      byteSize: bytes.length,
      fileName: manifest.fileName,
      appVersion: pkg.version,
      createdById: userId,
    });
    expect(row.manifest).toEqual(manifest);
    expect(
      await db.auditEvent.findFirst({ where: { action: "export.create", entityId: String(exportId) } }),
    ).toBeTruthy();
    const listed = await listExports(db, datasetId);
    expect(listed[0]).toMatchObject({ id: exportId, pairs: 3, createdBy: "exporter@example.com" });
  });

  it("a data file named like a bundle file is refused before anything is written", async () => {
    const before = await db.export.count();
    await expect(runExport(db, { datasetId, format: "trl-dpo", fileName: "manifest.json" }, () => {})).rejects.toThrow(
      /cannot be called manifest.json/,
    );
    expect(await db.export.count()).toBe(before);
  });

  it("an empty selection exports an empty file and still records the export", async () => {
    const { text, manifest } = await exportText("openai-dpo", { method: "c2s" });
    expect(text).toBe("");
    expect(manifest).toMatchObject({
      byteSize: 0,
      sha256: createHash("sha256").digest("hex"),
      counts: { pairs: 0, lines: 0 },
    });
  });

  it("builds safe file names", () => {
    expect(exportFileName("Writing tasks / v2", "sft", new Date("2026-03-04T05:06:07.890Z"))).toBe(
      "writing-tasks-v2-sft-20260304T050607Z.jsonl",
    );
    expect(exportFileName("日本語", "chains", new Date("2026-03-04T05:06:07Z"))).toBe(
      "dataset-chains-20260304T050607Z.jsonl",
    );
  });
});

describe("dataset card", () => {
  it("names the dataset's licence, else `other` with a name and link to fill in", () => {
    expect(licenceFields("Apache-2.0")).toEqual(['license: "apache-2.0"']);
    expect(licenceFields("")).toEqual(["license: other", 'license_name: "not-stated"', 'license_link: "LICENSE"']);
    expect(licenceFields("Internal use only")).toEqual([
      "license: other",
      'license_name: "Internal use only"',
      'license_link: "LICENSE"',
    ]);
  });

  it("is a README.md with YAML front matter: tags, size category, task, data file and the counts", async () => {
    const { manifest } = await exportText("trl-dpo", { status: "all" });
    const card = datasetCard(manifest);
    const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(card);
    expect(match).not.toBeNull();
    const [, front, body] = match!;
    // The front matter is read as YAML (what the Hugging Face Hub does), not matched line by line.
    expect(parseYaml(front!, { strict: true, uniqueKeys: true })).toEqual({
      language: ["en"],
      license: "other",
      license_name: "not-stated",
      license_link: "LICENSE",
      pretty_name: "Export tests",
      annotations_creators: ["machine-generated", "expert-generated"],
      source_datasets: ["original"],
      tags: ["synthetic", "instruction-following", "ecd-studio", "dpo", "preference", "trl"],
      size_categories: ["n<1K"],
      task_categories: ["text-generation"],
      configs: [{ config_name: "default", data_files: [{ split: "train", path: manifest.fileName }] }],
      ecd_studio: {
        format: "trl-dpo",
        app_version: manifest.appVersion,
        created_at: manifest.createdAt,
        sha256: manifest.sha256,
        rows: manifest.counts.lines,
        pairs: 5,
        pairs_by_method: { ecd: 2, c2s: 2, manual: 1 },
        pairs_by_depth: manifest.counts.byDepth,
        pairs_by_constraint: expect.objectContaining({ "punctuation:no_comma": 4 }),
        // Five pairs, three with the longer chosen response.
        length_ratio: { pairs: 5, geometric_mean: expect.any(Number), chosen_longer_share: 0.6 },
        overrides: 0,
        pairs_by_generator: { llm: 4, human: 1 },
        held_out: { share: 0, seeds: 0, pairs_left_out: 0 },
        decontamination: { sets_checked: ["ifeval"], contaminated_pairs: 0, pairs_removed: 0 },
        ...(manifest.app?.commit ? { git_commit: manifest.app.commit } : {}),
      },
    });
    expect(body).toContain("# Export tests");
    expect(body).toContain("Chosen responses by generator: 4 llm, 1 human.");
    expect(body).toContain("arXiv:2410.07513");
    expect(body).toContain("arXiv:2404.15846");
    expect(body).toContain("| method | pairs |");
    expect(body).toContain("| ecd | 2 |");
    expect(body).toContain("| punctuation:no_comma | 4 |");
    expect(body).toContain("Checked against ifeval (541 prompts)");
    expect(body).toContain("No pair matching the filters is contaminated.");
  });
});

describe("large batches", () => {
  it("exports batches larger than the driver's bind-parameter limit (IN lists are sliced)", async () => {
    const other = await db.dataset.create({ data: { name: "Export many", settings: {} } });
    const seed = await db.seed.create({
      data: { datasetId: other.id, instruction: "Many", contentHash: "many", source: "plain", metadata: {} },
    });
    const node = await db.node.create({
      data: { datasetId: other.id, seedId: seed.id, depth: 0, instruction: "Many", constraints: [] },
    });
    const [a, b] = await Promise.all(
      ["yes", "no"].map((text) =>
        db.response.create({
          data: { nodeId: node.id, text, role: "responder", provider: "openai", model: "m", verification: [] },
        }),
      ),
    );
    const made = await createPairs(
      db,
      Array.from({ length: 1500 }, () => ({
        datasetId: other.id,
        nodeId: node.id,
        chosenId: a.id,
        rejectedId: b.id,
        method: "manual" as const,
      })),
    );
    const last = made[made.length - 1]!.id;
    await editPair(db, { id: userId, role: "researcher" }, { pairId: last, version: 1, prompt: "Many, edited" });
    await bulkDecide(db, { id: userId }, { datasetId: other.id, decision: "accept", filter: {}, expectedCount: 1500 });
    for (const format of ["trl-dpo", "chains"] as const) {
      const chunks: Uint8Array[] = [];
      const { manifest } = await runExport(
        db,
        { datasetId: other.id, format, batchSize: 1500 },
        (c) => void chunks.push(c),
      );
      expect(manifest.counts.pairs, format).toBe(1500);
      expect(Buffer.concat(chunks).toString("utf8"), format).toContain('"Many, edited"');
    }
  });
});
