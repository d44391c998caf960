import { createHash } from "node:crypto";
import packageJson from "../../../package.json" with { type: "json" };
import { recordAudit } from "../../audit.ts";
import { getDataset } from "../../datasets/index.ts";
import { inSlices } from "../chunks.ts";
import type { Db } from "../../db/client.ts";
import { describeZodIssues, DomainError } from "../../errors.ts";
import { EXPORT_FORMAT_LABELS, EXPORT_FORMATS, type ExportFormat, pairRow } from "./formats.ts";
import { pairPrompt } from "../../review/decide.ts";
import { matchingPairIdsOnNodes, seedsWithMatchingPairs } from "../../review/query.ts";
import { RatioAccumulator } from "../../review/stats.ts";
import {
  type ExportFilters,
  type ExportFiltersInput,
  exportFiltersSchema,
  type ExportPair,
  exportedPairColumns,
  iteratePairs,
  toPairFilter,
} from "./select.ts";

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
  /** Pairs accepted over a failing code-checked constraint, and pairs carrying a human edit. */
  overrides?: number;
  edited?: number;
  /** Chosen/rejected word ratio over the exported pairs (the dataset card shows it). */
  lengthRatio?: { pairs: number; mean: number | null; chosenLonger: number | null; buckets: number[] };
};

export type ExportManifest = {
  format: ExportFormat;
  dataset: { id: number; name: string };
  filters: ExportFilters;
  counts: ExportCounts;
  fileName: string;
  byteSize: number;
  sha256: string;
  appVersion: string;
  createdAt: string;
  createdById: number | null;
};

export type ExportResult = { exportId: number; manifest: ExportManifest };

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
    overrides: 0,
    edited: 0,
  };
}

const ratios = new WeakMap<ExportCounts, RatioAccumulator>();

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
  },
) {
  counts.pairs++;
  if (pair.override) counts.overrides = (counts.overrides ?? 0) + 1;
  if (pair.edited) counts.edited = (counts.edited ?? 0) + 1;
  if (pair.lengthRatio) {
    const acc = ratios.get(counts) ?? new RatioAccumulator("all");
    ratios.set(counts, acc);
    acc.add(pair.lengthRatio);
    const { pairs, mean, chosenLonger, buckets } = acc.row();
    counts.lengthRatio = { pairs, mean, chosenLonger, buckets };
  }
  counts.byMethod[pair.method] = (counts.byMethod[pair.method] ?? 0) + 1;
  counts.byDepth[String(pair.depth)] = (counts.byDepth[String(pair.depth)] ?? 0) + 1;
  counts.byStatus[pair.status] = (counts.byStatus[pair.status] ?? 0) + 1;
  for (const id of pair.constraintIds) counts.byConstraint[id] = (counts.byConstraint[id] ?? 0) + 1;
}

/** One object per evolution tree that holds at least one selected pair: seed, nodes, responses, selected pairs, their reviews. */
async function* iterateChains(
  db: Db,
  datasetId: number,
  filters: ExportFilters,
  counts: ExportCounts,
  batchSize = 100,
): AsyncGenerator<object> {
  const filter = toPairFilter(filters);
  let last = 0;
  for (;;) {
    const seedPage = await seedsWithMatchingPairs(db, datasetId, filter, last, batchSize);
    if (seedPage.length === 0) return;
    const seeds = await db.seed.findMany({
      where: { id: { in: seedPage } },
      orderBy: { id: "asc" },
      select: { id: true, externalId: true, instruction: true, input: true, referenceResponse: true, source: true },
    });
    if (seeds.length === 0) return;
    last = seeds[seeds.length - 1]!.id;
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
      yield {
        seed,
        nodes: nodes.filter((n) => n.seedId === seed.id).map(({ seedId: _seedId, ...n }) => n),
        responses: responses.filter((r) => seedOfNode.get(r.nodeId) === seed.id),
        pairs: treePairs,
        reviews: reviews.filter((r) => seedOfPair.get(r.pairId) === seed.id),
      };
    }
    if (seeds.length < batchSize) return;
  }
}

export type ExportRequest = {
  datasetId: number;
  format: ExportFormat;
  filters?: ExportFiltersInput;
  actorId?: number | null;
  /** Defaults to exportFileName(dataset, format). */
  fileName?: string;
  /** Pairs (or trees) read per query. */
  batchSize?: number;
};

