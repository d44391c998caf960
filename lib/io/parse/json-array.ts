import { ImportError, formatBytes } from "../errors.ts";
import { parseObject } from "./jsonl.ts";
import type { ImportLimits, Line } from "./lines.ts";
import type { RawRecord } from "./raw-record.ts";

/**
 * Streams the elements of a top-level JSON array, one record at a time: scans brackets and
 * strings to find where each element ends, then JSON.parse()s just that element. Memory is
 * bounded by the largest element (limits.maxLineBytes).
 */
export async function* jsonArray(
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
