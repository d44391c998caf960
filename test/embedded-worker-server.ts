/**
 * Stands in for `npm start` in lib/jobs/worker-process.test.ts: the server's in-process worker
 * (startEmbeddedWorker), under a SIGTERM handler that behaves like Next.js's start-server (it
 * closes the HTTP server, then calls process.exit(143)).
 */
import { getDb } from "../lib/db/client.ts";
import { startEmbeddedWorker } from "../lib/jobs/index.ts";

process.on("SIGTERM", () => {
  setTimeout(() => process.exit(143), 10);
});
startEmbeddedWorker(getDb());
console.log("embedded worker ready");
