import { z } from "zod";
import { findDatasetByName } from "../../datasets/index.ts";
import { getDb } from "../../db/client.ts";
import { EVOLUTION_OPERATIONS } from "../../evolution/types.ts";
import { CONSTRAINT_IDS } from "../../constraints/ids.ts";
import {
  checkModelChoices,
  createWorker,
  getJob,
  DEFAULT_ESTIMATE_SAMPLE,
  getEstimate,
  isFinished,
  type JobEstimate,
  MAX_ESTIMATE_SAMPLE,
  startEstimate,
  NEGATIVE_SOURCES,
  type JobModels,
  type JobSummary,
  type ModelRole,
  PIPELINE_ROLES,
  pipelineSchema,
  ROLES,
  SAMPLING_FIELDS,
  startJob,
} from "../../jobs/index.ts";
import { formatCost, formatCount, formatDuration } from "../../format.ts";
import { listProviders } from "../../llm/providers.ts";
import { parseCommandArgs } from "../args.ts";
import { type CliCommand, CliError, type CliIO, requireCliScope, viewerOf } from "../command.ts";

const roleModelFlags = Object.fromEntries(ROLES.map((role) => [`${role}-model`, { type: "string" as const }]));

const csv = <T extends string>(values: readonly T[], name: string) =>
  z.string().transform((text, ctx) => {
    const items = text
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
    const bad = items.find((v) => !(values as readonly string[]).includes(v));
    if (bad !== undefined || items.length === 0) {
      ctx.addIssue({
        code: "custom",
        message: `unknown ${name} "${bad ?? text}"; expected a comma-separated list of ${values.join(", ")}`,
      });
      return z.NEVER;
    }
    return items as T[];
  });

const schema = z.object({
  dataset: z.string({ error: "is required" }).min(1, "is required"),
  pipeline: pipelineSchema,
  rounds: z.string().optional(),
  branches: z.string().optional(),
  constraints: z.string().optional(),
  limit: z.string().optional(),
  concurrency: z.string().optional(),
  "max-attempts": z.string().optional(),
  seed: z.string().optional(),
  operations: csv(EVOLUTION_OPERATIONS, "operation").optional(),
  "constraint-ids": csv(CONSTRAINT_IDS, "constraint id").optional(),
  sample: z.array(z.string()).optional(),
  r0: z.string().optional(),
  negatives: csv(NEGATIVE_SOURCES, "negative source").optional(),
  "word-budget": z.string().optional(),
  "constraint-text": z.string().optional(),
  "c2s-mode": z.string().optional(),
  "second-pass": z.boolean().optional(),
  batch: z.boolean().optional(),
  estimate: z.boolean().optional(),
  "sample-size": z.string().optional(),
  provider: z.string().min(1).default("rule-based"),
  model: z.string().default(""),
  ...Object.fromEntries(ROLES.map((role) => [`${role}-model`, z.string().optional()])),
  wait: z.boolean().optional(),
  json: z.boolean().optional(),
});

const SAMPLING_KEYS: Record<string, (typeof SAMPLING_FIELDS)[number]> = {
  temperature: "temperature",
  top_p: "topP",
  max_tokens: "maxTokens",
  seed: "seed",
};

/** `--sample ROLE.KEY=VALUE` flags → the job's `sampling` parameter (checked by startJob's schema). */
function samplingFlags(flags: string[]): Record<string, Record<string, number>> {
  const sampling: Record<string, Record<string, number>> = {};
  for (const flag of flags) {
    const m = /^(\w+)\.(\w+)=(.+)$/.exec(flag.trim());
    const role = m?.[1] as ModelRole | undefined;
    const key = m ? SAMPLING_KEYS[m[2]!] : undefined;
    if (!m || !role || !ROLES.includes(role) || !key)
      throw new CliError(
        `--sample ${flag}: expected ROLE.KEY=VALUE with ROLE one of ${ROLES.join(", ")} and KEY one of ${Object.keys(SAMPLING_KEYS).join(", ")}`,
      );
    const value = Number(m[3]);
    if (!Number.isFinite(value)) throw new CliError(`--sample ${flag}: ${m[3]} is not a number`);
    (sampling[role] ??= {})[key] = value;
  }
  return sampling;
}

export function jobLine(job: JobSummary): string {
  const done = job.tasksDone + job.tasksFailed + job.tasksCancelled;
  return [
    `job ${job.id} ${job.status}`,
    `${done}/${job.tasksTotal} tasks (${job.tasksDone} done, ${job.tasksFailed} failed${job.tasksCancelled ? `, ${job.tasksCancelled} cancelled` : ""})`,
    `${job.pairs} pairs`,
    `${formatCount(job.promptTokens + job.completionTokens)} tokens`,
    formatCost(job.costUsd),
    `elapsed ${formatDuration(job.elapsedSeconds)}`,
    ...(job.etaSeconds !== null ? [`eta ${formatDuration(job.etaSeconds)}`] : []),
  ].join(" · ");
}

