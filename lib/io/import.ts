import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { recordAudit } from "../audit.ts";
import { checkImportedSeeds, loadCheckedSets, matchImportedSeeds } from "../decontam/index.ts";
import { getDataset } from "../datasets/index.ts";
import type { Db } from "../db/client.ts";
import { insertImportedSeeds, seedsByContentHash } from "../db/import-sql.ts";
import { describeZodIssues, DomainError } from "../errors.ts";
import { ImportError, type RecordIssue } from "./errors.ts";
import { contentHash, seedText } from "./hash.ts";
import { settleHeap } from "./heap.ts";
import { abandonImport, beginImport, commitImport, renewLease, sweepAbandonedImports } from "./import-lease.ts";
import { DEFAULT_LIMITS, type ByteSource, type ImportLimits, readLines } from "./parse/lines.ts";
import { FILE_FORMAT_LABELS, FILE_FORMATS, type FileFormat, openRecords, type RawRecord } from "./parse/records.ts";
import {
  columnMappingSchema,
  RecordError,
  resolveShape,
  type SeedDraft,
  type Shape,
  SHAPE_LABELS,
  SHAPES,
  type ShapeName,
} from "./shapes.ts";
import { spoolDirPrefix } from "./spool.ts";

export const ON_ERROR = ["fail", "skip"] as const;
export type OnError = (typeof ON_ERROR)[number];

export const importOptionsSchema = z.object({
  format: z.enum(FILE_FORMATS).optional(),
  shape: z.enum([...SHAPES, "auto"]).default("auto"),
  mapping: columnMappingSchema.optional(),
  onError: z.enum(ON_ERROR).default("fail"),
  fileName: z.string().max(500).optional(),
});

export type ImportOptions = z.input<typeof importOptionsSchema> & {
  limits?: Partial<ImportLimits>;
  /** Who imports (for the audit trail); null from the CLI. */
  actorId?: number | null;
  /** Called for every skipped line as it happens (the CLI prints them all). */
  onIssue?: (issue: RecordIssue) => void;
  /** How many skipped lines and duplicates the report lists (default 1,000); the counts are always complete. */
  reportLimit?: number;
  /** Seeds written per short transaction (default 2,000). */
  batchSize?: number;
  /** The import's lease (default ECD_IMPORT_LEASE_MS or 60 s): renewed with every batch. */
  leaseMs?: number;
};

export type ImportReport = {
  datasetId: number;
  dataset: string;
  fileName: string | null;
  /** sha256 of the file's bytes (the export manifest names seed files by it). */
  sha256: string;
  format: FileFormat;
  shape: ShapeName;
  mapping: Shape["mapping"];
  onError: OnError;
  /** Records read (good, duplicate and skipped). */
  records: number;
  imported: number;
  duplicates: number;
  skipped: number;
  /** Skipped lines and why, in file order (the first `reportLimit`). */
  issues: RecordIssue[];
  /** Records not imported because a seed with the same content exists (the first `reportLimit`). */
  duplicateLines: { line: number; seedId: number }[];
  /** True when there were more issues or duplicates than the report lists. */
  truncated: boolean;
  /** Imported seeds that overlap a benchmark set, per set (a warning: they are imported, and flagged). */
  overlaps: { set: string; seeds: number }[];
};

function parseOptions(options: ImportOptions) {
  const parsed = importOptionsSchema.safeParse(options);
  if (!parsed.success) throw new DomainError(describeZodIssues(parsed.error.issues));
  return parsed.data;
}

/** Reads records until the first good one, to pick the shape; earlier bad records are handed to `onBad`. */
async function firstRecord(records: AsyncGenerator<RawRecord>, onBad: (record: RawRecord & { error: string }) => void) {
  const before: RawRecord[] = [];
  for (;;) {
    const next = await records.next();
    if (next.done) return { first: null, before };
    if (next.value.error !== undefined) {
      onBad(next.value as RawRecord & { error: string });
      before.push(next.value);
      continue;
    }
    return { first: next.value, before };
  }
}

