import { z } from "zod";
import { CONSTRAINT_IDS } from "../constraints/ids.ts";
import { DomainError } from "../errors.ts";
import { EVOLUTION_OPERATIONS } from "../evolution/types.ts";
import { C2S_MODES, CONSTRAINT_TEXT_MODES, R0_SOURCES } from "../evolution/index.ts";

/** Job inputs, validated the same way for the form, the CLI and the demo. */

/** Seeds in an estimate's sample (lib/jobs/estimate.ts): by default, and at most. */
export const DEFAULT_ESTIMATE_SAMPLE = 20;
export const MAX_ESTIMATE_SAMPLE = 200;

export const PIPELINES = ["ecd", "c2s"] as const;
export type Pipeline = (typeof PIPELINES)[number];
export const pipelineSchema = z.enum(PIPELINES, { error: 'must be "ecd" or "c2s"' });

/** How a generation job sends its LLM calls: one at a time, or in Batch API batches. */
export const GENERATION_MODES = ["direct", "batch"] as const;

export const ROLES = ["evolver", "responder", "student", "teacher", "judge"] as const;
export type ModelRole = (typeof ROLES)[number];

/** The roles each pipeline calls (the form and the CLI ask only for these). */
export const PIPELINE_ROLES: Record<Pipeline, readonly ModelRole[]> = {
  ecd: ["evolver", "responder", "judge"],
  c2s: ["evolver", "student", "teacher"],
};

export const ROLE_DESCRIPTIONS: Record<ModelRole, string> = {
  evolver: "evolves instructions (C2S: proposes keywords)",
  responder: "answers each evolved instruction",
  student: "the weaker model whose answers get corrected",
  teacher: "corrects the student one constraint at a time",
  judge: "checks free-form constraints",
};

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TASK_STATUSES = JOB_STATUSES;
export type TaskStatus = JobStatus;

const int = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

/** "3-5" or "4" (a form field or CLI flag), or {min, max}. */
export const constraintRangeSchema = z.preprocess(
  (value) => {
    if (typeof value === "number") return { min: value, max: value };
    if (typeof value !== "string") return value;
    const m = /^\s*(\d+)\s*(?:(?:-|–|\.\.)\s*(\d+)\s*)?$/.exec(value);
    if (!m) return value;
    return { min: Number(m[1]), max: Number(m[2] ?? m[1]) };
  },
  z
    .object(
      { min: int("Constraints per prompt", 1, 10), max: int("Constraints per prompt", 1, 10) },
      { error: 'Constraints per prompt must be a number or a range such as "3-5"' },
    )
    .refine((r) => r.min <= r.max, {
      message: "Constraints per prompt: the range's first number must not exceed the second",
    }),
);

export function formatConstraintRange(range: { min: number; max: number }): string {
  return range.min === range.max ? String(range.min) : `${range.min}-${range.max}`;
}

/** One role's sampling settings, sent with each of its calls (unset: the provider's default). */
export const samplingSchema = z
  .object({
    temperature: z
      .number({ error: "Temperature must be a number" })
      .min(0, "Temperature must be at least 0")
      .max(2, "Temperature must be at most 2")
      .optional(),
    topP: z
      .number({ error: "top_p must be a number" })
      .gt(0, "top_p must be above 0")
      .max(1, "top_p must be at most 1")
      .optional(),
    maxTokens: int("Max tokens", 1, 1_000_000).optional(),
    seed: int("Sampling seed", 0, 2 ** 31 - 1).optional(),
  })
  .strict();
export type Sampling = z.infer<typeof samplingSchema>;
export const SAMPLING_FIELDS = ["temperature", "topP", "maxTokens", "seed"] as const;

