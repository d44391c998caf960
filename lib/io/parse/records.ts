import { ImportError } from "../errors.ts";
import { delimited } from "./delimited.ts";
import { jsonArray } from "./json-array.ts";
import { jsonl } from "./jsonl.ts";
import { type ByteSource, type ImportLimits, type Line, readLines } from "./lines.ts";
import type { RawRecord } from "./raw-record.ts";

/**
 * Opening an import file: which format it is (given, by extension, or sniffed), then a stream of
 * records from the format's reader: jsonl.ts, json-array.ts, delimited.ts (CSV/TSV).
 */

export type { RawRecord };

/** File formats the importer reads. */
export const FILE_FORMATS = ["jsonl", "json", "csv", "tsv"] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const FILE_FORMAT_LABELS: Record<FileFormat, string> = {
  jsonl: "JSON Lines",
  json: "JSON array",
  csv: "CSV",
  tsv: "TSV",
};

export type RecordStream = {
  format: FileFormat;
  /** CSV/TSV header names; null for JSON formats. */
  columns: string[] | null;
  records: AsyncGenerator<RawRecord>;
};

const EXTENSIONS: Record<string, FileFormat | "json-family"> = {
  jsonl: "jsonl",
  ndjson: "jsonl",
  jsonlines: "jsonl",
  json: "json-family",
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
};

const UNSUPPORTED = new Set([
  "parquet",
  "xlsx",
  "xls",
  "xml",
  "yaml",
  "yml",
  "arrow",
  "feather",
  "pdf",
  "docx",
  "zip",
  "gz",
  "zst",
  "tar",
  "pkl",
  "pickle",
  "html",
  "md",
]);

function extensionOf(fileName: string | undefined): string | null {
  const match = fileName ? /\.([A-Za-z0-9]+)$/.exec(fileName) : null;
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * Opens an import file as a stream of records. The format is the one given, else the file
 * name's extension, else sniffed from the first line; a file that is plainly not the format
 * it claims to be stops at once with a message saying what it looks like instead.
 */
export async function openRecords(
  source: ByteSource,
  options: { format?: FileFormat; fileName?: string; limits: ImportLimits; partial?: boolean },
): Promise<RecordStream> {
  const lines = readLines(source, options.limits, { partial: options.partial });
  const peeked: Line[] = [];
  let firstText: string | null = null;
  let firstLine = 1;
  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    peeked.push(next.value);
    if (next.value.error !== undefined) throw new ImportError(next.value.error, next.value.line);
    if (next.value.text.trim() !== "") {
      firstText = next.value.text.trimStart();
      firstLine = next.value.line;
      break;
    }
  }
  if (firstText === null) throw new ImportError("the file has no records: it holds only blank lines", 1);
  async function* replay(): AsyncGenerator<Line> {
    yield* peeked;
    yield* lines;
  }

  const looksJson = firstText.startsWith("{") || firstText.startsWith("[");
  const ext = extensionOf(options.fileName);
  let format: FileFormat;
  if (options.format) {
    format = options.format;
    if (format === "jsonl" && !firstText.startsWith("{")) {
      throw new ImportError(
        firstText.startsWith("[")
          ? "expected JSON Lines (one object per line), but the file starts with '[': is it a JSON array? Choose the JSON array format"
          : "expected JSON Lines (one object per line), but the first line does not start with '{' (is it CSV?)",
        firstLine,
      );
    }
    if ((format === "csv" || format === "tsv") && looksJson) {
      throw new ImportError(
        `expected ${FILE_FORMAT_LABELS[format]}, but the file starts with '${firstText[0]}': it looks like JSON`,
        firstLine,
      );
    }
  } else {
    const byExt = ext ? EXTENSIONS[ext] : undefined;
    if (byExt === "json-family" || byExt === "jsonl") {
      if (firstText.startsWith("[")) format = "json";
      else if (firstText.startsWith("{")) format = "jsonl";
      else
        throw new ImportError(
          `the file is named .${ext} but does not start with '[' or '{': it is not JSON`,
          firstLine,
        );
    } else if (byExt === "csv" || byExt === "tsv") {
      if (looksJson)
        throw new ImportError(
          `the file is named .${ext} but starts with '${firstText[0]}': it looks like JSON; choose the JSON or JSON Lines format`,
          firstLine,
        );
      format = byExt;
    } else if (ext && UNSUPPORTED.has(ext)) {
      throw new ImportError(
        `unknown format: .${ext} files cannot be imported; use JSON Lines (.jsonl), a JSON array (.json), CSV (.csv) or TSV (.tsv)`,
        firstLine,
      );
    } else if (firstText.startsWith("[")) format = "json";
    else if (firstText.startsWith("{")) format = "jsonl";
    else if (firstText.includes("\t")) format = "tsv";
    else if (firstText.includes(",")) format = "csv";
    else {
      throw new ImportError(
        `unknown format: cannot tell what kind of file${options.fileName ? ` "${options.fileName}"` : ""} is; use JSON Lines, a JSON array, CSV or TSV (or choose the format)`,
        firstLine,
      );
    }
  }

  const partial = options.partial ?? false;
  if (format === "jsonl") return { format, columns: null, records: jsonl(replay()) };
  if (format === "json") return { format, columns: null, records: jsonArray(replay(), options.limits, partial) };

  // CSV/TSV: read the header now so callers see the columns before the first row.
  let columns: string[] | null = null;
  const records = delimited(
    replay(),
    format === "tsv" ? "\t" : ",",
    options.limits,
    partial,
    (names) => (columns = names),
  );
  const first = await records.next();
  if (columns === null) throw new ImportError("the file has no header row", firstLine);
  async function* rest(): AsyncGenerator<RawRecord> {
    if (!first.done) yield first.value;
    yield* records;
  }
  return { format, columns, records: rest() };
}
