import type { Line } from "./lines.ts";
import type { RawRecord } from "./raw-record.ts";

/** JSON Lines: one JSON object per line; a line that is not one is a skippable error. */

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

/** One JSON object record (JSON Lines line or JSON array element), or why it is not one. */
export function parseObject(text: string, line: number): RawRecord {
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

export async function* jsonl(lines: AsyncIterable<Line>): AsyncGenerator<RawRecord> {
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
