import { createReadStream, type Stats } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { findDatasetByName } from "../../datasets/index.ts";
import { configureDatabase, getDb } from "../../db/client.ts";
import { formatCount, formatCounted } from "../../format.ts";
import {
  boundHeapGrowth,
  DEFAULT_LIMITS,
  FILE_FORMAT_LABELS,
  FILE_FORMATS,
  formatBytes,
  ImportError,
  importSeeds,
  ON_ERROR,
  parseMappingSpec,
  previewImport,
  SHAPE_LABELS,
  SHAPES,
  type ColumnMapping,
} from "../../io/index.ts";
import { RecordError } from "../../io/shapes.ts";
import { numberFlag, parseCommandArgs } from "../args.ts";
import { type CliCommand, CliError, requireCliScope, viewerOf } from "../command.ts";

const USAGE = `ecd import FILE --dataset NAME [--format jsonl|json|csv|tsv] [--shape auto|${SHAPES.filter((s) => s !== "mapped").join("|")}]
           [--map instruction=COL,input=COL,response=COL,id=COL] [--on-error fail|skip] [--max-mb N] [--preview] [--json]

Imports seeds: every record becomes a Seed and its depth-0 Node (IFEval and FollowComplexInstruction
rows bring their constraints). The format comes from --format, else the file extension, else the
content; the shape is detected from the fields unless --shape or --map says otherwise.
  --on-error fail  (default) the first bad line stops the import and nothing is imported
  --on-error skip  bad lines are skipped and listed with their line number and reason
  --preview        shows the detected format, shape and mapping and the first rows; writes nothing
Seeds whose text is already in the dataset are counted as duplicates and not imported again.`;

/** Past this, --max-mb is a typo: the import streams, but one file of more than 100 GB is not a seed set. */
const MAX_MB = 102_400;

function describeNonFile(info: Stats): string {
  if (info.isDirectory()) return "a directory";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isFIFO()) return "a named pipe";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

export const importCommand: CliCommand = {
  name: "import",
  summary: "Import seeds from JSONL, JSON or CSV (Alpaca, Dolly, ShareGPT, IFEval, FCI, plain, mapped)",
  usage: USAGE,
  async run(args, io) {
    const opts = parseCommandArgs(
      args,
      {
        dataset: { type: "string" },
        format: { type: "string" },
        shape: { type: "string" },
        map: { type: "string" },
        "on-error": { type: "string" },
        "max-mb": { type: "string" },
        preview: { type: "boolean" },
        json: { type: "boolean" },
      },
      z.object({
        file: z.string({ error: "is required" }).min(1, "is required"),
        dataset: z.string({ error: "is required" }).min(1, "is required"),
        format: z.enum(FILE_FORMATS).optional(),
        shape: z.enum([...SHAPES, "auto"]).optional(),
        map: z.string().optional(),
        "on-error": z.enum(ON_ERROR).default("fail"),
        "max-mb": numberFlag(0.0001, MAX_MB, { fraction: true }).optional(),
        preview: z.boolean().optional(),
        json: z.boolean().optional(),
      }),
      ["file"],
    );

    let mapping: ColumnMapping | undefined;
    if (opts.map !== undefined) {
      try {
        mapping = parseMappingSpec(opts.map);
      } catch (error) {
        if (error instanceof RecordError) throw new CliError(`--map: ${error.message}`);
        throw error;
      }
    }
    const limits = {
      ...DEFAULT_LIMITS,
      ...(opts["max-mb"] ? { maxBytes: Math.floor(opts["max-mb"] * 1024 * 1024) } : {}),
    };
    const info = await stat(opts.file).catch(() => null);
    if (!info) throw new CliError(`FILE: cannot read "${opts.file}" (no such file)`);
    if (!info.isFile()) throw new CliError(`FILE: "${opts.file}" is ${describeNonFile(info)}, not a file to import`);
    if (info.size > limits.maxBytes)
      throw new CliError(
        `FILE: ${opts.file} is ${formatBytes(info.size)}, larger than the ${formatBytes(limits.maxBytes)} limit (raise it with --max-mb)`,
      );

    const fileName = path.basename(opts.file);
    const open = () => createReadStream(opts.file, { highWaterMark: 1024 * 1024 });
    const common = { format: opts.format, shape: opts.shape, mapping, fileName, limits };
    const db = getDb();

    try {
      if (opts.preview) {
        const preview = await previewImport(open(), { ...common, rows: 5 });
        if (opts.json) {
          io.stdout(JSON.stringify(preview, null, 2) + "\n");
          return;
        }
        const lines = [
          `format  ${preview.formatLabel}`,
          `shape   ${preview.shapeLabel}`,
          `mapping ${Object.entries(preview.mapping)
            .filter(([, v]) => v)
            .map(([k, v]) => `${k} ← ${v}`)
            .join("; ")}`,
          `fields  ${preview.columns.join(", ")}`,
          "",
          ...preview.rows.map(
            (row) =>
              `line ${row.line}: ${JSON.stringify(row.seedText.length > 100 ? row.seedText.slice(0, 100) + "…" : row.seedText)}${row.referenceResponse ? " (with reference response)" : ""}${row.constraints.length ? ` [${row.constraints.map((c) => c.id).join(", ")}]` : ""}`,
          ),
          ...preview.issues.map((issue) => `line ${issue.line}: problem: ${issue.reason}`),
        ];
        io.stdout(lines.join("\n") + "\n");
        return;
      }

      requireCliScope(io, "datasets:manage");
      // WAL and synchronous = NORMAL, as the server and the worker run: an import commits a batch at a time.
      await configureDatabase(db);
      boundHeapGrowth(); // this process only imports: keep its memory near the live data (lib/io/heap.ts)
      const dataset = await findDatasetByName(db, opts.dataset, viewerOf(io));
      const report = await importSeeds(db, dataset.id, open(), {
        ...common,
        onError: opts["on-error"],
        actorId: null,
        reportLimit: opts.json ? 100_000 : 20,
        onIssue: opts.json ? undefined : (issue) => io.stdout(`skipped line ${issue.line}: ${issue.reason}\n`),
      });
      if (opts.json) {
        io.stdout(JSON.stringify(report, null, 2) + "\n");
        return;
      }
      for (const dup of report.duplicateLines)
        io.stdout(`duplicate line ${dup.line}: same text as seed #${dup.seedId}\n`);
      if (report.duplicates > report.duplicateLines.length)
        io.stdout(`… and ${formatCount(report.duplicates - report.duplicateLines.length)} more duplicates\n`);
      io.stdout(
        `imported ${formatCounted(report.imported, "seed")} into "${report.dataset}" from ${fileName} (${FILE_FORMAT_LABELS[report.format]}, ${SHAPE_LABELS[report.shape]}): ` +
          `${formatCounted(report.records, "record")}, ${formatCounted(report.duplicates, "duplicate")}, ${formatCount(report.skipped)} skipped\n`,
      );
      for (const overlap of report.overlaps)
        io.stdout(
          `warning: ${formatCounted(overlap.seeds, "seed")} overlap ${overlap.set} (imported and flagged as contaminated: exports leave them out)\n`,
        );
    } catch (error) {
      if (error instanceof ImportError) throw new CliError(`${fileName}: ${error.message}`, 1);
      throw error;
    }
  },
};
