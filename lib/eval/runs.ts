/**
 * Evaluation runs: start one (an EvalRun row and an `evaluation` job with one task per prompt),
 * read its results (the four IFEval numbers, by instruction id), and write them in IFEval's
 * layout. EvalRun is written only here; EvalResponse only by the handler.
 */
import { z } from "zod";
import { accuracyReport, type AccuracyReport, type PromptResult } from "../constraints/evaluate.ts";
import type { Db } from "../db/client.ts";
import { DomainError } from "../errors.ts";
import { enqueueJob } from "../jobs/commands.ts";
import { resolveBenchmark } from "./benchmarks.ts";
import { byConstraintCount, type ConstraintCountRow } from "./breakdown.ts";
import { EVALUATION } from "./handler.ts";

export const startEvalRunSchema = z.object({
  provider: z.string().trim().min(1, "provider is required"),
  model: z.string().trim().min(1, "model is required"),
  benchmark: z.string().trim().min(1, "benchmark is required"),
  temperature: z.number().min(0).max(2).default(0),
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  systemPrompt: z.string().max(100_000).optional(),
  concurrency: z.number().int().min(1).max(256).default(4),
  trainingData: z.string().max(1000).optional(),
});
export type StartEvalRunInput = z.input<typeof startEvalRunSchema>;

export async function startEvalRun(
  db: Db,
  input: StartEvalRunInput,
  actorId: number | null,
): Promise<{ runId: number; jobId: number }> {
  const parsed = startEvalRunSchema.parse(input);
  const set = await resolveBenchmark(db, parsed.benchmark);
  const prompts = await db.benchmarkPrompt.findMany({
    where: { setId: set.id },
    orderBy: { position: "asc" },
    select: { id: true },
  });
  if (prompts.length === 0) throw new DomainError(`benchmark set "${set.name}" has no prompts`, "invalid", "benchmark");
  const run = await db.evalRun.create({
    data: {
      benchmarkSetId: set.id,
      provider: parsed.provider,
      model: parsed.model,
      temperature: parsed.temperature,
      maxTokens: parsed.maxTokens ?? null,
      systemPrompt: parsed.systemPrompt || null,
      concurrency: parsed.concurrency,
      trainingData: parsed.trainingData || null,
      createdById: actorId,
    },
  });
  const job = await enqueueJob(
    db,
    {
      kind: EVALUATION,
      params: { runId: run.id, concurrency: parsed.concurrency },
      maxAttempts: 3,
      createdById: actorId,
      audit: { evalRunId: run.id, benchmark: set.name },
    },
    prompts.map((p) => ({ kind: EVALUATION, payload: { runId: run.id, promptId: p.id } })),
  );
  await db.evalRun.update({ where: { id: run.id }, data: { jobId: job.id } });
  return { runId: run.id, jobId: job.id };
}

export interface EvalRunResults {
  id: number;
  jobId: number | null;
  status: string;
  provider: string;
  model: string;
  benchmark: string;
  temperature: number;
  maxTokens: number | null;
  trainingData: string | null;
  createdAt: Date;
  promptsTotal: number;
  answered: number;
  strict: AccuracyReport;
  loose: AccuracyReport;
  /** Prompt-level accuracy, strict and loose, by the number of constraints per prompt. */
  byConstraintCount: ConstraintCountRow[];
  /** Answered prompts in benchmark order, as IFEval's per-prompt results. */
  responses: { key: string | null; strict: PromptResult; loose: PromptResult }[];
}

export async function getEvalRun(db: Db, runId: number): Promise<EvalRunResults> {
  const run = await db.evalRun.findUnique({
    where: { id: runId },
    include: { benchmarkSet: { select: { name: true, _count: { select: { prompts: true } } } } },
  });
  if (!run) throw new DomainError(`no eval run ${runId}`, "not_found", "id");
  const job = run.jobId ? await db.job.findUnique({ where: { id: run.jobId }, select: { status: true } }) : null;
  const rows = await db.evalResponse.findMany({
    where: { runId },
    include: { prompt: { select: { key: true, prompt: true, instructionIds: true, position: true } } },
    orderBy: { prompt: { position: "asc" } },
  });
  const responses = rows.map((r) => {
    const base = {
      instruction_id_list: r.prompt.instructionIds as string[],
      prompt: r.prompt.prompt,
      response: r.response,
    };
    return {
      key: r.prompt.key,
      strict: { follow_all_instructions: r.allStrict, follow_instruction_list: r.strict as boolean[], ...base },
      loose: { follow_all_instructions: r.allLoose, follow_instruction_list: r.loose as boolean[], ...base },
    };
  });
  return {
    id: run.id,
    jobId: run.jobId,
    status: job?.status ?? "queued",
    provider: run.provider,
    model: run.model,
    benchmark: run.benchmarkSet.name,
    temperature: run.temperature,
    maxTokens: run.maxTokens,
    trainingData: run.trainingData,
    createdAt: run.createdAt,
    promptsTotal: run.benchmarkSet._count.prompts,
    answered: rows.length,
    strict: accuracyReport(responses.map((r) => r.strict)),
    loose: accuracyReport(responses.map((r) => r.loose)),
    byConstraintCount: byConstraintCount(
      responses.map((r) => r.strict),
      responses.map((r) => r.loose),
    ),
    responses,
  };
}

export interface EvalRunSummary {
  id: number;
  provider: string;
  model: string;
  benchmark: string;
  status: string;
  createdAt: Date;
}

export async function listEvalRuns(db: Db): Promise<EvalRunSummary[]> {
  const runs = await db.evalRun.findMany({
    orderBy: { id: "desc" },
    take: 200,
    include: { benchmarkSet: { select: { name: true } } },
  });
  const jobs = await db.job.findMany({
    where: { id: { in: runs.flatMap((r) => (r.jobId ? [r.jobId] : [])) } },
    select: { id: true, status: true },
  });
  const status = new Map(jobs.map((j) => [j.id, j.status]));
  return runs.map((r) => ({
    id: r.id,
    provider: r.provider,
    model: r.model,
    benchmark: r.benchmarkSet.name,
    status: (r.jobId && status.get(r.jobId)) || "queued",
    createdAt: r.createdAt,
  }));
}
