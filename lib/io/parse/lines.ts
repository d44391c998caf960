import { Buffer, isUtf8 } from "node:buffer";
import { ImportError, formatBytes } from "../errors.ts";

/** Size limits of one import. The upload page uses smaller ones than the CLI (see DEFAULT_LIMITS). */
export type ImportLimits = {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Largest line (JSONL, CSV) or record (JSON array, multi-line CSV record), in bytes. */
  maxLineBytes: number;
};

export const DEFAULT_LIMITS: ImportLimits = { maxBytes: 16 * 1024 ** 3, maxLineBytes: 8 * 1024 ** 2 };
export const UPLOAD_LIMITS: ImportLimits = { maxBytes: 512 * 1024 ** 2, maxLineBytes: 8 * 1024 ** 2 };

/** One physical line: its text (without the line break), or why it cannot be read. */
export type Line =
  { line: number; text: string; error?: undefined } | { line: number; error: string; text?: undefined };

/** Byte sources: a Node stream, a web ReadableStream, or any async iterable of chunks. */
export type ByteSource = AsyncIterable<Uint8Array>;

const SIGNATURES: [number[], string][] = [
  [[0xff, 0xfe, 0x00, 0x00], "the file is UTF-32 encoded (it starts with a UTF-32 byte-order mark); save it as UTF-8"],
  [[0x00, 0x00, 0xfe, 0xff], "the file is UTF-32 encoded (it starts with a UTF-32 byte-order mark); save it as UTF-8"],
  [[0xff, 0xfe], "the file is UTF-16 encoded (it starts with the byte-order mark FF FE); save it as UTF-8"],
  [[0xfe, 0xff], "the file is UTF-16 encoded (it starts with the byte-order mark FE FF); save it as UTF-8"],
  [[0x1f, 0x8b], "the file is gzip-compressed; decompress it first"],
  [[0x50, 0x4b, 0x03, 0x04], "the file is a ZIP archive (an Excel workbook?); export it as CSV, JSON or JSON Lines"],
  [[0x50, 0x41, 0x52, 0x31], "the file is Parquet; convert it to JSON Lines or CSV first"],
  [[0x28, 0xb5, 0x2f, 0xfd], "the file is zstd-compressed; decompress it first"],
];

/** Offset of the first byte that breaks UTF-8 in `bytes` (only called once isUtf8 said no). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= bytes.length) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).toUpperCase().padStart(2, "0");
}

/**
 * Splits a byte stream into lines, streaming (memory stays bounded by the longest line), with
 * the checks every format shares: total size, line size, UTF-8 validity, byte-order marks,
 * binary content. A UTF-8 byte-order mark at the very start is dropped (spreadsheets write one);
 * any other encoding signature ends the import with a clear message. Per-line problems (not
 * UTF-8, too long, a NUL byte, a stray byte-order mark) come back as `{ line, error }` so the
 * format parser decides whether the line can be skipped. With `partial`, the source is a prefix
 * of the file (the upload preview): the last, possibly cut, line is dropped.
 */
export async function* readLines(
  source: ByteSource,
  limits: ImportLimits,
  options: { partial?: boolean } = {},
): AsyncGenerator<Line> {
  let total = 0;
  let lineNo = 0;
  let parts: Buffer[] = [];
  let partsLength = 0;
  let tooLong = false;
  let first = true;

  const emit = (bytes: Buffer): Line => {
    lineNo++;
    if (tooLong) {
      tooLong = false;
      return { line: lineNo, error: `the line is longer than the ${formatBytes(limits.maxLineBytes)} limit` };
    }
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    const body = end === bytes.length ? bytes : bytes.subarray(0, end);
    if (body.indexOf(0) !== -1) return { line: lineNo, error: "the line contains a NUL byte: is this a binary file?" };
    if (!isUtf8(body)) {
      const at = firstInvalidUtf8(body);
      return {
        line: lineNo,
        error: `the line is not valid UTF-8 (byte 0x${hex(body[at])} at byte ${at + 1}); save the file as UTF-8`,
      };
    }
    const text = body.toString("utf8");
    if (text.charCodeAt(0) === 0xfeff)
      return {
        line: lineNo,
        error: "the line starts with a byte-order mark (U+FEFF): were several files joined together?",
      };
    return { line: lineNo, text };
  };

  for await (let chunk of withHead(source, 512)) {
    if (total + chunk.length > limits.maxBytes) {
      // The line holding the first byte past the limit.
      const over = limits.maxBytes - total;
      let line = lineNo + 1;
      for (let i = chunk.indexOf(0x0a); i !== -1 && i < over; i = chunk.indexOf(0x0a, i + 1)) line++;
      throw new ImportError(`the file is larger than the ${formatBytes(limits.maxBytes)} limit`, line);
    }
    total += chunk.length;
    if (first) {
      first = false;
      for (const [signature, message] of SIGNATURES) {
        if (signature.every((byte, i) => chunk[i] === byte)) throw new ImportError(message, 1);
      }
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      const head = chunk.subarray(0, 512);
      if (head.indexOf(0) !== -1)
        throw new ImportError(
          "the file contains NUL bytes: it looks like a binary file, not JSON, JSON Lines or CSV",
          1,
        );
    }
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      const length = end - start;
      if (!tooLong) {
        if (partsLength + length > limits.maxLineBytes) {
          tooLong = true;
          parts = [];
          partsLength = 0;
        } else if (length > 0) {
          parts.push(chunk.subarray(start, end));
          partsLength += length;
        }
      }
      if (nl === -1) break;
      const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partsLength);
      parts = [];
      partsLength = 0;
      yield emit(bytes);
      start = nl + 1;
    }
    // Keep the carried-over part independent of the chunk (the source may reuse its buffer).
    if (parts.length > 0 && parts[parts.length - 1]!.buffer === chunk.buffer) {
      const last = parts.pop()!;
      parts.push(Buffer.from(last));
    }
  }
  if (first) throw new ImportError("the file is empty (0 bytes)", 1);
  if ((parts.length > 0 || tooLong) && !options.partial) yield emit(Buffer.concat(parts, partsLength));
}

/** The source as Buffers, the first one at least `head` bytes long (when the file is), for the signature checks. */
async function* withHead(source: ByteSource, head: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let started = false;
  for await (const raw of source) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (chunk.length === 0) continue;
    if (started) {
      yield chunk;
      continue;
    }
    pending.push(chunk);
    pendingLength += chunk.length;
    if (pendingLength >= head) {
      started = true;
      yield Buffer.concat(pending, pendingLength);
      pending = [];
    }
  }
  if (!started && pendingLength > 0) yield Buffer.concat(pending, pendingLength);
}

/** Wraps a string (tests, previews) as a byte source. */
export async function* bytesOf(...chunks: (string | Uint8Array)[]): ByteSource {
  for (const chunk of chunks) yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}

/** A web ReadableStream (a request body, File.stream()) as a byte source; cancels the stream if the reader stops early. */
export async function* webStreamSource(stream: ReadableStream<Uint8Array>): ByteSource {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
