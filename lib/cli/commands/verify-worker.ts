/** Worker thread of `ecd verify` (compiled to dist/cli/verify-worker.mjs): verifies the batches it is sent. */
import { parentPort } from "node:worker_threads";
import { loadLanguageProfiles } from "../../constraints/nlp/langdetect";
import { verifyBatch, type VerifyItem } from "./verify-batch";

parentPort?.on("message", (batch: { id: number; items: VerifyItem[] }) => {
  const results = verifyBatch(batch.items);
  const transfer = [results.strictBytes.buffer as ArrayBuffer, results.looseBytes.buffer as ArrayBuffer];
  parentPort!.postMessage({ id: batch.id, results }, transfer);
});
// The thread starts while the main one is still reading the input: build the tables now.
loadLanguageProfiles();
