/** Worker thread of `ecd verify` (compiled to dist/cli/verify-worker.mjs): verifies the batches it is sent. */
import { parentPort } from "node:worker_threads";
import { verifyBatch, type VerifyItem } from "./verify-batch";

parentPort?.on("message", (batch: { id: number; items: VerifyItem[] }) => {
  parentPort!.postMessage({ id: batch.id, results: verifyBatch(batch.items) });
});
