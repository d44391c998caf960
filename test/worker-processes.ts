/**
 * Real worker processes for crash tests: spawn `ecd worker` (or another script) against a test
 * database, wait for conditions, and see how a process ended. Every child is SIGKILLed when the
 * test file ends, if it is still running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

export function workerProcesses() {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  /** Starts `command` (default: an `ecd worker` with 4 slots) with `env` on top of this process's. */
  const spawnWorker = (
    env: Record<string, string>,
    output: string[],
    command: string[] = ["lib/cli/main.ts", "worker", "--slots", "4"],
  ): ChildProcess => {
    const child = spawn(process.execPath, ["--import", "tsx", ...command], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    children.push(child);
    return child;
  };
  return { spawnWorker };
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Waits until `predicate` holds; on timeout fails with the workers' output. */
export async function until(
  what: string,
  predicate: () => Promise<boolean> | boolean,
  timeoutMs: number,
  output: string[],
): Promise<void> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out waiting for ${what}; worker output:\n${output.join("")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