export const jobParamsSchema = z.object({
  /** ECD: evolution rounds per seed (tree depth). */
  rounds: int("Rounds", 1, 10).default(2),
  /** ECD: children per node (1 = a chain, more = a tree). */
  branches: int("Branches", 1, 5).default(1),
  /** C2S: how many constraints are composed onto each seed (a range; "4" means exactly 4). */
  constraintsPerPrompt: constraintRangeSchema.default({ min: 3, max: 5 }),
  /** How many of this job's tasks may run at the same time (over all workers). */
  concurrency: int("Concurrency", 1, 256).default(8),
  /** Attempts per task before it is marked failed. */
  maxAttempts: int("Max attempts", 1, 10).default(3),
  /** ECD: evolution operations to draw from (default: all the evolver supports). */
  operations: z.array(z.enum(EVOLUTION_OPERATIONS)).min(1).optional(),
  /** C2S: compose only from these constraint ids (default: all the teacher can handle). */
  constraintIds: z.array(z.enum(CONSTRAINT_IDS)).min(1).optional(),
  /** Random seed for the pipelines' choices (same seed, same data). */
  randomSeed: int("Random seed", 0, 2 ** 31 - 1).default(0),
  /** Evol-Instruct's elimination step: drop a model's reply that declines, or one that loops. */
  refusalFilter: z.boolean({ error: "Refusal filter must be true or false" }).default(true),
  degenerateFilter: z.boolean({ error: "Degenerate filter must be true or false" }).default(true),
  /** ECD: R(0) from the responder or the seed's reference answer (unset: the responder unless it is rule-based). */
  r0Source: z.enum(R0_SOURCES, { error: 'R(0) source must be "responder" or "reference"' }).optional(),
  /** ECD ablations: further negatives from ancestors two or more rounds back, and from kept siblings. */
  ancestorNegatives: z.boolean({ error: "Ancestor negatives must be true or false" }).default(false),
  siblingNegatives: z.boolean({ error: "Sibling negatives must be true or false" }).default(false),
  /** ECD: at most this many words added per evolution step (WizardLM: 10–20). */
  wordBudget: int("Word budget", 1, 500).optional(),
  /** ECD: hold the written instruction to its constraints' kwargs: drop on disagreement, render the registry's sentence, or off. */
  constraintText: z
    .enum(CONSTRAINT_TEXT_MODES, { error: 'Constraint text must be "check", "render" or "off"' })
    .default("check"),
  /** C2S: "strict" (the final response must pass every constraint) or "original" (no final re-verification). */
  c2sMode: z.enum(C2S_MODES, { error: 'C2S mode must be "strict" or "original"' }).default("strict"),
  /** C2S: a second correction pass over the constraints the first left failing. */
  secondPass: z.boolean({ error: "Second pass must be true or false" }).default(false),
  /**
   * "batch": every LLM call goes through the provider's Batch API (half price, answers within 24 h;
   * lib/jobs/batch-runner.ts); unset: each call is sent as it is made.
   */
  mode: z.enum(GENERATION_MODES, { error: 'Mode must be "direct" or "batch"' }).optional(),
  /** Sampling settings per role (the export manifest reads them from here). */
  sampling: z.partialRecord(z.enum(ROLES), samplingSchema).optional(),
});
export type JobParams = z.infer<typeof jobParamsSchema>;

export const modelChoiceSchema = z.object({
  provider: z.string().trim().min(1, "provider is required").max(100),
  model: z.string().trim().max(200).default(""),
});
export type ModelChoice = z.infer<typeof modelChoiceSchema>;

export const jobModelsSchema = z.partialRecord(z.enum(ROLES), modelChoiceSchema);
export type JobModels = Partial<Record<ModelRole, ModelChoice>>;

export const startJobSchema = z.object({
  datasetId: z.number().int().positive(),
  pipeline: pipelineSchema,
  params: jobParamsSchema.default(jobParamsSchema.parse({})),
  models: jobModelsSchema,
  /** Only the first N seeds of the dataset (by import order). */
  limit: int("Limit", 1, 1_000_000).optional(),
  createdById: z.number().int().positive().nullable().default(null),
});
export type StartJobInput = z.input<typeof startJobSchema>;

/** "provider/model" ↔ ModelChoice, for form selects and CLI flags. */
export function encodeModelChoice(choice: ModelChoice): string {
  return choice.model ? `${choice.provider}/${choice.model}` : choice.provider;
}

export function decodeModelChoice(value: string): ModelChoice {
  const slash = value.indexOf("/");
  return slash < 0
    ? { provider: value, model: "" }
    : { provider: value.slice(0, slash), model: value.slice(slash + 1) };
}

