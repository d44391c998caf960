/** Worker thread of an import (compiled to dist/cli/import-worker.mjs): prepares its batches (import-batches.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { matchSeeds } from "../decontam/match.ts";
import { BenchmarkIndex } from "./decontam.ts";
import { boundHeapGrowth, settleHeap } from "./heap.ts";
import { type BatchWorkerData, type BatchWorkerMessage, prepareBatches, WORKER_AHEAD } from "./import-batches.ts";

const data = workerData as BatchWorkerData;
const port = parentPort!;
// A small heap of its own: its live data is one batch and the sets (full collections here are cheap).
if (data.boundHeap) boundHeapGrowth(4);
const sets = data.sets.sets.map((s) => ({ id: s.id, name: s.name, index: new BenchmarkIndex(s.name, s.prompts) }));

let credit = WORKER_AHEAD;
let wake: (() => void) | null = null;
port.on("message", () => {
  credit++;
  wake?.();
  wake = null;
});

const send = (message: BatchWorkerMessage) => port.postMessage(message);
try {
  const batches = prepareBatches(data.spoolPath, data.batchSize, (seeds) => ({
    version: data.sets.version,
    seeds,
    matched: matchSeeds(sets, seeds),
  }));
  for await (const batch of batches) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    send({ batch });
    settleHeap();
  }
  send({ done: true });
} catch (error) {
  send({ error: error instanceof Error ? error.message : String(error) });
}
port.unref();
