import { randomUUID } from "node:crypto";
import { decontaminationSection, type DecontaminationSection } from "../../decontam/index.ts";
import { createReadStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import packageJson from "../../../package.json" with { type: "json" };
import { recordAudit } from "../../audit.ts";
import { datasetSettingsSchema, getDataset } from "../../datasets/index.ts";
import { heldoutSeedWhere, isHeldOut } from "../../datasets/heldout.ts";
import { inSlices } from "../chunks.ts";
import { datasetReviewerIdsSql, type ExportReviewSqlRow } from "../../db/export-sql.ts";
import type { Db, Tx } from "../../db/client.ts";
import { describeZodIssues, DomainError } from "../../errors.ts";
import { datasetCard } from "./card.ts";
import {
  EXPORT_FORMAT_LABELS,
  EXPORT_FORMATS,
  type ExportFormat,
  metadataLine,
  pairLine,
  responseGenerator,
  reviewJson,
} from "./formats.ts";
import {
  gitCommit,
  type ManifestJob,
  manifestJobs,
  promptTemplateHashes,
  type SeedSource,
  seedSources,
} from "./provenance.ts";
import { settleHeap } from "../heap.ts";
import { bundlePath, exportRoot, HashedFile, type WrittenFile } from "./store.ts";
import { pairPrompt } from "../../review/decide.ts";
import { matchingPairIdsOnNodes, seedsWithMatchingPairs } from "../../review/query.ts";
import { RatioAccumulator } from "../../review/stats.ts";
import {
  type ExportFilters,
  type ExportFiltersInput,
  exportFiltersSchema,
  type ExportPair,
  exportedPairColumns,
  type HeldOutTally,
  iteratePairs,
  toPairFilter,
} from "./select.ts";
import { VISIBLE_SEED } from "../../db/visibility.ts";

export const APP_VERSION: string = packageJson.version;

export type ExportCounts = {
  /** Pairs written (for chains: pairs inside the trees). */
  pairs: number;
  /** Trees written (chains only). */
  trees?: number;
  lines: number;
  byMethod: Record<string, number>;
  byDepth: Record<string, number>;
  byConstraint: Record<string, number>;
  byStatus: Record<string, number>;
  /** Pairs by the generator of their chosen response: llm, rule-based, reference or human. */
  byGenerator?: Record<string, number>;
  /** Pairs by the generator of their rejected response. */
  byRejectedGenerator?: Record<string, number>;
  /** Pairs accepted over a failing code-checked constraint, and pairs carrying a human edit. */
  overrides?: number;
  edited?: number;
  /** Chosen/rejected word ratio over the exported pairs (the dataset card shows it). */
  lengthRatio?: { pairs: number; mean: number | null; chosenLonger: number | null; buckets: number[] };
};

export type ManifestFile = { kind: ExportFileKind; name: string; byteSize: number; sha256: string };

export type ExportManifest = {
  format: ExportFormat;
  dataset: { id: number; name: string };
  filters: ExportFilters;
  counts: ExportCounts;
  /** The data file: name, size, sha256. */
  fileName: string;
  byteSize: number;
  sha256: string;
  appVersion: string;
  /** The app that made the export: version and git commit (null outside a checkout). */
  app?: { name: string; version: string; commit: string | null };
  createdAt: string;
  createdById: number | null;
  /** The dataset's licence setting ("" when not stated). */
  licence?: string;
  /** Seeds held out for evaluation (lib/datasets/heldout.ts) and the pairs left out because of them. */
  heldOut?: { share: number; seeds: number; pairs: number };
  /** The benchmark sets checked and the contaminated pairs left out (or kept), per set (lib/decontam). */
  decontamination?: DecontaminationSection;
  excluded?: { adjudication: string };
  jobs?: ManifestJob[];
  /** sha256 per prompt template of the exporting build. */
  promptTemplates?: Record<string, string>;
  seedSources?: SeedSource[];
  /** Every bundle file but the manifest itself: kind, name, size, sha256. */
  files?: ManifestFile[];
};

/** `dir`: the bundle's folder (absolute). */
export type ExportResult = { exportId: number; manifest: ExportManifest; dir: string };

export function parseExportFormat(value: unknown): ExportFormat {
  if (typeof value === "string" && (EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new DomainError(`format must be one of ${EXPORT_FORMATS.join(", ")}`, "invalid", "format");
}

export function parseExportFilters(input: ExportFiltersInput | Record<string, unknown>): ExportFilters {
  const parsed = exportFiltersSchema.safeParse(input);
  if (!parsed.success)
    throw new DomainError(
      describeZodIssues(parsed.error.issues),
      "invalid",
      String(parsed.error.issues[0]?.path[0] ?? ""),
    );
  return parsed.data;
}

/** "<dataset>-<format>-<UTC time>.jsonl", safe in a Content-Disposition header and on any file system. */
export function exportFileName(datasetName: string, format: ExportFormat, at = new Date()): string {
  const slug =
    datasetName
      .normalize("NFKD")
      .replace(/[^\w.-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .toLowerCase() || "dataset";
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${slug}-${format}-${stamp}.jsonl`;
}

function emptyCounts(format: ExportFormat): ExportCounts {
  return {
    pairs: 0,
    ...(format === "chains" ? { trees: 0 } : {}),
    lines: 0,
    byMethod: {},
    byDepth: {},
    byConstraint: {},
    byStatus: {},
    byGenerator: {},
    byRejectedGenerator: {},
    overrides: 0,
    edited: 0,
  };
}

const ratios = new WeakMap<ExportCounts, RatioAccumulator>();

const tally = (map: Record<string, number> | undefined, key: string) => {
  if (map) map[key] = (map[key] ?? 0) + 1;
};

function countPair(
  counts: ExportCounts,
  pair: {
    method: string;
    depth: number;
    status: string;
    constraintIds: string[];
    override?: boolean;
    edited?: boolean;
    lengthRatio?: number | null;
    chosen?: ExportPair["chosen"];
    rejected?: ExportPair["rejected"];
  },
) {
  counts.pairs++;
  if (pair.chosen) tally(counts.byGenerator, responseGenerator(pair.chosen));
  if (pair.rejected) tally(counts.byRejectedGenerator, responseGenerator(pair.rejected));
  if (pair.override) counts.overrides = (counts.overrides ?? 0) + 1;
  if (pair.edited) counts.edited = (counts.edited ?? 0) + 1;
  if (pair.lengthRatio) {
    let acc = ratios.get(counts);
    if (!acc) {
      ratios.set(counts, (acc = new RatioAccumulator("all")));
      // Its place among the keys is kept from the first pair on; the figures are set by finishCounts.
      counts.lengthRatio = { pairs: 0, mean: null, chosenLonger: null, buckets: [] };
    }
    acc.add(pair.lengthRatio);
  }
  counts.byMethod[pair.method] = (counts.byMethod[pair.method] ?? 0) + 1;
  counts.byDepth[String(pair.depth)] = (counts.byDepth[String(pair.depth)] ?? 0) + 1;
  counts.byStatus[pair.status] = (counts.byStatus[pair.status] ?? 0) + 1;
  for (const id of pair.constraintIds) counts.byConstraint[id] = (counts.byConstraint[id] ?? 0) + 1;
}

/** Sets the figures countPair only accumulates (the length-ratio summary), once all pairs are counted. */
function finishCounts(counts: ExportCounts): void {
  const acc = ratios.get(counts);
  if (!acc) return;
  const { pairs, mean, chosenLonger, buckets } = acc.row();
  counts.lengthRatio = { pairs, mean, chosenLonger, buckets };
}

/** One object per evolution tree that holds at least one selected pair: seed, nodes, responses, selected pairs, their reviews. */
async function* iterateChains(
  db: Db,
  datasetId: number,
  filters: ExportFilters,
  counts: ExportCounts,
  heldoutShare: number,
  heldOut: HeldOutTally,
  batchSize = 100,
  progress: { read: number } = { read: 0 },
): AsyncGenerator<object> {
  const filter = toPairFilter(filters);
  let last = 0;
  for (;;) {
    const seedPage = await seedsWithMatchingPairs(db, datasetId, filter, last, batchSize);
    if (seedPage.length === 0) return;
    let seeds = await db.seed.findMany({
      where: { id: { in: seedPage } },
      orderBy: { id: "asc" },
      select: {
        id: true,
        externalId: true,
        instruction: true,
        input: true,
        referenceResponse: true,
        source: true,
        contentHash: true,
      },
    });
    if (seedPage.length === 0) return;
    last = seedPage[seedPage.length - 1]!;
    const held = seeds.filter((s) => isHeldOut(s.contentHash, heldoutShare)).map((s) => s.id);
    if (held.length > 0) {
      const heldNodes = await db.node.findMany({ where: { seedId: { in: held } }, select: { id: true } });
      const heldPairs = (
        await matchingPairIdsOnNodes(
          db,
          datasetId,
          filter,
          heldNodes.map((n) => n.id),
        )
      ).length;
      heldOut.pairs += heldPairs;
      progress.read += heldPairs;
      seeds = seeds.filter((s) => !held.includes(s.id));
    }
    const seedIds = seeds.map((s) => s.id);
    const byId = <T extends { id: number }>(rows: T[]) => rows.sort((x, y) => x.id - y.id);
    const nodes = byId(
      await inSlices(seedIds, (slice) =>
        db.node.findMany({
          where: { seedId: { in: slice } },
          select: {
            id: true,
            seedId: true,
            parentId: true,
            depth: true,
            instruction: true,
            constraints: true,
            operation: true,
            status: true,
            dropReason: true,
          },
        }),
      ),
    );
    const nodeIds = nodes.map((n) => n.id);
    const [responses, pairs] = await Promise.all([
      inSlices(nodeIds, (slice) =>
        db.response.findMany({
          where: { nodeId: { in: slice } },
          select: {
            id: true,
            nodeId: true,
            text: true,
            role: true,
            provider: true,
            model: true,
            verification: true,
            parentId: true,
            createdAt: true,
          },
        }),
      ).then(byId),
      inSlices(await matchingPairIdsOnNodes(db, datasetId, filter, nodeIds), (slice) =>
        db.pair.findMany({
          where: { id: { in: slice } },
          select: { ...exportedPairColumns, chosenId: true, rejectedId: true, verdicts: true },
        }),
      ).then(byId),
    ]);
    const pairIds = pairs.map((p) => p.id);
    const [reviews] = await Promise.all([
      inSlices(pairIds, (slice) =>
        db.review.findMany({
          where: { pairId: { in: slice } },
          select: {
            id: true,
            pairId: true,
            userId: true,
            decision: true,
            editedPrompt: true,
            editedChosen: true,
            editedRejected: true,
            reason: true,
            reasonText: true,
            kind: true,
            round: true,
            override: true,
            migrated: true,
            pairVersion: true,
            decidedAt: true,
            durationMs: true,
          },
        }),
      ).then(byId),
    ]);
    const seedOfNode = new Map(nodes.map((n) => [n.id, n.seedId]));
    const seedOfPair = new Map(pairs.map((p) => [p.id, seedOfNode.get(p.nodeId)!]));
    const instructionOf = new Map(nodes.map((n) => [n.id, n.instruction]));
    for (const seed of seeds) {
      const treePairs = pairs
        .filter((p) => seedOfNode.get(p.nodeId) === seed.id)
        .map((p) => {
          const constraintIds = p.constraintIds.split(/\s+/).filter(Boolean);
          countPair(counts, { ...p, constraintIds });
          const instruction = instructionOf.get(p.nodeId)!;
          const prompt = pairPrompt(p.metadata, instruction);
          return { ...p, constraintIds, prompt, promptEdited: prompt !== instruction };
        });
      counts.trees = (counts.trees ?? 0) + 1;
      progress.read += treePairs.length;
      const { contentHash: _hash, ...seedColumns } = seed;
      yield {
        seed: seedColumns,
        nodes: nodes.filter((n) => n.seedId === seed.id).map(({ seedId: _seedId, ...n }) => n),
        responses: responses.filter((r) => seedOfNode.get(r.nodeId) === seed.id),
        pairs: treePairs,
        reviews: reviews.filter((r) => seedOfPair.get(r.pairId) === seed.id),
      };
    }
    if (seedPage.length < batchSize) return;
  }
}

export type ExportRequest = {
  datasetId: number;
  format: ExportFormat;
  filters?: ExportFiltersInput;
  actorId?: number | null;
  /** The data file's name; defaults to exportFileName(dataset, format). */
  fileName?: string;
  /** Pairs (or trees) read per query. */
  batchSize?: number;
};

/** Names of the bundle files beside the data file. */
export const BUNDLE_FILES = { metadata: "metadata.jsonl", card: "README.md", manifest: "manifest.json" } as const;

export type ExportFileKind = "data" | "metadata" | "card" | "manifest";

/** Per-dataset reviewer pseudonyms ("reviewer-1", …, by user id order): e-mail addresses never leave. */
async function reviewerPseudonyms(db: Db, datasetId: number): Promise<Map<number, string>> {
  const rows = await db.$queryRaw<{ userId: number | bigint }[]>(datasetReviewerIdsSql(datasetId));
  return new Map(rows.map((row, i) => [Number(row.userId), `reviewer-${i + 1}`]));
}

/**
 * The reviews of a page of pairs (in id order), by pair, from the reviews of the page's pair-id
 * range: each pair's list as the JSON of metadata.jsonl's `reviews` (reviewer, kind, decision, round).
 */
function reviewsOf(
  rows: readonly ExportReviewSqlRow[],
  pairs: readonly { id: number }[],
  pseudonyms: Map<number, string>,
): Map<number, string> {
  const byPair = new Map<number, string>();
  if (pairs.length === 0) return byPair;
  const wanted = new Set(pairs.map((p) => p.id));
  for (const r of rows) {
    const pairId = Number(r.pairId);
    if (!wanted.has(pairId)) continue;
    const reviewer = pseudonyms.get(Number(r.userId)) ?? "reviewer";
    const review = reviewJson(reviewer, r.kind, r.decision, Number(r.round));
    const list = byPair.get(pairId);
    byPair.set(pairId, list === undefined ? review : `${list},${review}`);
  }
  for (const [pairId, list] of byPair) byPair.set(pairId, `[${list}]`);
  return byPair;
}

/** How far a bundle is: pairs read (every pair the filters matched, held-out and duplicates included) and lines written. */
export type BundleProgress = { read: number; written: number };

export type WriteBundleOptions = {
  /**
   * The bundle's folder under ECD_EXPORT_DIR. A background export names it after its job and
   * `replace`s it, so a retried task rewrites the files from scratch; by default a new folder.
   */
  dirName?: string;
  replace?: boolean;
  /** Stops the export between pages (a cancelled job); the folder is removed. */
  signal?: AbortSignal;
  /** Called after every page of pairs (or trees). */
  onProgress?: (progress: BundleProgress) => Promise<void> | void;
};

/** A bundle whose files are written and hashed, not yet recorded (recordExport does that). */
export type WrittenBundle = {
  request: ExportRequest;
  datasetId: number;
  format: ExportFormat;
  filters: ExportFilters;
  fileName: string;
  createdAt: Date;
  dirName: string;
  dir: string;
  manifest: ExportManifest;
  files: ManifestFile[];
};

/**
 * Writes the bundle of an export into its folder under ECD_EXPORT_DIR — the data file,
 * metadata.jsonl (one line per data line, same order), README.md (the dataset card) and
 * manifest.json. Pairs of held-out seeds and pairs waiting for adjudication are never exported.
 * A failure (or a cancel) removes the folder. Memory stays flat: pairs are read by keyset
 * pagination and written in 1 MB chunks. The one code path for a bundle, synchronous
 * (createExport) or in a background job (lib/jobs/export.ts).
 */
export async function writeBundle(
  db: Db,
  request: ExportRequest,
  options: WriteBundleOptions = {},
): Promise<WrittenBundle> {
  const format = parseExportFormat(request.format);
  const filters = parseExportFilters(request.filters ?? {});
  const dataset = await getDataset(db, request.datasetId);
  const settings = datasetSettingsSchema.parse(dataset.settings ?? {});
  const createdAt = new Date();
  const fileName = request.fileName ?? exportFileName(dataset.name, format, createdAt);
  if (Object.values(BUNDLE_FILES).includes(fileName as never) || fileName.includes("/") || fileName.includes("\\"))
    throw new DomainError(`the data file cannot be called ${fileName}`, "invalid", "fileName");
  const counts = emptyCounts(format);
  const heldOut = { pairs: 0 };
  const jobIds = new Set<number>();
  const pseudonyms = await reviewerPseudonyms(db, dataset.id);
  const progress: BundleProgress = { read: 0, written: 0 };
  const step = async () => {
    options.signal?.throwIfAborted();
    settleHeap();
    progress.written = counts.lines;
    await options.onProgress?.({ ...progress });
  };

  const root = exportRoot();
  await mkdir(root, { recursive: true });
  const dirName = options.dirName ?? `${fileName.replace(/\.jsonl$/, "")}-${randomUUID().slice(0, 8)}`;
  const dir = path.join(root, dirName);
  if (options.replace) await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  const writing: HashedFile[] = [];
  try {
    const data = await HashedFile.create(dir, fileName);
    writing.push(data);
    const metadata = await HashedFile.create(dir, BUNDLE_FILES.metadata);
    writing.push(metadata);
    if (format === "chains") {
      for await (const tree of iterateChains(
        db,
        dataset.id,
        filters,
        counts,
        settings.heldoutShare,
        heldOut,
        request.batchSize ? Math.max(1, Math.floor(request.batchSize / 10)) : undefined,
        progress,
      )) {
        await data.write(JSON.stringify(tree) + "\n");
        const pairs = (tree as { pairs: { id: number; jobId: number | null }[] }).pairs;
        for (const p of pairs) if (p.jobId !== null) jobIds.add(p.jobId);
        await metadata.write(
          JSON.stringify({
            seed_id: (tree as { seed: { id: number } }).seed.id,
            pair_ids: pairs.map((p) => p.id),
            job_ids: [...new Set(pairs.flatMap((p) => (p.jobId === null ? [] : [p.jobId])))],
          }) + "\n",
        );
        counts.lines++;
        await step();
      }
    } else {
      for await (const { pairs: batch, reviews: reviewRows } of iteratePairs(db, {
        datasetId: dataset.id,
        filters,
        batchSize: request.batchSize,
        heldoutShare: settings.heldoutShare,
        heldOut,
        // SFT trains on (prompt, chosen) only: one row per distinct pair of them.
        dedup: format === "sft" ? "prompt+chosen" : filters.dedup,
        progress,
        reviews: true, // each page's reviews, read with the page
      })) {
        const reviews = reviewsOf(reviewRows, batch, pseudonyms);
        for (const pair of batch) {
          // HashedFile.write gives a promise only when a chunk went out: no await (and microtask) per line.
          const dataWritten = data.write(pairLine(format, pair));
          if (dataWritten) await dataWritten;
          const metadataWritten = metadata.write(metadataLine(pair, reviews.get(pair.id) ?? "[]"));
          if (metadataWritten) await metadataWritten;
          counts.lines++;
          countPair(counts, pair);
          if (pair.jobId !== null) jobIds.add(pair.jobId);
          if (pair.chosen.jobId !== null) jobIds.add(pair.chosen.jobId);
          if (pair.rejected.jobId !== null) jobIds.add(pair.rejected.jobId);
        }
        await step();
      }
    }
    finishCounts(counts);
    const dataFile = await data.close();
    const metadataFile = await metadata.close();
    writing.length = 0;
    const files: ManifestFile[] = [
      { kind: "data", ...dataFile },
      { kind: "metadata", ...metadataFile },
    ];

    const heldOutSeeds = await countHeldOutSeeds(db, dataset.id, settings.heldoutShare);
    const manifest: ExportManifest = {
      format,
      dataset: { id: dataset.id, name: dataset.name },
      filters,
      counts,
      fileName,
      byteSize: dataFile.byteSize,
      sha256: dataFile.sha256,
      appVersion: APP_VERSION,
      app: { name: "ecd-studio", version: APP_VERSION, commit: gitCommit() },
      createdAt: createdAt.toISOString(),
      createdById: request.actorId ?? null,
      licence: settings.licence,
      heldOut: { share: settings.heldoutShare, seeds: heldOutSeeds, pairs: heldOut.pairs },
      decontamination: await decontaminationSection(
        db,
        dataset.id,
        { ...toPairFilter(filters), contamination: undefined },
        !!filters["allow-contaminated"],
      ),
      excluded: { adjudication: "pairs waiting for adjudication are never exported" },
      jobs: await manifestJobs(db, jobIds),
      promptTemplates: promptTemplateHashes(),
      seedSources: await seedSources(db, dataset.id),
      files,
    };
    const cardText = datasetCard(manifest);
    const cardFile = await writeWhole(dir, BUNDLE_FILES.card, cardText);
    files.push({ kind: "card", ...cardFile });
    const manifestFile = await writeWhole(dir, BUNDLE_FILES.manifest, JSON.stringify(manifest, null, 2) + "\n");
    options.signal?.throwIfAborted();
    return {
      request,
      datasetId: dataset.id,
      format,
      filters,
      fileName,
      createdAt,
      dirName,
      dir,
      manifest,
      files: [...files, { kind: "manifest" as const, ...manifestFile }],
    };
  } catch (error) {
    for (const file of writing) await file.abandon();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Records a written bundle: the Export row with each file's path, size and sha256, and the audit
 * event. Runs inside `tx` (a background export's completing transaction), so an export is listed
 * as done only once every file is on disk.
 */
export async function recordExport(tx: Tx, bundle: WrittenBundle): Promise<number> {
  const { manifest, format, filters, dirName, fileName } = bundle;
  const actorId = bundle.request.actorId ?? null;
  const created = await tx.export.create({
    data: {
      datasetId: bundle.datasetId,
      format,
      filters: filters as object,
      counts: manifest.counts as object,
      sha256: manifest.sha256,
      byteSize: manifest.byteSize,
      fileName,
      manifest: manifest as object,
      appVersion: APP_VERSION,
      dir: dirName,
      createdById: actorId,
      createdAt: bundle.createdAt,
      files: {
        create: bundle.files.map((f) => ({
          kind: f.kind,
          name: f.name,
          path: `${dirName}/${f.name}`,
          byteSize: f.byteSize,
          sha256: f.sha256,
        })),
      },
    },
    select: { id: true },
  });
  await recordAudit(tx, {
    userId: actorId,
    action: "export.create",
    entityType: "export",
    entityId: created.id,
    data: {
      datasetId: bundle.datasetId,
      format,
      filters,
      pairs: manifest.counts.pairs,
      sha256: manifest.sha256,
      dir: dirName,
    },
  });
  return created.id;
}

/**
 * Writes an export's bundle (writeBundle) into a new folder under ECD_EXPORT_DIR and records it
 * (recordExport), synchronously. A failed export leaves neither a folder nor a row.
 */
export async function createExport(db: Db, request: ExportRequest): Promise<ExportResult> {
  const bundle = await writeBundle(db, request);
  try {
    const exportId = await db.$transaction((tx) => recordExport(tx, bundle));
    return { exportId, manifest: bundle.manifest, dir: bundle.dir };
  } catch (error) {
    await rm(bundle.dir, { recursive: true, force: true });
    throw error;
  }
}

async function writeWhole(dir: string, name: string, text: string): Promise<WrittenFile> {
  const file = await HashedFile.create(dir, name);
  await file.write(text);
  return file.close();
}

async function countHeldOutSeeds(db: Db, datasetId: number, share: number): Promise<number> {
  const where = heldoutSeedWhere(share);
  return where ? db.seed.count({ where: { datasetId, ...where, ...VISIBLE_SEED } }) : 0;
}

/**
 * Runs an export (createExport) and hands the stored data file's bytes to a writer; returns the
 * Export row id and manifest.
 */
export async function runExport(
  db: Db,
  request: ExportRequest,
  write: (chunk: Uint8Array) => Promise<void> | void,
): Promise<ExportResult> {
  const result = await createExport(db, request);
  for await (const chunk of createReadStream(path.join(result.dir, result.manifest.fileName)))
    await write(chunk as Uint8Array);
  return result;
}

export type ExportListItem = {
  id: number;
  format: string;
  fileName: string;
  sha256: string;
  byteSize: number;
  createdAt: Date;
  pairs: number;
  manifest: ExportManifest;
  createdBy: string | null;
  /** Whether the bundle's files are stored (exports made before bundles have only a manifest). */
  stored: boolean;
};

/** Past exports of a dataset, newest first. */
export async function listExports(db: Db, datasetId: number, take = 50): Promise<ExportListItem[]> {
  const rows = await db.export.findMany({
    where: { datasetId },
    orderBy: { id: "desc" },
    take,
    select: {
      id: true,
      format: true,
      fileName: true,
      sha256: true,
      byteSize: true,
      createdAt: true,
      manifest: true,
      dir: true,
      createdBy: { select: { email: true } },
    },
  });
  return rows.map((row) => {
    const manifest = row.manifest as unknown as ExportManifest;
    const { dir, ...rest } = row;
    return {
      ...rest,
      manifest,
      pairs: manifest.counts?.pairs ?? 0,
      createdBy: row.createdBy?.email ?? null,
      stored: dir !== "",
    };
  });
}

export async function getExport(db: Db, datasetId: number, exportId: number): Promise<ExportManifest> {
  return (await getExportBundle(db, datasetId, exportId)).manifest;
}

export type StoredExportFile = { kind: string; name: string; path: string; byteSize: number; sha256: string };

/** A past export with its stored files (absolute paths, in bundle order: data, metadata, card, manifest). */
export async function getExportBundle(
  db: Db,
  datasetId: number,
  exportId: number,
): Promise<{ id: number; fileName: string; createdAt: Date; manifest: ExportManifest; files: StoredExportFile[] }> {
  const row = await db.export.findFirst({
    where: { id: exportId, datasetId },
    select: {
      id: true,
      fileName: true,
      createdAt: true,
      manifest: true,
      files: { orderBy: { id: "asc" }, select: { kind: true, name: true, path: true, byteSize: true, sha256: true } },
    },
  });
  if (!row) throw new DomainError(`Export ${exportId} does not exist`, "not_found");
  return {
    id: row.id,
    fileName: row.fileName,
    createdAt: row.createdAt,
    manifest: row.manifest as unknown as ExportManifest,
    files: row.files.map((f) => ({ ...f, path: bundlePath(f.path) })),
  };
}

export { EXPORT_FORMAT_LABELS, EXPORT_FORMATS };

/**
 * Removes a dataset's exports with ids in [from, to): their stored bundle folders first, then the
 * rows (a folder left behind by a crash between the two is removed again on the next run, since
 * the rows are still there). The dataset deletion job's step for exports.
 */
export async function deleteExportBundles(
  db: Db,
  datasetId: number,
  from: number,
  to: number,
): Promise<{ count: number }> {
  const where = { datasetId, id: { gte: from, lt: to } };
  const rows = await db.export.findMany({ where, select: { dir: true } });
  for (const row of rows) if (row.dir) await rm(bundlePath(row.dir), { recursive: true, force: true });
  return db.export.deleteMany({ where });
}