/** What the model check needs to know about a provider (lib/llm's PublicProviderInfo). */
export type ProviderInfo = {
  name: string;
  kind: "openai-compatible" | "rule-based";
  models: string[];
  apiKeyEnv: string | null;
  ready: boolean;
  /** Serves the Batch API. */
  batch?: boolean;
};

/**
 * Checks each role's provider against the configured ones: it must exist and be ready (its key
 * variable set), and an LLM provider needs a model name. Throws a DomainError naming the role.
 */
export function checkModelChoices(
  models: JobModels,
  providers: readonly ProviderInfo[],
  options: { mode?: JobParams["mode"] } = {},
): void {
  for (const [role, choice] of Object.entries(models) as [ModelRole, ModelChoice][]) {
    const provider = providers.find((p) => p.name === choice.provider);
    const field = `models.${role}.provider`;
    if (!provider)
      throw new DomainError(
        `${role}: unknown provider "${choice.provider}" (configured: ${providers.map((p) => p.name).join(", ")})`,
        "invalid",
        field,
      );
    if (provider.kind === "rule-based") continue;
    if (!provider.ready)
      throw new DomainError(
        `${role}: provider "${provider.name}" needs its API key in ${provider.apiKeyEnv ?? "the environment"}`,
        "invalid",
        field,
      );
    if (!choice.model)
      throw new DomainError(
        `${role}: choose a model of provider "${provider.name}"`,
        "invalid",
        `models.${role}.model`,
      );
    if (options.mode === "batch" && !provider.batch)
      throw new DomainError(
        `${role}: provider "${provider.name}" does not serve the Batch API (its config needs "batch": true), so the job cannot run in batch mode`,
        "invalid",
        field,
      );
  }
}

/** The ECD options of extra negatives (jobParams' ancestorNegatives / siblingNegatives). */
export const NEGATIVE_SOURCES = ["ancestors", "siblings"] as const;

/** The entries of `raw` under `keys` that are set. */
const pick = (raw: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.flatMap((k) => (raw[k] === undefined ? [] : [[k, raw[k]]])));

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/**
 * The "New generation" form (flat FormData keys: `models.<role>.provider` / `.model`) → what
 * startJob takes. Blank fields take their defaults; only the pipeline's roles are read.
 */
