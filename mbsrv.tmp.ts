import { startLlmServer } from "./test/llm-server.ts";
const s = await startLlmServer({ latencyMs: 0, recordRequests: false, handler: () => ({ content: "A short note. ".repeat(30) }) });
process.stdout.write(s.url + "\n");
process.stdin.on("end", () => process.exit(0)); process.stdin.resume();
