/**
 * The LLM side of bench/jobs.ts in its own process (as a real model server would be): a local
 * OpenAI-compatible server with a fixed latency and the scripted model, printing its URL on the
 * first line of stdout, its request count on every "count" line of stdin, until stdin closes.
 *
 * In-flight trace: "mark" starts it (and clears the last), "trace" prints the mean number of
 * requests in flight per 100 ms since the mark (sampled every 2 ms), as a JSON array.
 */
import { createInterface } from "node:readline";
import { startLlmServer } from "../test/llm-server.ts";
import { scriptedHandler } from "../test/scripted-llm.ts";

const server = await startLlmServer({
  latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 200),
  recordRequests: false,
  handler: scriptedHandler(),
});
const BUCKET_MS = 100;
let traceStart = 0;
let buckets: { sum: number; n: number }[] = [];
const sampler = setInterval(() => {
  if (!traceStart) return;
  const i = Math.floor((performance.now() - traceStart) / BUCKET_MS);
  const bucket = (buckets[i] ??= { sum: 0, n: 0 });
  bucket.sum += server.inFlight;
  bucket.n++;
}, 2);
process.stdout.write(`${server.url}\n`);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const command = line.trim();
  if (command === "count")
    process.stdout.write(
      `${JSON.stringify({ totalRequests: server.totalRequests, maxInFlight: server.maxInFlight, repeatedPaid: server.repeatedPaidCalls().length, cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 })}\n`,
    );
  else if (command === "mark") {
    traceStart = performance.now();
    buckets = [];
    process.stdout.write(`{}\n`);
  } else if (command === "trace")
    process.stdout.write(`${JSON.stringify(Array.from(buckets, (b) => (b && b.n ? b.sum / b.n : 0)))}\n`);
});
lines.on("close", () => {
  clearInterval(sampler);
  void server.stop().then(() => process.exit(0));
});