/** Runs a worker in this process until the job is finished; prints progress while it runs. */
export async function waitForJob(
  jobId: number,
  io: CliIO,
  options: { slots?: number; quiet?: boolean } = {},
): Promise<JobSummary> {
  const db = getDb();
  const worker = createWorker(db, { slots: options.slots, log: (m) => io.stderr(m + "\n") }).start();
  let last = "";
  try {
    for (;;) {
      const job = await getJob(db, jobId);
      const line = jobLine(job);
      if (!options.quiet && line.replace(/ · elapsed.*$/, "") !== last) {
        io.stderr(line + "\n");
        last = line.replace(/ · elapsed.*$/, "");
      }
      if (isFinished(job.status)) return job;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await worker.stop();
  }
}

/** The estimate as lines: the sample, then the whole run with ranges, per role, and the drop reasons. */
export function estimateLines(e: JobEstimate): string[] {
  const range = (p: { value: number; low: number; high: number }, f: (n: number) => string) =>
    `${f(p.value)} (${f(p.low)}–${f(p.high)})`;
  return [
    `estimate ${e.jobId}: sample of ${e.sampleDone}/${e.sampleSize} seed(s)${e.sampleFailed ? ` (${e.sampleFailed} failed)` : ""} out of ${formatCount(e.seedsTotal)}`,
    `pairs     ${range(e.pairs, (n) => formatCount(Math.round(n)))} · ${e.pairsPerSeed.toFixed(2)} per seed`,
    `calls     ${formatCount(e.calls)} · tokens ${range(e.tokens, (n) => formatCount(Math.round(n)))} · cost ${range(e.costUsd, formatCost)}`,
    ...e.roles.map(
      (r) =>
        `  ${r.provider}/${r.role}: ${formatCount(r.calls)} calls, ${formatCount(r.tokens)} tokens, ${formatCost(r.costUsd)} (sample: ${r.sample.calls} calls, ${formatCount(r.sample.promptTokens + r.sample.completionTokens)} tokens, ${formatCost(r.sample.costUsd)})`,
    ),
    ...(e.dropReasons.length ? [`drops     ${e.dropReasons.map((d) => `${d.code} (${d.count})`).join(", ")}`] : []),
  ];
}

async function runEstimate(
  db: ReturnType<typeof getDb>,
  io: CliIO,
  input: Parameters<typeof startEstimate>[1],
  opts: { "sample-size"?: string; json?: boolean; concurrency?: string },
): Promise<number> {
  const sampleSize = opts["sample-size"] === undefined ? undefined : Number(opts["sample-size"]);
  const started = await startEstimate(
    db,
    { ...input, params: input.params as never, createdById: null },
    { sampleSize },
  );
  io.stderr(
    `estimating on ${started.sampleSize} of ${started.seedsTotal} seed(s) (job ${started.id}): these calls are real and paid at the provider's prices\n`,
  );
  await waitForJob(started.id, io, { slots: Number(opts.concurrency ?? 8), quiet: true });
  const estimate = (await getEstimate(db, started.id))!;
  io.stdout(opts.json ? JSON.stringify(estimate, null, 2) + "\n" : estimateLines(estimate).join("\n") + "\n");
  return estimate.sampleFailed === 0 ? 0 : 1;
}

export const generateCommand: CliCommand = {
  name: "generate",
  summary: "Start a generation job (ECD or complex-to-simple) on a dataset's seeds",
  usage: [
    "ecd generate --dataset NAME --pipeline ecd|c2s [options]",
    "",
    "  --rounds N            ECD evolution rounds (default 2)",
    "  --branches K          ECD children per node (default 1)",
    "  --constraints N|A-B   C2S constraints per prompt (default 3-5)",
    "  --limit N             only the first N seeds",
    "  --provider NAME       provider for every role (default rule-based; see lib/llm/README.md)",
    "  --model M             model for every role",
    `  --<role>-model M      model for one role (${ROLES.join(", ")})`,
    "  --concurrency N       tasks of this job running at once (default 8)",
    "  --max-attempts N      attempts per task (default 3)",
    "  --seed N              random seed of the pipelines (default 0)",
    `  --operations A,B      ECD operations (${EVOLUTION_OPERATIONS.join(", ")})`,
    "  --constraint-ids A,B  C2S: compose only from these constraint ids",
    "  --sample ROLE.KEY=V   a role's sampling setting, repeatable: KEY is temperature, top_p,",
    "                        max_tokens or seed (e.g. --sample responder.temperature=0.7)",
    "  --r0 responder|reference   ECD: R(0) from the responder or the seed's reference answer",
    "                        (default: the responder unless it is rule-based)",
    "  --negatives A,B       ECD ablations: further negatives from ancestors, siblings",
    "  --word-budget N       ECD: at most N words added per evolution step",
    "  --constraint-text M   ECD: check (drop text/kwargs disagreements, default), render, off",
    "  --c2s-mode M          C2S: strict (final response passes every constraint, default) or original",
    "  --second-pass         C2S: a second correction pass over what the first left failing",
    "  --batch               send every LLM call through the provider's Batch API (providers with",
    '                        "batch": true; half price, answers within 24 h; survives restarts)',
    "  --estimate            do not start the job: run it on a random sample of seeds (real, paid",
    `                        calls; cached, so the real run re-uses them) and print calls, tokens and`,
    "                        cost per role and pairs, extrapolated to the whole run with a range",
    `  --sample-size N       seeds in the estimate's sample (default ${DEFAULT_ESTIMATE_SAMPLE}, at most ${MAX_ESTIMATE_SAMPLE})`,
    "  --wait                run a worker here until the job ends, then print a summary",
    "  --json                print the job as JSON",
  ].join("\n"),
  async run(args, io) {
    const opts = parseCommandArgs(
      args,
      {
        dataset: { type: "string" },
        pipeline: { type: "string" },
        rounds: { type: "string" },
        branches: { type: "string" },
        constraints: { type: "string" },
        limit: { type: "string" },
        concurrency: { type: "string" },
        "max-attempts": { type: "string" },
        seed: { type: "string" },
        operations: { type: "string" },
        "constraint-ids": { type: "string" },
        sample: { type: "string", multiple: true },
        r0: { type: "string" },
        negatives: { type: "string" },
        "word-budget": { type: "string" },
        "constraint-text": { type: "string" },
        "c2s-mode": { type: "string" },
        "second-pass": { type: "boolean" },
        batch: { type: "boolean" },
        estimate: { type: "boolean" },
        "sample-size": { type: "string" },
        provider: { type: "string" },
        model: { type: "string" },
        ...roleModelFlags,
        wait: { type: "boolean" },
        json: { type: "boolean" },
      },
      schema,
    );
    const db = getDb();
    requireCliScope(io, "jobs:run");
    const dataset = await findDatasetByName(db, opts.dataset, viewerOf(io));
    const models: JobModels = {};
    const flags = opts as unknown as Record<string, string | undefined>;
    for (const role of PIPELINE_ROLES[opts.pipeline]) {
      const model = flags[`${role}-model`] ?? opts.model;
      models[role] = { provider: opts.provider, model: opts.provider === "rule-based" ? "" : model };
    }
    const providers = listProviders();
    try {
      checkModelChoices(models, providers, { mode: opts.batch ? "batch" : undefined });
    } catch (error) {
      const message = (error as Error).message;
      throw new CliError(/choose a model/.test(message) ? `${message}: give --model M or --<role>-model M` : message);
    }
    const params: Record<string, unknown> = {};
    const put = (key: string, value: unknown) => {
      if (value !== undefined) params[key] = value;
    };
    put("rounds", opts.rounds);
    put("branches", opts.branches);
    put("constraintsPerPrompt", opts.constraints);
    put("concurrency", opts.concurrency);
    put("maxAttempts", opts["max-attempts"]);
    put("randomSeed", opts.seed);
    put("operations", opts.operations);
    put("constraintIds", opts["constraint-ids"]);
    if (opts.sample?.length) put("sampling", samplingFlags(opts.sample));
    put("r0Source", opts.r0);
    if (opts.negatives) {
      put("ancestorNegatives", opts.negatives.includes("ancestors"));
      put("siblingNegatives", opts.negatives.includes("siblings"));
    }
    put("wordBudget", opts["word-budget"]);
    put("constraintText", opts["constraint-text"]);
    put("c2sMode", opts["c2s-mode"]);
    put("secondPass", opts["second-pass"]);
    if (opts.batch) put("mode", "batch");
    if (opts.estimate)
      return runEstimate(
        db,
        io,
        { datasetId: dataset.id, pipeline: opts.pipeline, params, models, limit: opts.limit },
        opts,
      );
    const started = await startJob(db, {
      datasetId: dataset.id,
      pipeline: opts.pipeline,
      params: params as never,
      models,
      limit: opts.limit as never,
      createdById: null,
    });
    if (!opts.wait) {
      const job = await getJob(db, started.id);
      if (opts.json) io.stdout(JSON.stringify(job, null, 2) + "\n");
      else
        io.stdout(
          `started job ${job.id}: ${job.pipeline} on "${dataset.name}", ${job.tasksTotal} task(s); a worker (the server's, or \`npm run ecd -- worker\`) runs it\n`,
        );
      return 0;
    }
    io.stderr(`started job ${started.id} (${started.tasksTotal} tasks); running a worker here until it ends\n`);
    const job = await waitForJob(started.id, io, { slots: Number(params.concurrency ?? 8) });
    if (opts.json) io.stdout(JSON.stringify(job, null, 2) + "\n");
    else io.stdout(jobLine(job) + "\n");
    return job.status === "succeeded" ? 0 : 1;
  },
};
