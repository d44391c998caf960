import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { purgeDataset, requestDatasetDeletion } from "../datasets/delete.ts";
import { decide } from "../review/decide.ts";
import { createPair } from "../review/pairs.ts";
import {
  bundleZipResponse,
  createExport,
  getExportBundle,
  openaiDpoRowSchema,
  sftRowSchema,
  trlDpoRowSchema,
} from "./index.ts";
import { createPairFixtures } from "./test-fixtures.ts";

const { db } = createTestDb();
const sha = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
let datasetId = 0;
let userId = 0;

beforeAll(async () => {
  userId = (await db.user.create({ data: { email: "bundler@example.com", passwordHash: "x", role: "researcher" } })).id;
  datasetId = (await db.dataset.create({ data: { name: "Bundle tests", settings: {} } })).id;
  await createPairFixtures(db, datasetId, userId);
});

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("a stored bundle", () => {
  it("holds the data file, metadata.jsonl, README.md and manifest.json; the DB records each file's size and sha256", async () => {
    const { exportId, manifest } = await createExport(db, {
      datasetId,
      format: "trl-dpo",
      filters: { status: "all" },
      actorId: userId,
    });
    const bundle = await getExportBundle(db, datasetId, exportId);
    expect(bundle.files.map((f) => [f.kind, f.name])).toEqual([
      ["data", manifest.fileName],
      ["metadata", "metadata.jsonl"],
      ["card", "README.md"],
      ["manifest", "manifest.json"],
    ]);
    for (const f of bundle.files) {
      const bytes = readFileSync(f.path);
      expect(sha(bytes), f.name).toBe(f.sha256);
      expect(bytes.length, f.name).toBe(f.byteSize);
    }
    // The manifest lists every other file with the same size and sha256, and is the stored manifest.json.
    expect(manifest.files).toEqual(
      bundle.files
        .filter((f) => f.kind !== "manifest")
        .map(({ kind, name, byteSize, sha256 }) => ({
          kind,
          name,
          byteSize,
          sha256,
        })),
    );
    expect(JSON.parse(readFileSync(bundle.files[3]!.path, "utf8"))).toEqual(manifest);

    // metadata.jsonl: one line per data line, same order; reviewers as pseudonyms, never e-mails.
    const data = jsonLines(readFileSync(bundle.files[0]!.path, "utf8")).map((r) => trlDpoRowSchema.parse(r));
    const metadataText = readFileSync(bundle.files[1]!.path, "utf8");
    const metadata = jsonLines(metadataText);
    expect(metadata.map((m) => m.pair_id)).toEqual(data.map((d) => d.pair_id));
    expect(metadataText).not.toContain("@");
    const manual = metadata.find((m) => m.method === "manual")!;
    expect(manual).toMatchObject({
      review_status: "accepted",
      chosen: { generator: "llm", provider: "openai", model: "gpt-4o", role: "responder" },
      reviews: [
        { reviewer: expect.stringMatching(/^reviewer-\d+$/), kind: "vote", decision: "accept" },
        { reviewer: expect.stringMatching(/^reviewer-\d+$/), kind: "vote", decision: "reject" },
        { reviewer: expect.stringMatching(/^reviewer-\d+$/), kind: "vote", decision: "accept" },
      ],
    });
    const reviewers = (manual.reviews as { reviewer: string }[]).map((r) => r.reviewer);
    expect(new Set(reviewers).size).toBe(3);
    const edited = metadata.find((m) => m.depth === 2)!;
    expect(edited).toMatchObject({ chosen: { generator: "human" }, rejected: { generator: "llm" } });
    expect(manifest.counts.byGenerator).toEqual({ llm: 4, human: 1 });
    // Strict formats refuse the extra columns their consumers reject.
    const strict = {
      input: { messages: [{ role: "user", content: "p" }] },
      preferred_output: [{ role: "assistant", content: "a" }],
      non_preferred_output: [{ role: "assistant", content: "b" }],
    };
    expect(openaiDpoRowSchema.safeParse(strict).success).toBe(true);
    expect(openaiDpoRowSchema.safeParse({ ...strict, pair_id: 1 }).success).toBe(false);
    const sft = {
      messages: [
        { role: "user", content: "p" },
        { role: "assistant", content: "a" },
      ],
    };
    expect(sftRowSchema.safeParse(sft).success).toBe(true);
    expect(sftRowSchema.safeParse({ ...sft, metadata: {} }).success).toBe(false);
  });

  it("downloads as one .zip whose entries are the stored files, byte for byte", async () => {
    const { exportId } = await createExport(db, { datasetId, format: "chains", filters: { status: "all" } });
    const bundle = await getExportBundle(db, datasetId, exportId);
    const response = bundleZipResponse(bundle);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".*-chains-.*\.zip"$/);
    const zipped = new Uint8Array(await response.arrayBuffer());
    // The same bundle zips to the same bytes on every download (zip times have a 2-second resolution).
    await new Promise((r) => setTimeout(r, 2100));
    expect(Buffer.from(await bundleZipResponse(bundle).arrayBuffer()).equals(Buffer.from(zipped))).toBe(true);
    const entries = unzipSync(zipped);
    expect(Object.keys(entries)).toEqual(bundle.files.map((f) => f.name));
    for (const f of bundle.files) expect(sha(entries[f.name]!), f.name).toBe(f.sha256);
    // chains: one metadata line per tree.
    const trees = jsonLines(Buffer.from(entries[bundle.fileName]!).toString("utf8"));
    const metadata = jsonLines(Buffer.from(entries["metadata.jsonl"]!).toString("utf8"));
    expect(metadata.map((m) => m.seed_id)).toEqual(trees.map((t) => (t.seed as { id: number }).id));
  });
});

