import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HashedFile } from "./store.ts";

describe("HashedFile", () => {
  let dir = "";
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes exactly the texts' UTF-8 bytes, across chunk boundaries, with lines longer than a chunk and multi-byte characters", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "hashed-file-"));
    const texts: string[] = [];
    for (let i = 0; i < 30_000; i++) texts.push(`{"line":${i},"text":"${i % 7 === 0 ? "é😀中" : "plain"}"}\n`);
    texts.splice(100, 0, "x".repeat(3 * 1024 * 1024) + "\n"); // longer than a chunk
    texts.splice(20_000, 0, "ü".repeat(400_000) + "\n"); // its bytes would fit a chunk, its 3-bytes-per-unit bound does not
    texts.push(""); // nothing
    const file = await HashedFile.create(dir, "data.jsonl");
    for (const text of texts) await file.write(text);
    const written = await file.close();

    const expected = Buffer.from(texts.join(""), "utf8");
    const bytes = await readFile(path.join(dir, "data.jsonl"));
    expect(bytes.equals(expected)).toBe(true);
    expect(written).toEqual({
      name: "data.jsonl",
      byteSize: expected.length,
      sha256: createHash("sha256").update(expected).digest("hex"),
    });
  });

  it("fails on the first write after the file's write failed", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "hashed-file-"));
    const file = await HashedFile.create(dir, "data.jsonl");
    // Closing the handle underneath makes the next write fail (EBADF).
    await (file as unknown as { handle: { close(): Promise<void> } }).handle.close();
    await expect(
      (async () => {
        for (let i = 0; i < 5; i++) await file.write("y".repeat(400_000));
        await file.close();
      })(),
    ).rejects.toThrow();
  });
});
