import { ImportError, formatBytes } from "../errors.ts";
import { type ByteSource, type ImportLimits, type Line, readLines } from "./lines.ts";

/** File formats the importer reads. */
export const FILE_FORMATS = ["jsonl", "json", "csv", "tsv"] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const FILE_FORMAT_LABELS: Record<FileFormat, string> = {
  jsonl: "JSON Lines",
  json: "JSON array",
  csv: "CSV",
  tsv: "TSV",
};

/** One record of the file: a plain object, or why the record cannot be read (skippable). */
export type RawRecord =
  | { line: number; value: Record<string, unknown>; error?: undefined }
  | { line: number; error: string; value?: undefined };

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

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  return `a ${typeof value}`;
}

/** JSON.parse's message without V8's "in JSON at position N", with a column instead. */
function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /position (\d+)/.exec(message);
  const position = match ? Number(match[1]) : null;
  let detail = message
    .replace(/^Unexpected token '?(.)'?, ".*" is not valid JSON$/s, "unexpected character '$1'")
    .replace(/ in JSON at position \d+.*$/s, "");
  detail = detail.charAt(0).toLowerCase() + detail.slice(1);
  const truncated =
    /Unexpected end of JSON input|Unterminated string/.test(message) || (position !== null && position >= text.length);
  if (truncated) return `not valid JSON: ${detail}: the record is cut off (truncated JSON?)`;
  return `not valid JSON: ${detail}${position !== null ? ` at column ${position + 1}` : ""}`;
}

function parseObject(text: string, line: number): RawRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, error: describeJsonError(error, text) };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { line, error: `expected a JSON object with the record's fields, got ${describeValue(value)}` };
  }
  return { line, value: value as Record<string, unknown> };
}

async function* jsonl(lines: AsyncIterable<Line>): AsyncGenerator<RawRecord> {
  for await (const line of lines) {
    if (line.error !== undefined) {
      yield { line: line.line, error: line.error };
      continue;
    }
    const text = line.text.trim();
    if (!text) continue;
    yield parseObject(text, line.line);
  }
}

/**
 * Streams the elements of a top-level JSON array, one record at a time: scans brackets and
 * strings to find where each element ends, then JSON.parse()s just that element. Memory is
 * bounded by the largest element (limits.maxLineBytes).
 */
async function* jsonArray(
  lines: AsyncIterable<Line>,
  limits: ImportLimits,
  partial: boolean,
): AsyncGenerator<RawRecord> {
  type State = "start" | "value" | "after" | "element" | "end";
  let state = "start" as State;
  let afterComma = false;
  let parts: string[] = [];
  let size = 0;
  let startLine = 0;
  let depth = 0;
  let inString = false;
  let escape = false;
  let primitive = false;
  let lastLine = 0;

  const finish = (): RawRecord => {
    const record = parseObject(parts.join(""), startLine);
    parts = [];
    size = 0;
    state = "after";
    return record;
  };

  for await (const line of lines) {
    lastLine = line.line;
    if (line.error !== undefined) throw new ImportError(line.error, line.line);
    const text = line.text;
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (state === "element") {
        let j = i;
        let ended = false;
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (inString) {
            if (escape) escape = false;
            else if (c === 92) escape = true;
            else if (c === 34) {
              inString = false;
              if (depth === 0) {
                j++;
                ended = true;
                break;
              }
            }
          } else if (primitive) {
            if (c === 44 || c === 93 || c === 32 || c === 9 || c === 13) {
              ended = true;
              break;
            }
          } else if (c === 34) inString = true;
          else if (c === 123 || c === 91) depth++;
          else if (c === 125 || c === 93) {
            depth--;
            if (depth === 0) {
              j++;
              ended = true;
              break;
            }
          }
        }
        parts.push(text.slice(i, j));
        size += j - i;
        if (size > limits.maxLineBytes)
          throw new ImportError(
            `the record starting here is larger than the ${formatBytes(limits.maxLineBytes)} limit (is the JSON well formed?)`,
            startLine,
          );
        i = j;
        if (ended) yield finish();
        continue;
      }
      const c = text[i]!;
      if (c === " " || c === "\t" || c === "\r") {
        i++;
        continue;
      }
      if (state === "start") {
        if (c !== "[") {
          throw new ImportError(
            c === "{"
              ? "expected a JSON array of records ('['), but the file starts with '{': is it JSON Lines (one object per line)? Choose the JSON Lines format"
              : `expected a JSON array of records ('['), found '${c}'`,
            line.line,
          );
        }
        state = "value";
        afterComma = false;
        i++;
      } else if (state === "value") {
        if (c === "]") {
          if (afterComma)
            throw new ImportError("a ',' right before ']': JSON does not allow a trailing comma", line.line);
          state = "end";
          i++;
        } else if (c === ",") {
          throw new ImportError("a ',' where a record was expected (two commas in a row?)", line.line);
        } else {
          state = "element";
          startLine = line.line;
          depth = 0;
          inString = false;
          escape = false;
          primitive = !(c === "{" || c === "[" || c === '"');
        }
      } else if (state === "after") {
        if (c === ",") {
          state = "value";
          afterComma = true;
          i++;
        } else if (c === "]") {
          state = "end";
          i++;
        } else {
          throw new ImportError(
            `expected ',' or ']' after the record that starts on line ${startLine}, found '${c}'`,
            line.line,
          );
        }
      } else {
        throw new ImportError("unexpected text after the closing ']' of the JSON array", line.line);
      }
    }
    if (state === "element") {
      if (primitive && !inString) yield finish();
      else {
        parts.push("\n");
        size++;
      }
    }
  }
  if (partial) return;
  if (state === "element") {
    yield { line: startLine, error: "the file ends inside this record: the JSON is cut off (truncated file?)" };
  } else if (state === "value" || state === "after") {
    yield { line: lastLine, error: "the JSON array is never closed: the file ends before its ']' (truncated file?)" };
  }
}