async function openShaped(
  source: ByteSource,
  opts: z.output<typeof importOptionsSchema>,
  limits: ImportLimits,
  partial: boolean,
  onBad: (record: RawRecord & { error: string }) => void,
) {
  const stream = await openRecords(source, { format: opts.format, fileName: opts.fileName, limits, partial });
  const { first } = await firstRecord(stream.records, onBad);
  if (!first) return { stream, shape: null, first: null, keys: stream.columns ?? [] };
  const keys = stream.columns ?? Object.keys(first.value!);
  let shape: Shape;
  try {
    shape = resolveShape({ shape: opts.shape, mapping: opts.mapping }, keys, stream.columns);
  } catch (error) {
    if (error instanceof RecordError) throw new ImportError(error.message, stream.columns ? 1 : first.line);
    throw error;
  }
  return { stream, shape, first, keys };
}

/** One validated record, spooled between the two phases (compact: a JSON array per line). */
type Spooled = [
  line: number,
  hash: string,
  externalId: string | null,
  instruction: string,
  input: string,
  referenceResponse: string | null,
  constraints: SeedDraft["constraints"],
  metadata: Record<string, unknown>,
];

async function writeChunk(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

/** The bytes of a source, passed on unchanged while they are hashed. */
async function* hashing(source: ByteSource, hash: Hash): ByteSource {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

/**
 * Imports seeds from a file: each good record becomes a Seed (with its reference response when
 * the record has one) and its depth-0 Node (the seed text; structured constraints for IFEval and
 * FollowComplexInstruction rows). Duplicates (same content hash as a seed already in the dataset
 * or earlier in the file) are counted and listed, not imported.
 *
 * Two phases, both streaming (memory is bounded by one batch, whatever the file size):
 * 1. read and validate every record, spooling the good ones to a temporary file; nothing touches
 *    the database, so a bad record with `onError: "fail"` or a problem with the whole file
 *    (in either mode) stops here;
 * 2. write the spooled seeds in short batches (a transaction each, `batchSize` seeds), tagged with
 *    a SeedImport that keeps them invisible to every reader (lib/db/visibility.ts) until one small
 *    final write commits it: all or nothing without holding a transaction open, so pages, review
 *    decisions and jobs keep running in between. The import holds a lease, renewed with every
 *    batch; on an error its rows are removed, and if its process dies another process removes
 *    them once the lease has run out (import-lease.ts).
 * A seed that another import, still running, is writing too stops the import with a clear error.
 * With `onError: "skip"` bad records are skipped and listed with their line and reason.
 */
export async function importSeeds(
  db: Db,
  datasetId: number,
  source: ByteSource,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const opts = parseOptions(options);
  const limits: ImportLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const reportLimit = options.reportLimit ?? 1000;
  const batchSize = options.batchSize ?? 2000;
  const dataset = await getDataset(db, datasetId);

  let skipped = 0;
  let records = 0;
  let truncated = false;
  const issues: RecordIssue[] = [];
  const issue = (line: number, reason: string) => {
    if (opts.onError === "fail") throw new ImportError(reason, line);
    skipped++;
    if (issues.length < reportLimit) issues.push({ line, reason });
    else truncated = true;
    options.onIssue?.({ line, reason });
  };

  const spoolDir = await mkdtemp(spoolDirPrefix());
  const spoolPath = path.join(spoolDir, "seeds.jsonl");
  try {
    // Phase 1: validate everything, spool the good records. No database writes.
    const fileHash = createHash("sha256");
    const { stream, shape, first } = await openShaped(hashing(source, fileHash), opts, limits, false, (bad) => {
      records++;
      issue(bad.line, bad.error);
    });
    if (!shape || !first) {
      if (skipped === 0) throw new ImportError("the file has no records", 1);
      throw new ImportError(
        `none of the ${skipped} records could be read (the first problem: ${issues[0]?.reason})`,
        issues[0]?.line,
      );
    }
    const spool = createWriteStream(spoolPath);
    let spooled = 0;
    // Lines are gathered into writes of ~48K characters: a write per line cost more than the JSON, and a
    // string past 128 KB would be allocated where only a full collection frees it (see PARAM_CHARS in lib/db/import-sql.ts).
    let pending = "";
    try {
      const take = async (record: RawRecord) => {
        records++;
        if (record.error !== undefined) return issue(record.line, record.error);
        let draft: SeedDraft;
        try {
          draft = shape.toDraft(record.value!, record.line);
        } catch (error) {
          if (error instanceof RecordError) return issue(record.line, error.message);
          throw error;
        }
        const row: Spooled = [
          draft.line,
          contentHash(draft.instruction, draft.input),
          draft.externalId,
          draft.instruction,
          draft.input,
          draft.referenceResponse,
          draft.constraints,
          draft.metadata,
        ];
        spooled++;
        pending += JSON.stringify(row) + "\n";
        if (pending.length >= 48 * 1024) {
          await writeChunk(spool, pending);
          pending = "";
        }
      };
      await take(first);
      for await (const record of stream.records) await take(record);
      await writeChunk(spool, pending);
    } finally {
      spool.end();
      await once(spool, "close");
    }

    // Phase 2: write in short batches, invisible until the one commit write (lib/db/visibility.ts).
    await loadCheckedSets(db); // the sets indexed once per process, before any batch
    await sweepAbandonedImports(db);
    const sha256 = fileHash.digest("hex");
    const lease = await beginImport(db, { datasetId, fileName: opts.fileName ?? null, sha256 }, options.leaseMs);
    try {
      let imported = 0;
      let duplicates = 0;
      const duplicateLines: { line: number; seedId: number }[] = [];
      const overlaps = new Map<string, number>();
      const duplicate = (line: number, seedId: number) => {
        duplicates++;
        if (duplicateLines.length < reportLimit) duplicateLines.push({ line, seedId });
        else truncated = true;
      };

      const writeBatch = async (rows: Spooled[]) => {
        // Repeats within the batch are told apart here; the rest is the database's to judge.
        const fresh: Spooled[] = [];
        const repeats: Spooled[] = [];
        const inBatch = new Set<string>();
        for (const row of rows) {
          if (inBatch.has(row[1])) repeats.push(row);
          else {
            inBatch.add(row[1]);
            fresh.push(row);
          }
        }
        // The decontamination check is CPU work: done before the transaction, not inside it.
        const matched = await matchImportedSeeds(
          db,
          fresh.map(([, hash, , instruction, input, , constraints]) => ({
            contentHash: hash,
            text: seedText(instruction, input),
            constraintTexts: constraints.map((c) => c.text),
          })),
        );
        const now = new Date();
        const { ids, existing, perSet } = await db.$transaction(
          async (tx) => {
            await renewLease(tx, lease);
            const ids = await insertImportedSeeds(
              tx,
              { datasetId, importId: lease.id, source: shape.name },
              fresh.map(([line, hash, externalId, instruction, input, referenceResponse, constraints, metadata]) => ({
                externalId: externalId ?? `line:${line}`,
                instruction,
                input,
                referenceResponse,
                contentHash: hash,
                metadata,
                nodeInstruction: seedText(instruction, input),
                constraints,
              })),
              now,
            );
            const taken = fresh.filter((row) => !ids.has(row[1]));
            const existing = new Map(
              (await seedsByContentHash(tx, datasetId, [...new Set(taken.map((row) => row[1]))])).map((s) => [
                s.contentHash,
                s,
              ]),
            );
            for (const row of taken) {
              const seed = existing.get(row[1]);
              if (seed && seed.importId !== null && seed.importId !== lease.id && seed.importStatus !== "committed")
                throw new ImportError(
                  `another import into this dataset (number ${seed.importId}) is writing the same seed and has not finished; try again when it has`,
                  row[0],
                );
            }
            const perSet = await checkImportedSeeds(tx, datasetId, matched, ids);
            return { ids, existing, perSet };
          },
          { timeout: 60_000, maxWait: 60_000 },
        );
        imported += ids.size;
        settleHeap();
        for (const [set, n] of perSet) overlaps.set(set, (overlaps.get(set) ?? 0) + n);
        // In line order: a line is a duplicate unless it is the one that inserted its seed.
        const repeated = new Set(repeats);
        for (const row of rows) {
          if (!repeated.has(row) && ids.has(row[1])) continue;
          const seedId = ids.get(row[1]) ?? existing.get(row[1])?.id;
          if (seedId !== undefined) duplicate(row[0], seedId);
        }
      };

      let batch: Spooled[] = [];
      const spoolLimits: ImportLimits = { maxBytes: Number.MAX_SAFE_INTEGER, maxLineBytes: Number.MAX_SAFE_INTEGER };
      if (spooled > 0) {
        for await (const line of readLines(createReadStream(spoolPath, { highWaterMark: 1024 * 1024 }), spoolLimits)) {
          batch.push(JSON.parse(line.text!) as Spooled);
          if (batch.length >= batchSize) {
            await writeBatch(batch);
            batch = [];
          }
        }
      }
      await writeBatch(batch);

      const report: ImportReport = {
        datasetId,
        dataset: dataset.name,
        fileName: opts.fileName ?? null,
        sha256,
        format: stream.format,
        shape: shape.name,
        mapping: shape.mapping,
        onError: opts.onError,
        records,
        imported,
        duplicates,
        skipped,
        issues,
        duplicateLines,
        truncated,
        overlaps: [...overlaps].map(([set, seeds]) => ({ set, seeds })),
      };
      // The commit: one small transaction makes every batch visible at once.
      await db.$transaction(async (tx) => {
        await commitImport(tx, lease, imported);
        await recordAudit(tx, {
          userId: options.actorId ?? null,
          action: "seeds.import",
          entityType: "dataset",
          entityId: datasetId,
          data: {
            fileName: report.fileName,
            sha256: report.sha256,
            format: report.format,
            shape: report.shape,
            onError: report.onError,
            records,
            imported,
            duplicates,
            skipped,
            overlaps: report.overlaps,
          },
        });
      });
      return report;
    } catch (error) {
      await abandonImport(db, lease);
      throw error;
    }
  } catch (error) {
    if (error instanceof ImportError)
      throw new ImportError(
        `${error.reason}${/[.?!]$/.test(error.reason) ? "" : "."} Nothing was imported.`,
        error.line,
      );
    throw error;
  } finally {
    await rm(spoolDir, { recursive: true, force: true });
  }
}

export type PreviewRow = {
  line: number;
  externalId: string | null;
  /** The depth-0 Node's text: instruction + input. */
  seedText: string;
  referenceResponse: string | null;
  constraints: { id: string; text: string }[];
};

export type ImportPreview = {
  format: FileFormat;
  formatLabel: string;
  shape: ShapeName;
  shapeLabel: string;
  mapping: Shape["mapping"];
  /** CSV header, or the first record's fields. */
  columns: string[];
  rows: PreviewRow[];
  /** Problems found in the previewed records (what the import would skip or stop at). */
  issues: RecordIssue[];
};

/**
 * What an import would do with the start of a file: the detected format, shape and column
 * mapping and the first rows as seeds, without writing anything. `partial` says the source is
 * only the beginning of the file (the upload page sends the first few hundred KB).
 */
export async function previewImport(
  source: ByteSource,
  options: Omit<ImportOptions, "onError" | "actorId" | "onIssue"> & { partial?: boolean; rows?: number },
): Promise<ImportPreview> {
  const opts = parseOptions(options);
  const limits: ImportLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const want = options.rows ?? 10;
  const issues: RecordIssue[] = [];
  const { stream, shape, first, keys } = await openShaped(source, opts, limits, options.partial ?? false, (bad) =>
    issues.push({ line: bad.line, reason: bad.error }),
  );
  if (!shape || !first) {
    if (issues.length)
      throw new ImportError(
        `no record in the previewed part could be read; the first problem: ${issues[0]!.reason}`,
        issues[0]!.line,
      );
    throw new ImportError("the file has no records", 1);
  }
  const rows: PreviewRow[] = [];
  const take = (record: RawRecord) => {
    if (record.error !== undefined) return void issues.push({ line: record.line, reason: record.error });
    try {
      const draft = shape.toDraft(record.value!, record.line);
      rows.push({
        line: draft.line,
        externalId: draft.externalId,
        seedText: seedText(draft.instruction, draft.input),
        referenceResponse: draft.referenceResponse,
        constraints: draft.constraints.map((c) => ({ id: c.id, text: c.text })),
      });
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      issues.push({ line: record.line, reason: error.message });
    }
  };
  take(first);
  try {
    for await (const record of stream.records) {
      if (rows.length >= want || issues.length >= 50) break;
      take(record);
    }
  } catch (error) {
    // A file-level problem later in the previewed part: show what was read, and the problem.
    if (!(error instanceof ImportError)) throw error;
    issues.push({ line: error.line ?? 0, reason: error.reason });
  }
  return {
    format: stream.format,
    formatLabel: FILE_FORMAT_LABELS[stream.format],
    shape: shape.name,
    shapeLabel: SHAPE_LABELS[shape.name],
    mapping: shape.mapping,
    columns: [...keys],
    rows,
    issues,
  };
}