const CHUNK_BYTES = 64 * 1024;

/**
 * Streams an export as JSON Lines bytes (one line per pair, or per tree for chains), computing
 * the sha256, byte size and counts on the way. When the consumer has read everything, the Export
 * row with its manifest is written and returned as the generator's return value; a consumer that
 * stops early (a cancelled download) leaves no Export row. Memory stays flat: pairs are read by
 * keyset pagination and written in 64 KB chunks.
 */
export async function* streamExport(db: Db, request: ExportRequest): AsyncGenerator<Uint8Array, ExportResult> {
  const format = parseExportFormat(request.format);
  const filters = parseExportFilters(request.filters ?? {});
  const dataset = await getDataset(db, request.datasetId);
  const fileName = request.fileName ?? exportFileName(dataset.name, format);
  const counts = emptyCounts(format);
  const hash = createHash("sha256");
  let byteSize = 0;
  let buffer = "";

  const take = (): Uint8Array => {
    const bytes = Buffer.from(buffer, "utf8");
    buffer = "";
    hash.update(bytes);
    byteSize += bytes.length;
    return bytes;
  };

  if (format === "chains") {
    for await (const tree of iterateChains(
      db,
      dataset.id,
      filters,
      counts,
      request.batchSize ? Math.max(1, Math.floor(request.batchSize / 10)) : undefined,
    )) {
      buffer += JSON.stringify(tree) + "\n";
      counts.lines++;
      if (buffer.length >= CHUNK_BYTES) yield take();
    }
  } else {
    for await (const batch of iteratePairs(db, dataset.id, filters, request.batchSize)) {
      for (const pair of batch as ExportPair[]) {
        buffer += JSON.stringify(pairRow(format, pair)) + "\n";
        counts.lines++;
        countPair(counts, pair);
      }
      if (buffer.length >= CHUNK_BYTES) yield take();
    }
  }
  if (buffer.length > 0) yield take();

  const manifest: ExportManifest = {
    format,
    dataset: { id: dataset.id, name: dataset.name },
    filters,
    counts,
    fileName,
    byteSize,
    sha256: hash.digest("hex"),
    appVersion: APP_VERSION,
    createdAt: new Date().toISOString(),
    createdById: request.actorId ?? null,
  };
  const row = await db.$transaction(async (tx) => {
    const created = await tx.export.create({
      data: {
        datasetId: dataset.id,
        format,
        filters: filters as object,
        counts: counts as object,
        sha256: manifest.sha256,
        byteSize,
        fileName,
        manifest: manifest as object,
        appVersion: APP_VERSION,
        createdById: request.actorId ?? null,
        createdAt: new Date(manifest.createdAt),
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      userId: request.actorId ?? null,
      action: "export.create",
      entityType: "export",
      entityId: created.id,
      data: { datasetId: dataset.id, format, filters, pairs: counts.pairs, sha256: manifest.sha256 },
    });
    return created;
  });
  return { exportId: row.id, manifest };
}

/** Runs an export to a writer (the CLI's file); returns the Export row id and manifest. */
export async function runExport(
  db: Db,
  request: ExportRequest,
  write: (chunk: Uint8Array) => Promise<void> | void,
): Promise<ExportResult> {
  const stream = streamExport(db, request);
  for (;;) {
    const next = await stream.next();
    if (next.done) return next.value;
    await write(next.value);
  }
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
      createdBy: { select: { email: true } },
    },
  });
  return rows.map((row) => {
    const manifest = row.manifest as unknown as ExportManifest;
    return { ...row, manifest, pairs: manifest.counts?.pairs ?? 0, createdBy: row.createdBy?.email ?? null };
  });
}

export async function getExport(db: Db, datasetId: number, exportId: number): Promise<ExportManifest> {
  const row = await db.export.findFirst({ where: { id: exportId, datasetId }, select: { manifest: true } });
  if (!row) throw new DomainError(`Export ${exportId} does not exist`, "not_found");
  return row.manifest as unknown as ExportManifest;
}

export { EXPORT_FORMAT_LABELS, EXPORT_FORMATS };