/**
 * RFC 4180 CSV (or TSV): quoted fields may hold delimiters, doubled quotes and line breaks.
 * The first record is the header. Rows with a different number of fields are skippable
 * errors; a quote that is never closed ends the import (it swallowed the rest of the file).
 */
async function* delimited(
  lines: AsyncIterable<Line>,
  delimiter: string,
  limits: ImportLimits,
  partial: boolean,
  onHeader: (columns: string[]) => void,
): AsyncGenerator<RawRecord> {
  let columns: string[] | null = null;
  let fields: string[] = [];
  let field = "";
  let inQuotes = false;
  let recordLine = 0;
  let size = 0;

  const header = (cells: string[], line: number) => {
    const names = cells.map((cell) => cell.trim());
    names.forEach((name, i) => {
      if (!name) throw new ImportError(`column ${i + 1} of the header has no name`, line);
      if (names.indexOf(name) !== i) throw new ImportError(`the header names column "${name}" twice`, line);
      if (i === 0 && /^[[{]/.test(name))
        throw new ImportError(
          "the header starts with '{' or '[': the file looks like JSON, not CSV; choose the JSON or JSON Lines format",
          line,
        );
    });
    columns = names;
    onHeader(names);
  };

  for await (const line of lines) {
    if (line.error !== undefined) {
      if (inQuotes || columns === null) throw new ImportError(line.error, line.line);
      yield { line: line.line, error: line.error };
      continue;
    }
    const text = line.text;
    if (!inQuotes) {
      if (text.trim() === "") continue;
      recordLine = line.line;
      size = 0;
    }
    size += text.length + 1;
    if (size > limits.maxLineBytes) {
      throw new ImportError(
        inQuotes
          ? `a quoted field opened on this line runs on for more than ${formatBytes(limits.maxLineBytes)}: is a closing quote missing?`
          : `the line is longer than the ${formatBytes(limits.maxLineBytes)} limit`,
        recordLine,
      );
    }
    let i = 0;
    const n = text.length;
    let endOfRecord = false;
    while (!endOfRecord) {
      if (inQuotes) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          field += text.slice(i) + "\n";
          break;
        }
        field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          field += '"';
          i = q + 2;
        } else {
          inQuotes = false;
          i = q + 1;
        }
        continue;
      }
      if (i < n && field === "" && text.charCodeAt(i) === 34) {
        inQuotes = true;
        i++;
        continue;
      }
      const d = text.indexOf(delimiter, i);
      if (d === -1) {
        field += text.slice(i);
        fields.push(field);
        field = "";
        endOfRecord = true;
      } else {
        field += text.slice(i, d);
        fields.push(field);
        field = "";
        i = d + 1;
      }
    }
    if (!endOfRecord) continue;
    const cells = fields;
    fields = [];
    if (columns === null) {
      header(cells, recordLine);
      continue;
    }
    const names: string[] = columns;
    if (cells.length !== names.length) {
      yield {
        line: recordLine,
        error: `the row has ${cells.length} field${cells.length === 1 ? "" : "s"} but the header has ${names.length}${cells.length > names.length ? " (a value with a delimiter that is not in quotes?)" : ""}`,
      };
      continue;
    }
    const value: Record<string, unknown> = {};
    names.forEach((name, k) => (value[name] = cells[k]));
    yield { line: recordLine, value };
  }
  if (inQuotes && !partial)
    throw new ImportError(
      "a quoted field opened on this line is never closed (truncated file or a stray '\"')",
      recordLine,
    );
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
