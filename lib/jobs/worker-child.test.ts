/**
 * The server's worker child runs at a lower CPU priority than the server (ECD_WORKER_NICE), so a
 * job's CPU work yields to page requests on a small machine.
 */
import os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { startWorkerChild, workerNice, type WorkerChild } from "./worker-child.ts";

// A stand-in child: waits for the server's "stop" over IPC, as `ecd worker` does.
const WAITING_CHILD = [
  "-e",
  "process.on('message', (m) => m === 'stop' && process.exit(0)); setInterval(() => {}, 1000)",
];

let child: WorkerChild | null = null;
afterEach(async () => {
  await child?.stop();
  child = null;
  delete process.env.ECD_WORKER_NICE;
});

async function pidOf(worker: WorkerChild): Promise<number> {
  for (let i = 0; i < 100 && worker.pid === undefined; i++) await new Promise((r) => setTimeout(r, 20));
  return worker.pid!;
}

describe("the worker child's priority", () => {
  it("is 10 below the server's by default", async () => {
    child = startWorkerChild({ command: WAITING_CHILD, log: () => {} });
    const expected = Math.min(19, os.getPriority(process.pid) + 10);
    expect(os.getPriority(await pidOf(child))).toBe(expected);
  });

  it("follows ECD_WORKER_NICE, and 0 keeps the server's", async () => {
    process.env.ECD_WORKER_NICE = "0";
    child = startWorkerChild({ command: WAITING_CHILD, log: () => {} });
    expect(os.getPriority(await pidOf(child))).toBe(os.getPriority(process.pid));
  });

  it("refuses a value that is not a niceness, naming the setting", () => {
    expect(workerNice(undefined)).toBe(10);
    expect(workerNice(" ")).toBe(10);
    expect(workerNice("5")).toBe(5);
    for (const bad of ["-1", "20", "1.5", "high"])
      expect(() => workerNice(bad)).toThrow(/ECD_WORKER_NICE must be a whole number from 0 to 19/);
    process.env.ECD_WORKER_NICE = "high";
    expect(() => startWorkerChild({ command: WAITING_CHILD, log: () => {} })).toThrow(/ECD_WORKER_NICE/);
  });
});
