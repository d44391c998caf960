import { z } from "zod";
import { getDb } from "../../db/client.ts";
import {
  compareRuns,
  formatComparison,
  formatEvalRun,
  getEvalRun,
  listEvalRuns,
  startEvalRun,
} from "../../eval/index.ts";
import { writeEvalOutputs } from "../../eval/output.ts";
import { parseCommandArgs } from "../args.ts";
import { type CliCommand, CliError } from "../command.ts";
import { waitForJob } from "./generate.ts";

const runIdSchema = z.coerce
  .number({ error: "must be an eval run id (a number)" })
  .int("must be an eval run id (a number)")
  .positive("must be an eval run id (a number)");

const number = (what: string) => z.coerce.number({ error: `must be ${what}` });

export const evalCommand: CliCommand = {
  name: "eval",
  summary: "Evaluation runs: run a model on a benchmark, list, show, compare",
  usage: [
    "ecd eval run --provider P --model M --benchmark ifeval|set:NAME [options]",
    "    --temperature T      sampling temperature (default 0)",
    "    --max-tokens N       answer length cap",
    "    --system-prompt TEXT a system message before each prompt",
    "    --concurrency N      prompts answered at once (default 4)",
    "    --training-data TEXT what the model was trained on (an export id or free text)",
    "    --wait               run a worker here until the run ends, then print its results",
    "    --output-dir D       with --wait: write eval_results_{strict,loose}.jsonl and input_response_data.jsonl",
    "ecd eval list",
    "ecd eval show ID [--json]",
    "ecd eval compare A B [--json]   bootstrap intervals, exact McNemar test, per-id deltas, flips",
  ].join("\n"),
  async run(args, io) {
    const [sub, ...rest] = args;
    const db = getDb();
    if (sub === "run") {
      const opts = parseCommandArgs(
        rest,
        {
          provider: { type: "string" },
          model: { type: "string" },
          benchmark: { type: "string" },
          temperature: { type: "string" },
          "max-tokens": { type: "string" },
          "system-prompt": { type: "string" },
          concurrency: { type: "string" },
          "training-data": { type: "string" },
          wait: { type: "boolean" },
          "output-dir": { type: "string" },
        },
        z.object({
          provider: z.string({ error: "is required" }),
          model: z.string({ error: "is required" }),
          benchmark: z.string({ error: "is required (ifeval, set:NAME or dataset:NAME)" }),
          temperature: number("a number").optional(),
          "max-tokens": number("a whole number").optional(),
          "system-prompt": z.string().optional(),
          concurrency: number("a whole number").optional(),
          "training-data": z.string().optional(),
          wait: z.boolean().optional(),
          "output-dir": z.string().min(1).optional(),
        }),
      );
      if (opts["output-dir"] && !opts.wait) throw new CliError("--output-dir needs --wait");
      const { runId, jobId } = await startEvalRun(
        db,
        {
          provider: opts.provider,
          model: opts.model,
          benchmark: opts.benchmark,
          temperature: opts.temperature,
          maxTokens: opts["max-tokens"],
          systemPrompt: opts["system-prompt"],
          concurrency: opts.concurrency,
          trainingData: opts["training-data"],
        },
        null,
      );
      if (!opts.wait) {
        io.stdout(`started eval run ${runId} (job ${jobId}); ecd eval show ${runId} shows its results\n`);
        return 0;
      }
      const job = await waitForJob(jobId, io, { slots: opts.concurrency ?? 4 });
      const results = await getEvalRun(db, runId);
      io.stdout(formatEvalRun(results));
      if (opts["output-dir"]) {
        for (const file of await writeEvalOutputs(results, opts["output-dir"])) io.stdout(`wrote ${file}\n`);
      }
      return job.status === "succeeded" ? 0 : 1;
    }
    if (sub === "list") {
      parseCommandArgs(rest, {}, z.object({}));
      const runs = await listEvalRuns(db);
      if (runs.length === 0) io.stdout("no eval runs\n");
      for (const r of runs) {
        io.stdout(
          `${r.id}  ${r.status.padEnd(9)} ${r.provider}/${r.model} on ${r.benchmark} · ${r.createdAt.toISOString()}\n`,
        );
      }
      return 0;
    }
    if (sub === "show") {
      const opts = parseCommandArgs(
        rest,
        { json: { type: "boolean" } },
        z.object({ id: runIdSchema, json: z.boolean().optional() }),
        ["id"],
      );
      const results = await getEvalRun(db, opts.id);
      io.stdout(opts.json ? `${JSON.stringify(results, null, 2)}\n` : formatEvalRun(results));
      return 0;
    }
    if (sub === "compare") {
      const opts = parseCommandArgs(
        rest,
        { json: { type: "boolean" } },
        z.object({ a: runIdSchema, b: runIdSchema, json: z.boolean().optional() }),
        ["a", "b"],
      );
      const [a, b] = await Promise.all([getEvalRun(db, opts.a), getEvalRun(db, opts.b)]);
      if (a.benchmark !== b.benchmark) {
        throw new CliError(`runs ${opts.a} and ${opts.b} are on different benchmarks (${a.benchmark}, ${b.benchmark})`);
      }
      const comparison = compareRuns(a, b);
      io.stdout(opts.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(opts.a, opts.b, comparison));
      return 0;
    }
    throw new CliError(`unknown subcommand ${sub ? `"${sub}"` : "(none)"}: run, list, show or compare`);
  },
};
