/**
 * Real worker processes for crash and resume tests: spawn `ecd worker` (or another entry) against a
 * test database and a local LLM server, wait for conditions, and observe how a process ended.
 * Every process spawned here is SIGKILLed by `killAll` (call it in afterAll).
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const children: ChildProcess[] = [];

export interface WorkerOptions {
  /** The test database (createTestDb().url). */
  databaseUrl: string;
  /** The local LLM server's base URL, configured as the `openai` provider. */
  llmUrl: string;
  /** Collects stdout and stderr, for the message of a timed-out wait. */
  output: string[];
  /** Default: `ecd worker --slots 4`. */
  command?: string[];
  env?: Record<string, string>;
}

export function spawnWorker(options: WorkerOptions): ChildProcess {
  const command = options.command ?? ["lib/cli/main.ts", "worker", "--slots", "4"];
  const child = spawn(process.execPath, ["--import", "tsx", ...command], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      OPENAI_BASE_URL: options.llmUrl,
      OPENAI_API_KEY: "test-key",
      ECD_PROVIDERS_FILE: "",
      ECD_LEASE_MS: "1500",
      ECD_RETRY_DELAY_MS: "100",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => options.output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => options.output.push(chunk.toString()));
  children.push(child);
  return child;
}

/** How the process ended (now, or when it does). */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Polls `predicate` every 50 ms; fails with the workers' output after `timeoutMs`. */
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

/** Waits until `count()` returns the same value twice, 100 ms apart (answers that arrived are stored). */
export async function settled(what: string, count: () => Promise<number>, output: string[]): Promise<void> {
  let last = -1;
  await until(
    what,
    async () => {
      const now = await count();
      const same = now === last;
      last = now;
      return same;
    },
    10_000,
    output,
  );
}

export function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
