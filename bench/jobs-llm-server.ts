/**
 * The LLM side of bench/jobs.ts in its own process (as a real model server would be): a local
 * OpenAI-compatible server with a fixed latency and the scripted model, printing its URL on the
 * first line of stdout, its request count on every "count" line of stdin, until stdin closes.
 */
import { createInterface } from "node:readline";
import { startLlmServer } from "../test/llm-server.ts";
import { scriptedHandler } from "../test/scripted-llm.ts";

const server = await startLlmServer({
  latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 200),
  recordRequests: false,
  handler: scriptedHandler(),
});
process.stdout.write(`${server.url}\n`);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() === "count")
    process.stdout.write(
      `${JSON.stringify({ totalRequests: server.totalRequests, maxInFlight: server.maxInFlight, repeatedPaid: server.repeatedPaidCalls().length, cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 })}\n`,
    );
});
lines.on("close", () => void server.stop().then(() => process.exit(0)));
