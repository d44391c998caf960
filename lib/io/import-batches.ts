import { createReadStream, existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { type EncodedSeed, encodeImportedSeed } from "../db/import-rows.ts";
import type { ImportedSeedCheck } from "../decontam/index.ts";
import type { ImportedSeedText } from "../decontam/match.ts";
import type { SeedDraft } from "./shapes.ts";
import { seedText } from "./hash.ts";
import { readLines, type ImportLimits } from "./parse/lines.ts";

/**
 * Phase 2 of an import, before the database: the spooled records read back in batches, each
 * batch's repeats told apart, its seeds checked for decontamination and encoded as the insert's
 * JSON rows (lib/db/import-sql.ts). All CPU work; the importing thread then only writes.
 *
 * From the compiled CLI (dist/cli/import-worker.mjs beside it) this runs in a worker thread that
 * stays up to WORKER_AHEAD batches ahead of the writes, so on two cores the matching and encoding
 * overlap SQLite's inserts and memory stays bounded. From TypeScript source (tsx, vitest, the web
 * server) there is no compiled worker and the same generator runs on the importing thread.
 */

/** One validated record, spooled between the two phases (compact: a JSON array per line). */
export type Spooled = [
  line: number,
  hash: string,
  externalId: string | null,
  instruction: string,
  input: string,
  referenceResponse: string | null,
  constraints: SeedDraft["constraints"],
  metadata: Record<string, unknown>,
];

/** A batch ready to write. */
export type PreparedBatch = {
  /** Every record of the batch in line order: its line, content hash, and whether an earlier one in the batch has that hash. */
  rows: [line: number, hash: string, repeat: boolean][];
  /** The first record of each content hash, encoded for the insert. */
  fresh: EncodedSeed[];
  /** Their decontamination check (checkImportedSeeds stores it, or redoes it if the sets changed since). */
  check: ImportedSeedCheck;
};

/** Matches a batch's seeds against the benchmark sets (matchImportedSeeds, or the worker's copy of the sets). */
export type BatchMatcher = (seeds: ImportedSeedText[]) => ImportedSeedCheck | Promise<ImportedSeedCheck>;

/** No size limits on reading the spool back: this import wrote it from records already checked. */
const SPOOL_LIMITS: ImportLimits = { maxBytes: Number.MAX_SAFE_INTEGER, maxLineBytes: Number.MAX_SAFE_INTEGER };

async function prepareBatch(rows: Spooled[], match: BatchMatcher): Promise<PreparedBatch> {
  // Repeats within the batch are told apart here; the rest is the database's to judge.
  const inBatch = new Set<string>();
  const out: PreparedBatch["rows"] = [];
  const fresh: Spooled[] = [];
  for (const row of rows) {
    const repeat = inBatch.has(row[1]);
    if (!repeat) {
      inBatch.add(row[1]);
      fresh.push(row);
    }
    out.push([row[0], row[1], repeat]);
  }
  const texts = fresh.map((row) => seedText(row[3], row[4]));
  const check = await match(
    fresh.map((row, i) => ({
      contentHash: row[1],
      text: texts[i]!,
      constraintTexts: row[6].map((c) => c.text),
    })),
  );
  const encoded = fresh.map(
    ([line, hash, externalId, instruction, input, referenceResponse, constraints, metadata], i) =>
      encodeImportedSeed({
        externalId: externalId ?? `line:${line}`,
        instruction,
        input,
        referenceResponse,
        contentHash: hash,
        metadata,
        nodeInstruction: texts[i]!,
        constraints,
      }),
  );
  return { rows: out, fresh: encoded, check };
}

/** The spool's records in batches of `batchSize`, prepared (the last one may be empty when the spool is). */
export async function* prepareBatches(
  spoolPath: string | null,
  batchSize: number,
  match: BatchMatcher,
): AsyncGenerator<PreparedBatch> {
  let batch: Spooled[] = [];
  if (spoolPath)
    for await (const line of readLines(createReadStream(spoolPath, { highWaterMark: 1024 * 1024 }), SPOOL_LIMITS)) {
      batch.push(JSON.parse(line.text!) as Spooled);
      if (batch.length >= batchSize) {
        yield await prepareBatch(batch, match);
        batch = [];
      }
    }
  yield await prepareBatch(batch, match);
}

/** What the worker thread is started with. */
export type BatchWorkerData = {
  spoolPath: string | null;
  batchSize: number;
  sets: import("../decontam/index.ts").SetPrompts;
  boundHeap: boolean;
};

/** Messages from the worker: a batch, the end, or a failure. */
export type BatchWorkerMessage = { batch: PreparedBatch } | { done: true } | { error: string };

/** Batches a worker may have prepared and not yet seen written (bounds memory: each holds ~2,000 rows). */
export const WORKER_AHEAD = 2;

/** The compiled worker beside the compiled CLI, or null when running from TypeScript source. */
function compiledWorker(): URL | null {
  const url = new URL("./import-worker.mjs", import.meta.url);
  return url.protocol === "file:" && existsSync(url) ? url : null;
}

/**
 * prepareBatches in a worker thread when one is compiled (else null). The worker matches against
 * the sets as they were at its start (`data.sets`); a set added or removed later is caught by
 * checkImportedSeeds, which rechecks a batch whose version is no longer current.
 */
export function workerBatches(data: BatchWorkerData): AsyncGenerator<PreparedBatch> | null {
  const url = compiledWorker();
  return url
    ? fromWorker(new Worker(url, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 4 } }))
    : null;
}

async function* fromWorker(worker: Worker): AsyncGenerator<PreparedBatch> {
  const queue: BatchWorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on("message", (message: BatchWorkerMessage) => {
    queue.push(message);
    notify();
  });
  worker.on("error", (error) => {
    failure ??= error;
    notify();
  });
  worker.on("exit", (code) => {
    failure ??= new Error(`the import's worker thread stopped (exit code ${code})`);
    notify();
  });
  try {
    for (;;) {
      while (queue.length === 0 && failure === null) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift();
      if (!message) throw failure;
      if ("error" in message) throw new Error(message.error);
      if ("done" in message) return;
      worker.postMessage("next"); // one batch taken: the worker may prepare another
      yield message.batch;
    }
  } finally {
    worker.removeAllListeners("exit");
    await worker.terminate();
  }
}
