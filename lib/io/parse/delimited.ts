import { CsvError, parse, type Info } from "csv-parse";
import { ImportError, formatBytes } from "../errors.ts";
import type { ImportLimits, Line } from "./lines.ts";
import type { RawRecord } from "./raw-record.ts";

/**
 * CSV and TSV (RFC 4180) through csv-parse: quoted fields may hold delimiters, doubled quotes and
 * line breaks; records end at LF, CRLF or a lone CR (old Mac files). The first record is the
 * header. Rows with a different number of fields are skippable errors; text after a closing
 * quote (`"abc"def`, which was once read as `abcdef`), a quote inside an unquoted field, and a
 * quote that is never closed end the import, with the line.
 *
 * Lines come from lines.ts (its byte-level checks and line-numbered messages stay ours) and are
 * fed to csv-parse one at a time; a record's line is where it starts, from csv-parse's count.
 */

type Parsed = { record: string[]; raw: string; info: Info };

const LINE_BREAK = /\r\n|\n|\r/g;

/** The line a record starts on: csv-parse reports the line it ends on. */
function startLine({ raw, info }: Parsed): number {
  const body = raw.replace(/^(?:\r\n|\n|\r)+/, "").replace(/(?:\r\n|\n|\r)$/, "");
  return info.lines - (body.match(LINE_BREAK)?.length ?? 0);
}

const QUOTE_ADVICE = 'quote the whole field and double the quotes inside it ("abc""def")';

function describeCsvError(error: CsvError): string {
  if (error.code === "CSV_INVALID_CLOSING_QUOTE")
    return `text follows the closing quote of a field (${error.message.replace(/^Invalid Closing Quote: got ("[^"]*").*$/s, "got $1")}): ${QUOTE_ADVICE}`;
  if ((error.code as string) === "INVALID_OPENING_QUOTE")
    return `a quote inside a field that does not start with one (${error.message.replace(/^.*(value is "[^"]*").*$/s, "$1")}): ${QUOTE_ADVICE}`;
  return error.message.replace(/\s+at line \d+/, "");
}

export async function* delimited(
  lines: AsyncIterable<Line>,
  delimiter: string,
  limits: ImportLimits,
  partial: boolean,
  onHeader: (columns: string[]) => void,
): AsyncGenerator<RawRecord> {
  const parser = parse({
    delimiter,
    info: true,
    raw: true,
    relax_column_count: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    skip_empty_lines: true,
  });
  parser.on("error", () => {}); // read synchronously from `parser.errored` below
  let columns: string[] | null = null;
  /**
   * The lines fed since the last record csv-parse emitted. csv-parse emits a record only once it
   * has seen the next non-blank line, so these are the record being read and maybe one finished
   * line; an odd number of quotes in them means a quoted field is still open (RFC 4180 quotes
   * come in pairs; a stray quote inside an unquoted field can mislead this, only to stop an
   * import that had an unreadable line where it could have skipped it).
   */
  let open: { line: number; size: number; blank: boolean; quotes: number }[] = [];
  const insideQuotes = () => open.reduce((n, l) => n + l.quotes, 0) % 2 === 1;
  /** Where the record with the open quoted field starts: the earliest line after which the quotes are unbalanced. */
  const openRecordStart = (): number => {
    let start = open.length - 1;
    for (let parity = 0, k = open.length - 1; k >= 0; k--) {
      parity = (parity + open[k]!.quotes) % 2;
      if (parity === 1 && !open[k]!.blank) start = k;
    }
    return Math.max(0, start);
  };

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

  /** Records csv-parse completed since the last call, as RawRecords (the header is taken, not returned). */
  function* drain(): Generator<RawRecord> {
    const error = parser.errored;
    if (error instanceof CsvError) {
      if (error.code === "CSV_QUOTE_NOT_CLOSED") {
        if (partial) return;
        throw new ImportError(
          "a quoted field opened on this line is never closed (truncated file or a stray '\"')",
          open[openRecordStart()]?.line ?? 1,
        );
      }
      throw new ImportError(describeCsvError(error), (error as { lines?: number }).lines ?? 1);
    }
    if (error) throw error;
    let parsed: Parsed | null;
    while ((parsed = parser.read() as Parsed | null) !== null) {
      const end = parsed.info.lines;
      open = open.filter((l) => l.line > end);
      const line = startLine(parsed);
      const cells = parsed.record;
      if (cells.length === 1 && cells[0]!.trim() === "") continue; // a line of spaces
      if (columns === null) {
        header(cells, line);
        continue;
      }
      const names: string[] = columns;
      if (cells.length !== names.length) {
        yield {
          line,
          error: `the row has ${cells.length} field${cells.length === 1 ? "" : "s"} but the header has ${names.length}${cells.length > names.length ? " (a value with a delimiter that is not in quotes?)" : ""}`,
        };
        continue;
      }
      const value: Record<string, unknown> = {};
      names.forEach((name, k) => (value[name] = cells[k]));
      yield { line, value };
    }
  }

  for await (const line of lines) {
    if (line.error !== undefined) {
      // An empty line in its place keeps csv-parse's count; then see whether a record is still open.
      if (columns === null || insideQuotes()) throw new ImportError(line.error, line.line);
      open.push({ line: line.line, size: 1, blank: true, quotes: 0 });
      parser.write("\n");
      yield* drain();
      yield { line: line.line, error: line.error };
      continue;
    }
    const quotes = line.text.split('"').length - 1;
    open.push({ line: line.line, size: line.text.length + 1, blank: line.text.trim() === "", quotes });
    parser.write(line.text + "\n");
    yield* drain();
    if (!insideQuotes()) continue;
    const spanned = open.slice(openRecordStart());
    if (spanned.length > 1 && spanned.reduce((n, l) => n + l.size, 0) > limits.maxLineBytes)
      throw new ImportError(
        `a quoted field opened on this line runs on for more than ${formatBytes(limits.maxLineBytes)}: is a closing quote missing?`,
        spanned[0]!.line,
      );
  }
  parser.end();
  yield* drain();
  parser.destroy();
}
