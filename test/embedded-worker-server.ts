/**
 * Stands in for `npm start` in the worker process tests: the server's worker child process
 * (startServerWorker, here running the CLI from source), under a SIGTERM handler that behaves like
 * Next.js's start-server (it closes the HTTP server, then calls process.exit(143)), and an HTTP
 * endpoint that does what a page does: `GET /pairs?dataset=ID` runs the pairs table's query.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getDb } from "../lib/db/client.ts";
import { startServerWorker } from "../lib/jobs/index.ts";
import { listPairs, pairQuerySchema } from "../lib/review/query.ts";

process.on("SIGTERM", () => {
  setTimeout(() => process.exit(143), 10);
});
const child = startServerWorker({ command: ["--import", "tsx", "lib/cli/main.ts", "worker"] });
const http = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  void listPairs(getDb(), Number(url.searchParams.get("dataset")), pairQuerySchema.parse({}))
    .then((page) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ rows: page.rows.length }));
    })
    .catch((error: Error) => {
      res.writeHead(500);
      res.end(error.message);
    });
});
http.listen(0, "127.0.0.1", () => {
  console.log(`server worker child ${child?.pid} started; http port ${(http.address() as AddressInfo).port}`);
});