describe("never exported", () => {
  it("pairs of held-out seeds (always, and the manifest counts them) and pairs waiting for adjudication", async () => {
    const ds = await db.dataset.create({
      data: { name: "Held out", settings: { reviewsPerPair: 2, adjudication: true, heldoutShare: 0.25 } },
    });
    const voters = await Promise.all(
      ["x", "y"].map((n) =>
        db.user.create({
          data: { email: `${n}@held.test`, passwordHash: "x", role: "annotator" },
          select: { id: true, role: true },
        }),
      ),
    );
    // contentHash decides the split: "0…" is below the 25% bound, "f…" above it.
    const make = async (hash: string, text: string) => {
      const seed = await db.seed.create({
        data: { datasetId: ds.id, instruction: text, contentHash: hash, source: "plain", metadata: {} },
      });
      const node = await db.node.create({
        data: { datasetId: ds.id, seedId: seed.id, depth: 0, instruction: text, constraints: [] },
      });
      const r = (t: string) =>
        db.response.create({
          data: { nodeId: node.id, text: t, role: "responder", provider: "openai", model: "m", verification: [] },
        });
      const [a, b] = [await r(`${text} yes`), await r(`${text} no`)];
      return (
        await createPair(db, { datasetId: ds.id, nodeId: node.id, chosenId: a.id, rejectedId: b.id, method: "manual" })
      ).id;
    };
    const held = await make("0".repeat(64), "Held-out task.");
    const train = await make("f".repeat(64), "Training task.");
    const disputed = await make("e".repeat(64), "Disputed task.");
    const vote = async (who: (typeof voters)[0], pairId: number, decision: "accept" | "reject") => {
      const { version } = await db.pair.findUniqueOrThrow({ where: { id: pairId }, select: { version: true } });
      await decide(db, who, { pairId, version, decision, override: true, durationMs: 1000 });
    };
    await vote(voters[0]!, disputed, "accept");
    await vote(voters[1]!, disputed, "reject");
    expect((await db.pair.findUniqueOrThrow({ where: { id: disputed } })).status).toBe("adjudication");

    for (const format of ["trl-dpo", "chains"] as const) {
      const { manifest, dir } = await createExport(db, { datasetId: ds.id, format, filters: { status: "all" } });
      const text = readFileSync(`${dir}/${manifest.fileName}`, "utf8");
      expect(manifest.counts.pairs, format).toBe(1);
      expect(text, format).toContain("Training task.");
      expect(text, format).not.toContain("Held-out task.");
      expect(text, format).not.toContain("Disputed task.");
      expect(manifest.heldOut, format).toEqual({ share: 0.25, seeds: 1, pairs: 1 });
      expect(readFileSync(`${dir}/README.md`, "utf8"), format).toContain(
        "Held out for evaluation: 1 seed of the dataset (share 0.25). Held-out seeds are never exported: 1 pair matching the filters left out.",
      );
    }
    expect([held, train]).toHaveLength(2);
  });
});

describe("deleting a dataset", () => {
  it("removes its stored bundle folders with its exports", async () => {
    const ds = await db.dataset.create({ data: { name: "Bundles to delete", settings: {} } });
    await createPairFixtures(db, ds.id, userId);
    const { dir } = await createExport(db, { datasetId: ds.id, format: "trl-dpo", filters: { status: "all" } });
    expect(existsSync(dir)).toBe(true);
    await requestDatasetDeletion(db, ds.id, ds.name, userId);
    await purgeDataset(db, ds.id);
    expect(existsSync(dir)).toBe(false);
    expect(await db.export.count({ where: { datasetId: ds.id } })).toBe(0);
    // The other dataset's bundles stay.
    const kept = await db.export.findFirstOrThrow({ where: { datasetId } });
    expect((await getExportBundle(db, datasetId, kept.id)).files.every((f) => existsSync(f.path))).toBe(true);
  });
});
