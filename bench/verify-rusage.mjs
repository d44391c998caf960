// Preloaded into the `ecd verify` processes of bench/verify-process.ts (NODE_OPTIONS=--import):
// on exit, the main thread prints the CPU time of the whole process (all threads) to stderr.
import { isMainThread } from "node:worker_threads";

if (isMainThread) {
  process.on("exit", () => {
    const { userCPUTime, systemCPUTime } = process.resourceUsage();
    process.stderr.write(`ECD_BENCH_RUSAGE ${JSON.stringify({ userCPUTime, systemCPUTime })}\n`);
  });
}
