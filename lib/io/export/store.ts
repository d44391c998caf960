import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import path from "node:path";
import { Zip, ZipPassThrough } from "fflate";

/**
 * Where export bundles live: ECD_EXPORT_DIR (default `exports` in ECD_DATA_DIR, else data/exports). With
 * several app instances it must be a folder they all see; the database records each file's path
 * relative to it, its size and sha256.
 */
export function exportRoot(): string {
  // A folder known only at run time: turbopackIgnore keeps Next's file tracing from including the whole project.
  return path.resolve(
    /* turbopackIgnore: true */ process.env.ECD_EXPORT_DIR || path.join(process.env.ECD_DATA_DIR ?? "data", "exports"),
  );
}

/** A bundle file's absolute path from its stored relative path, refusing anything outside the root. */
export function bundlePath(relative: string): string {
  const root = exportRoot();
  const full = path.resolve(/* turbopackIgnore: true */ root, relative);
  if (!full.startsWith(root + path.sep)) throw new Error(`export file path escapes ECD_EXPORT_DIR: ${relative}`);
  return full;
}

export type WrittenFile = { name: string; byteSize: number; sha256: string };

/** Bytes per write: large enough that the writes' own cost stays small, two of them per open file. */
const CHUNK_BYTES = 1024 * 1024;
/** The most UTF-8 bytes a string of n UTF-16 units can take. */
const maxUtf8Bytes = (n: number) => n * 3;

/**
 * Writes text to a file in 1 MB chunks, hashing and counting bytes on the way. Each text is
 * encoded straight into one of two reused buffers (no concatenated string, no buffer per chunk);
 * a full buffer is hashed and written while the other fills, so the caller computes the next
 * lines during the write, and at most one write is in flight (memory stays two buffers).
 */
export class HashedFile {
  private current = Buffer.allocUnsafe(CHUNK_BYTES);
  private spare = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly hash: Hash = createHash("sha256");
  private byteSize = 0;
  /** The write in flight (it never rejects: a failure is kept in `failure` and thrown on the next call). */
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  private constructor(
    readonly name: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(dir: string, name: string): Promise<HashedFile> {
    // Read-only on disk (the open handle still writes): a bundle file never changes once written, and
    // `ecd export --out` hands the user a hard link to it.
    return new HashedFile(name, await open(path.join(dir, name), "wx", 0o444));
  }

  /**
   * Adds `text`. Returns a promise only when a chunk went out (await it: backpressure), else
   * nothing: most lines just land in the buffer, with no promise per line.
   */
  write(text: string): Promise<void> | undefined {
    if (CHUNK_BYTES - this.used < maxUtf8Bytes(text.length)) return this.writeAfterFlush(text);
    this.used += this.current.write(text, this.used, "utf8");
    return undefined;
  }

  private async writeAfterFlush(text: string): Promise<void> {
    await this.flush();
    // A text longer than a chunk goes out on its own.
    if (CHUNK_BYTES < maxUtf8Bytes(text.length)) return this.send(Buffer.from(text, "utf8"));
    this.used += this.current.write(text, this.used, "utf8");
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    const bytes = this.current.subarray(0, this.used);
    [this.current, this.spare] = [this.spare, this.current];
    this.used = 0;
    await this.send(bytes);
  }

  /** Hashes `bytes` and starts writing them once the previous write is done; `bytes` stay untouched until then. */
  private async send(bytes: Buffer): Promise<void> {
    this.hash.update(bytes);
    this.byteSize += bytes.length;
    await this.inFlight;
    if (this.failure) throw this.failure;
    this.inFlight = this.handle.write(bytes).then(
      () => undefined,
      (error: unknown) => {
        this.failure = error;
      },
    );
  }

  async close(): Promise<WrittenFile> {
    await this.flush();
    await this.inFlight;
    if (this.failure) throw this.failure;
    await this.handle.close();
    return { name: this.name, byteSize: this.byteSize, sha256: this.hash.digest("hex") };
  }

  /** Closes without a result (an export that failed). */
  async abandon(): Promise<void> {
    await this.inFlight;
    await this.handle.close().catch(() => {});
  }
}

/**
 * A stored bundle as one .zip stream (fflate's streaming Zip; entries stored without compression,
 * so the bytes inside are the stored files' bytes). Pull-driven: a file chunk is read only when
 * the consumer asks for more, so memory stays flat for any bundle size.
 */
export function zipStream(files: { name: string; path: string }[], mtime: Date): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const zip = new Zip((error, chunk, final) => {
    if (error) return controller.error(error);
    controller.enqueue(chunk);
    if (final) controller.close();
  });
  async function* steps(): AsyncGenerator<void> {
    for (const file of files) {
      const entry = new ZipPassThrough(file.name);
      // The export's time, not the download's: the same bundle always zips to the same bytes.
      entry.mtime = mtime;
      zip.add(entry);
      for await (const chunk of createReadStream(file.path)) {
        entry.push(chunk as Uint8Array);
        yield;
      }
      entry.push(new Uint8Array(0), true);
      yield;
    }
    zip.end();
  }
  const run = steps();
  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    async pull() {
      await run.next();
    },
    async cancel() {
      zip.terminate();
      await run.return(undefined);
    },
  });
}

/** A stored export bundle as a .zip download ("<data file name>.zip"). */
export function bundleZipResponse(bundle: {
  fileName: string;
  createdAt: Date;
  files: { name: string; path: string }[];
}): Response {
  const zipName = bundle.fileName.replace(/\.jsonl$/, "") + ".zip";
  return new Response(zipStream(bundle.files, bundle.createdAt), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${zipName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
