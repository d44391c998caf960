import { describe, expect, it } from "vitest";
import { createTestDb } from "../../../test/db.ts";
import type { CliIO } from "../command.ts";
import { runCli } from "../main.ts";

const { db } = createTestDb();

async function ecd(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => "" };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe("ecd generate / jobs", () => {
  it("runs a rule-based job to the end with --wait and reports it", async () => {
    const dataset = await db.dataset.create({ data: { name: "cli-jobs", settings: {} } });
    for (let i = 0; i < 4; i++) {
      await db.seed.create({
        data: {
          datasetId: dataset.id,
          instruction: `Explain topic ${i} to a beginner.`,
          referenceResponse: "Here is a short, friendly explanation, with an example, and a summary at the end.",
          contentHash: `cli-${i}`,
          source: "plain",
          metadata: {},
        },
      });
    }
    const run = await ecd([
      "generate",
      "--dataset",
      "cli-jobs",
      "--pipeline",
      "ecd",
      "--rounds",
      "2",
      "--limit",
      "3",
      "--wait",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^job (\d+) succeeded · 3\/3 tasks \(3 done, 0 failed\) · \d+ pairs · 0 tokens · \$0 · elapsed \d+s\n$/,
    );
    const jobId = Number(/^job (\d+)/.exec(run.stdout)![1]);
    expect(await db.pair.count({ where: { jobId } })).toBeGreaterThan(0);

    const list = await ecd(["jobs", "list", "--dataset", "cli-jobs"]);
    expect(list.stdout).toContain(`job ${jobId} succeeded`);
    const show = JSON.parse((await ecd(["jobs", "show", String(jobId), "--json"])).stdout);
    expect(show).toMatchObject({
      id: jobId,
      pipeline: "ecd",
      status: "succeeded",
      tasksTotal: 3,
      params: { rounds: 2 },
      models: { evolver: { provider: "rule-based" } },
      taskErrors: [],
    });
    // The explanation counts what the job stored.
    const kept = await db.node.count({ where: { jobId, status: "kept" } });
    const dropped = await db.node.count({ where: { jobId, status: "dropped" } });
    expect(show.explanation).toMatchObject({ candidates: kept + dropped, kept, dropped, llm: [] });
    expect(show.explanation.dropReasons.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(dropped);
    const text = (await ecd(["jobs", "show", String(jobId)])).stdout;
    expect(text).toContain(`candidates ${kept + dropped}: kept ${kept}, dropped ${dropped}`);
    expect(text).toContain("pipeline  ecd: rounds 2, branches 1");
    expect(text).toContain("models    evolver=rule-based, responder=rule-based, judge=rule-based");

    // Sampling settings per role go into the job's parameters; a bad flag names itself.
    const sampled = await ecd([
      "generate",
      "--dataset",
      "cli-jobs",
      "--pipeline",
      "ecd",
      "--limit",
      "1",
      "--json",
      "--sample",
      "responder.temperature=0.7",
      "--sample",
      "responder.top_p=0.9",
      "--sample",
      "evolver.seed=3",
      "--sample",
      "evolver.max_tokens=200",
    ]);
    expect(JSON.parse(sampled.stdout).params.sampling).toEqual({
      responder: { temperature: 0.7, topP: 0.9 },
      evolver: { seed: 3, maxTokens: 200 },
    });
    await db.job.update({ where: { id: JSON.parse(sampled.stdout).id }, data: { status: "cancelled" } });
    await db.task.updateMany({ where: { jobId: JSON.parse(sampled.stdout).id }, data: { status: "cancelled" } });
    const badFlag = await ecd([
      "generate",
      "--dataset",
      "cli-jobs",
      "--pipeline",
      "ecd",
      "--sample",
      "responder.heat=1",
    ]);
    expect(badFlag.code).not.toBe(0);
    expect(badFlag.stderr).toMatch(/--sample responder\.heat=1: expected ROLE\.KEY=VALUE/);
    const badValue = await ecd([
      "generate",
      "--dataset",
      "cli-jobs",
      "--pipeline",
      "ecd",
      "--sample",
      "judge.temperature=3",
    ]);
    expect(badValue.stderr).toMatch(/Temperature must be at most 2/);

    // Without --wait the job is queued for a worker; it can be cancelled, and retried.
    const queued = await ecd(["generate", "--dataset", "cli-jobs", "--pipeline", "c2s", "--constraints", "2-3"]);
    expect(queued.stdout).toMatch(/^started job \d+: c2s on "cli-jobs", 4 task\(s\)/);
    const second = Number(/job (\d+)/.exec(queued.stdout)![1]);
    expect((await ecd(["jobs", "cancel", String(second)])).stdout).toBe(
      `cancelled job ${second} (4 queued task(s) cancelled; running ones stop at their next heartbeat)\n`,
    );
    expect((await ecd(["jobs", "cancel", String(second)])).stderr).toBe(
      `ecd jobs: Job ${second} is already cancelled\n`,
    );
    expect((await ecd(["jobs", "retry", String(second)])).stdout).toBe(`queued 4 task(s) of job ${second} again\n`);
    expect(await db.job.findUnique({ where: { id: second } })).toMatchObject({
      status: "queued",
      params: { constraintsPerPrompt: { min: 2, max: 3 } },
    });
    await ecd(["jobs", "cancel", String(second)]);
  }, 60_000);

  it("records the method controls for ablations in the job's parameters", async () => {
    const ecdJob = await ecd([
      ...["generate", "--dataset", "cli-jobs", "--pipeline", "ecd", "--json"],
      ...[
        "--r0",
        "reference",
        "--negatives",
        "ancestors,siblings",
        "--word-budget",
        "15",
        "--constraint-text",
        "render",
      ],
    ]);
    expect(JSON.parse(ecdJob.stdout).params).toMatchObject({
      r0Source: "reference",
      ancestorNegatives: true,
      siblingNegatives: true,
      wordBudget: 15,
      constraintText: "render",
      c2sMode: "strict",
      secondPass: false,
    });
    const c2sJob = await ecd([
      ...["generate", "--dataset", "cli-jobs", "--pipeline", "c2s", "--json"],
      ...["--c2s-mode", "original", "--second-pass"],
    ]);
    expect(JSON.parse(c2sJob.stdout).params).toMatchObject({ c2sMode: "original", secondPass: true });
    for (const out of [ecdJob, c2sJob]) await ecd(["jobs", "cancel", String(JSON.parse(out.stdout).id)]);
  });

  it("estimates a run on a sample with --estimate, writing no nodes or pairs", async () => {
    const run = await ecd([
      ...["generate", "--dataset", "cli-jobs", "--pipeline", "ecd", "--estimate", "--sample-size", "2"],
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^estimating on 2 of 4 seed\(s\) \(job \d+\): these calls are real/);
    expect(run.stdout).toMatch(
      /^estimate (\d+): sample of 2\/2 seed\(s\) out of 4\npairs {5}\d+ \(\d+–\d+\) · \d+\.\d\d per seed\ncalls {5}0 · tokens 0 \(0–0\) · cost \$0 \(\$0–\$0\)\n/,
    );
    const jobId = Number(/^estimate (\d+)/.exec(run.stdout)![1]);
    expect(await db.job.findUnique({ where: { id: jobId }, select: { kind: true } })).toEqual({ kind: "estimate" });
    expect(await db.node.count({ where: { jobId } })).toBe(0);
    const bad = await ecd([
      "generate",
      "--dataset",
      "cli-jobs",
      "--pipeline",
      "ecd",
      "--estimate",
      "--sample-size",
      "0",
    ]);
    expect(bad.stderr).toBe("ecd generate: Sample size must be a whole number from 1 to 200\n");
  }, 60_000);

  it("refuses bad input with one line naming the problem", async () => {
    const cases: [string[], RegExp][] = [
      [["generate", "--pipeline", "ecd"], /^ecd generate: --dataset: is required\n$/],
      [
        ["generate", "--dataset", "cli-jobs", "--pipeline", "evol"],
        /^ecd generate: --pipeline: must be "ecd" or "c2s"\n$/,
      ],
      [["generate", "--dataset", "nope", "--pipeline", "ecd"], /^ecd generate: No dataset named "nope"\n$/],
      [
        ["generate", "--dataset", "cli-jobs", "--pipeline", "ecd", "--rounds", "0"],
        /^ecd generate: params\.rounds: Rounds must be at least 1\n$/,
      ],
      [
        ["generate", "--dataset", "cli-jobs", "--pipeline", "c2s", "--constraints", "5-3"],
        /the range's first number must not exceed the second/,
      ],
      [
        ["generate", "--dataset", "cli-jobs", "--pipeline", "ecd", "--provider", "nowhere"],
        /^ecd generate: evolver: unknown provider "nowhere" \(configured: .*rule-based\)\n$/,
      ],
      [
        ["generate", "--dataset", "cli-jobs", "--pipeline", "ecd", "--operations", "add_verifiable,dance"],
        /^ecd generate: --operations: unknown operation "dance"; expected a comma-separated list of add_verifiable, /,
      ],
      [
        ["generate", "--dataset", "cli-jobs", "--pipeline", "c2s", "--c2s-mode", "loose"],
        /^ecd generate: params\.c2sMode: C2S mode must be "strict" or "original"\n$/,
      ],
      [
        ["generate", "--dataset", "cli-jobs", "--pipeline", "ecd", "--negatives", "cousins"],
        /^ecd generate: --negatives: unknown negative source "cousins"/,
      ],
      [["jobs", "show", "abc"], /^ecd jobs: ID: must be a job id \(a number\)\n$/],
      [["jobs", "show", "999999"], /^ecd jobs: Job 999999 does not exist\n$/],
      [["jobs", "frobnicate"], /^ecd jobs: unknown jobs command "frobnicate"/],
      [["worker", "--slots", "0"], /^ecd worker: --slots: must be a whole number from 1 to 1,000 \(got "0"\)\n$/],
      [["worker", "--slots", "1e9"], /^ecd worker: --slots: must be a whole number from 1 to 1,000 \(got "1e9"\)\n$/],
      [["worker", "--slots", "5000"], /^ecd worker: --slots: must be a whole number from 1 to 1,000 \(got "5000"\)\n$/],
      [
        ["worker", "--slots", "-1"],
        /^ecd worker: --slots: must be a whole number from 1 to 1,000 \(got "-1"\); negative numbers are not allowed\n$/,
      ],
      [["worker", "--lease-ms", "1.5"], /^ecd worker: --lease-ms: must be a whole number from 1,000 to 3,600,000/],
      [["jobs", "show", "2147483648"], /^ecd jobs: ID: must be a job id \(a number up to 2147483647\)\n$/],
    ];
    for (const [args, message] of cases) {
      const result = await ecd(args);
      expect(result.code, args.join(" ")).not.toBe(0);
      expect(result.stderr, args.join(" ")).toMatch(message);
    }
  });

  it("--batch records mode batch (one coordinating task more) and refuses a provider without the Batch API", async () => {
    const started = await ecd(["generate", "--dataset", "cli-jobs", "--pipeline", "ecd", "--batch", "--json"]);
    expect(started).toMatchObject({ code: 0, stderr: "" });
    const job = JSON.parse(started.stdout) as { id: number; params: { mode?: string }; tasksTotal: number };
    expect(job).toMatchObject({ params: { mode: "batch" }, tasksTotal: 5 });
    expect(await db.task.count({ where: { jobId: job.id, kind: "llm-batch" } })).toBe(1);
    await ecd(["jobs", "cancel", String(job.id)]);

    const jobs = await db.job.count();
    const saved = { OPENAI_BASE_URL: process.env.OPENAI_BASE_URL, OPENAI_API_KEY: process.env.OPENAI_API_KEY };
    Object.assign(process.env, { OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "test-key" });
    try {
      const refused = await ecd([
        "generate",
        "--dataset",
        "cli-jobs",
        "--pipeline",
        "ecd",
        "--provider",
        "openai",
        "--model",
        "m",
        "--batch",
      ]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(
        /^ecd generate: evolver: provider "openai" does not serve the Batch API \(its config needs "batch": true\)/,
      );
    } finally {
      for (const [name, value] of Object.entries(saved))
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
    expect(await db.job.count()).toBe(jobs);
  });
});
