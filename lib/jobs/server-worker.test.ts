/**
 * The server's worker runs in a child process (lib/jobs/worker-child.ts), off the web server's
 * event loop. With a stand-in for `npm start` (test/embedded-worker-server.ts: the same worker
 * child, and an HTTP endpoint that runs the pairs table's query):
 * - a page request and a review decision issued while a rule-based job runs complete before the
 *   job does (an ordering, not a time);
 * - a worker child that dies is restarted, and the job still completes.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createFixtureDataset, createFixturePair, createFixtureUser } from "../../test/fixtures/pairs.ts";
import { exited, killAll, spawnWorker, until } from "../../test/worker-processes.ts";
import { decide } from "../review/decide.ts";
import { cancelJob, getJob, isFinished, startJob } from "./index.ts";

const { db, url } = createTestDb();
afterAll(() => killAll());

const RULE_BASED = { provider: "rule-based" };

async function ruleBasedJob(name: string, seeds: number, concurrency: number) {
  const dataset = await db.dataset.create({ data: { name, settings: {} } });
  await db.seed.createMany({
    data: Array.from({ length: seeds }, (_, i) => ({
      datasetId: dataset.id,
      instruction: `Write about river number ${i} and its bridges.`,
      referenceResponse: `River ${i} is long, wide and slow, with three old bridges.`,
      contentHash: `${name}-${i}`,
      source: "plain",
      metadata: {},
    })),
  });
  const job = await startJob(db, {
    datasetId: dataset.id,
    pipeline: "ecd",
    params: { rounds: 2, concurrency },
    models: { evolver: RULE_BASED, responder: RULE_BASED, judge: RULE_BASED },
  });
  return { datasetId: dataset.id, jobId: job.id };
}

/** Starts the stand-in server; resolves with its process, its HTTP port and its worker child's pid. */
async function startServer(output: string[]): Promise<{ server: ChildProcess; port: number; childPid: number }> {
  const server = spawnWorker({
    databaseUrl: url,
    llmUrl: "http://127.0.0.1:9/v1", // unused: the jobs here are rule-based
    output,
    command: ["test/embedded-worker-server.ts"],
  });
  let match: RegExpExecArray | null = null;
  await until(
    "the stand-in server to start",
    () => (match = /server worker child (\d+) started; http port (\d+)/.exec(output.join(""))) !== null,
    60_000,
    output,
  );
  return { server, childPid: Number(match![1]), port: Number(match![2]) };
}

describe("the server's worker child process", () => {
  it("runs a rule-based job while a page request and a review decision complete first", async () => {
    const output: string[] = [];
    const { server, port } = await startServer(output);
    // One task at a time over 2,000 seeds: the job runs far longer than a request.
    const { datasetId, jobId } = await ruleBasedJob("busy", 2_000, 1);
    const reviewer = await createFixtureUser(db, { role: "annotator" });
    const other = await createFixtureDataset(db, { members: [reviewer] });
    const { pairId } = await createFixturePair(db, { datasetId: other.id });
    await until("the job to run", async () => (await getJob(db, jobId)).tasksDone >= 5, 60_000, output);

    const page = await fetch(`http://127.0.0.1:${port}/pairs?dataset=${datasetId}`);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { rows: number }).rows).toBeGreaterThan(0);
    const decision = await decide(db, reviewer, { pairId, version: 1, decision: "accept" });
    expect(decision.status).toBe("accepted");
    // Both answered while the job is still running.
    const job = await getJob(db, jobId);
    expect(job.status).toBe("running");
    expect(job.tasksDone).toBeLessThan(2_000);

    await cancelJob(db, jobId, null);
    server.kill("SIGTERM");
    expect(await exited(server)).toEqual({ code: 143, signal: null });
    expect(output.join("")).toContain("generation worker stopped; its tasks are released");
  }, 180_000);

  it("restarts a worker child that died, and the job completes", async () => {
    const output: string[] = [];
    const { server, childPid } = await startServer(output);
    const { jobId } = await ruleBasedJob("restart", 300, 2);
    await until("the job to run", async () => (await getJob(db, jobId)).tasksDone >= 1, 60_000, output);
    process.kill(childPid, "SIGKILL");
    await until("a restart", () => output.join("").includes("the worker process exited (SIGKILL)"), 10_000, output);
    await until("the job to finish", async () => isFinished((await getJob(db, jobId)).status), 120_000, output);
    expect(await getJob(db, jobId)).toMatchObject({ status: "succeeded", tasksDone: 300, tasksFailed: 0 });
    server.kill("SIGTERM");
    expect(await exited(server)).toEqual({ code: 143, signal: null });
  }, 240_000);
});