export const generateFormSchema = z
  .object({
    datasetId: z.coerce.number({ error: "datasetId must be a number" }).int().positive(),
    pipeline: pipelineSchema,
    rounds: z.preprocess(blankToUndefined, z.unknown()),
    branches: z.preprocess(blankToUndefined, z.unknown()),
    constraintsPerPrompt: z.preprocess(blankToUndefined, z.unknown()),
    concurrency: z.preprocess(blankToUndefined, z.unknown()),
    maxAttempts: z.preprocess(blankToUndefined, z.unknown()),
    limit: z.preprocess(blankToUndefined, int("Limit", 1, 1_000_000).optional()),
    // The method controls: read for the pipeline that uses them (checked by jobParamsSchema).
    r0Source: z.preprocess(blankToUndefined, z.unknown()),
    negatives: z.preprocess(
      (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z.array(z.enum(NEGATIVE_SOURCES, { error: 'Negatives must be "ancestors" or "siblings"' })),
    ),
    wordBudget: z.preprocess(blankToUndefined, z.unknown()),
    constraintText: z.preprocess(blankToUndefined, z.unknown()),
    c2sMode: z.preprocess(blankToUndefined, z.unknown()),
    secondPass: z.preprocess(blankToUndefined, z.unknown()),
    /** The "Batch API" checkbox: "on" = mode "batch". */
    batch: z.preprocess(blankToUndefined, z.literal("on", { error: 'Batch must be "on" or absent' }).optional()),
    ...Object.fromEntries(
      ROLES.flatMap((role) => [
        [`models.${role}.provider`, z.string().optional()],
        [`models.${role}.model`, z.string().optional()],
      ]),
    ),
    ...Object.fromEntries(
      ROLES.flatMap((role) =>
        SAMPLING_FIELDS.map(
          (field) =>
            [`sampling.${role}.${field}`, z.preprocess(blankToUndefined, z.coerce.number().optional())] as const,
        ),
      ),
    ),
  })
  .transform((form, ctx) => {
    const raw = form as Record<string, unknown>;
    const sampling: Record<string, Record<string, unknown>> = {};
    for (const role of PIPELINE_ROLES[form.pipeline])
      for (const field of SAMPLING_FIELDS) {
        const value = raw[`sampling.${role}.${field}`];
        if (value !== undefined) (sampling[role] ??= {})[field] = value;
      }
    const method =
      form.pipeline === "ecd"
        ? {
            ...(form.negatives.length
              ? {
                  ancestorNegatives: form.negatives.includes("ancestors"),
                  siblingNegatives: form.negatives.includes("siblings"),
                }
              : {}),
            ...pick(raw, ["r0Source", "wordBudget", "constraintText"]),
          }
        : {
            ...pick(raw, ["c2sMode"]),
            ...(raw.secondPass === undefined ? {} : { secondPass: raw.secondPass === "on" }),
          };
    const params = jobParamsSchema.safeParse({
      ...pick(raw, ["rounds", "branches", "constraintsPerPrompt", "concurrency", "maxAttempts"]),
      ...method,
      ...(form.batch ? { mode: "batch" } : {}),
      ...(Object.keys(sampling).length ? { sampling } : {}),
    });
    if (!params.success) {
      for (const issue of params.error.issues)
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      return z.NEVER;
    }
    const models: JobModels = {};
    for (const role of PIPELINE_ROLES[form.pipeline]) {
      const provider = String(raw[`models.${role}.provider`] ?? "").trim();
      if (!provider) {
        ctx.addIssue({
          code: "custom",
          path: [`models.${role}.provider`],
          message: `Choose a provider for the ${role}`,
        });
        return z.NEVER;
      }
      models[role] = {
        provider,
        model: provider === "rule-based" ? "" : String(raw[`models.${role}.model`] ?? "").trim(),
      };
    }
    return { datasetId: form.datasetId, pipeline: form.pipeline, limit: form.limit, params: params.data, models };
  });

/** What a job runs, for titles: its pipeline for a generation job, else its kind. */
export function jobLabel(job: { kind: string; pipeline: string | null }): string {
  const pipeline = job.pipeline === "ecd" ? "ECD" : job.pipeline === "c2s" ? "Complex to simple" : null;
  if (!pipeline) return job.kind;
  // An estimate (lib/jobs/estimate.ts) runs a pipeline on a sample without writing anything.
  return job.kind === "estimate" ? `Estimate of ${pipeline}` : pipeline;
}

/** The method controls a job ran with, for its page and `ecd jobs show`: "R(0) from the responder, …". */
export function describeMethod(pipeline: Pipeline | null, params: JobParams): string {
  const method = describePipelineMethod(pipeline, params);
  return params.mode === "batch" && method ? `${method}; calls through the Batch API (batch price)` : method;
}

function describePipelineMethod(pipeline: Pipeline | null, params: JobParams): string {
  if (pipeline === "c2s")
    return [
      params.c2sMode === "original" ? "original mode (no final re-verification)" : "strict mode",
      params.secondPass ? "second correction pass" : "one correction pass",
    ].join(", ");
  if (pipeline !== "ecd") return "";
  const negatives = [params.ancestorNegatives && "ancestors", params.siblingNegatives && "siblings"].filter(Boolean);
  return [
    `R(0) from ${params.r0Source ?? "the responder unless rule-based"}`,
    `negatives from the parent${negatives.length ? `, ${negatives.join(", ")}` : ""}`,
    params.wordBudget !== undefined ? `word budget ${params.wordBudget}` : "no word budget",
    `constraint text: ${params.constraintText}`,
    ...(params.refusalFilter || params.degenerateFilter
      ? [
          `filters: ${[params.refusalFilter && "refusal", params.degenerateFilter && "degenerate"].filter(Boolean).join(", ")}`,
        ]
      : []),
  ].join(", ");
}
