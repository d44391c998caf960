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

const CHUNK_CHARS = 64 * 1024;

/** Writes text to a file in 64 KB chunks, hashing and counting bytes on the way. */
export class HashedFile {
  private buffer = "";
  private readonly hash: Hash = createHash("sha256");
  private byteSize = 0;

  private constructor(
    readonly name: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(dir: string, name: string): Promise<HashedFile> {
    return new HashedFile(name, await open(path.join(dir, name), "wx"));
  }

  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= CHUNK_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buffer) return;
    const bytes = Buffer.from(this.buffer, "utf8");
    this.buffer = "";
    this.hash.update(bytes);
    this.byteSize += bytes.length;
    await this.handle.write(bytes);
  }

  async close(): Promise<WrittenFile> {
    await this.flush();
    await this.handle.close();
    return { name: this.name, byteSize: this.byteSize, sha256: this.hash.digest("hex") };
  }

  /** Closes without a result (an export that failed). */
  async abandon(): Promise<void> {
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
