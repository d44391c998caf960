/**
 * The `evaluation` task handler (one task per benchmark prompt): asks the run's model, verifies
 * the answer strict and loose with lib/constraints, and stores it. The run's id is part of every
 * request's cache key, so a resumed run is answered from LlmCall while another run never is.
 */
import { z } from "zod";
import { buildInstructions, evaluateBuiltBoth } from "../constraints/evaluate.ts";
import type { ConstraintId } from "../constraints/ids.ts";
import type { Db } from "../db/client.ts";
import type { TaskHandler } from "../jobs/handlers.ts";
import { PermanentTaskError } from "../jobs/worker.ts";
import { createChatModel, type CreateChatModelOptions } from "../llm/providers.ts";
import type { ChatMessage, ChatModel } from "../llm/types.ts";

export const EVALUATION = "evaluation";

export const evaluationPayloadSchema = z.object({ runId: z.number().int(), promptId: z.number().int() });

/** What a run's requests are cached under besides the request itself. */
export function evalCacheKey(runId: number): string {
  return `eval-run:${runId}`;
}

export type EvaluationHandlerOptions = Omit<CreateChatModelOptions, "db">;

export function createEvaluationHandler(options: EvaluationHandlerOptions = {}): TaskHandler {
  const models = new Map<number, ChatModel>();
  return async (db: Db, task, context) => {
    const payload = evaluationPayloadSchema.safeParse(task.payload);
    if (!payload.success) throw new PermanentTaskError(`task ${task.id}: payload is not {runId, promptId}`);
    const { runId, promptId } = payload.data;
    const [run, prompt] = await Promise.all([
      db.evalRun.findUnique({ where: { id: runId } }),
      db.benchmarkPrompt.findUnique({ where: { id: promptId } }),
    ]);
    if (!run || !prompt)
      throw new PermanentTaskError(`eval run ${runId} or benchmark prompt ${promptId} no longer exists`);

    let model = models.get(runId);
    if (!model) {
      model = createChatModel({ provider: run.provider, model: run.model }, { ...options, db });
      if (models.size > 100) models.clear();
      models.set(runId, model);
    }
    const messages: ChatMessage[] = run.systemPrompt ? [{ role: "system", content: run.systemPrompt }] : [];
    messages.push({ role: "user", content: prompt.prompt });
    const reply = await model.complete(
      {
        messages,
        temperature: run.temperature,
        maxTokens: run.maxTokens ?? undefined,
        cacheKey: evalCacheKey(run.id),
      },
      { jobId: task.jobId, taskId: task.id, signal: context.signal },
    );
    if (!reply.cached) {
      context.usage.promptTokens += reply.usage.promptTokens;
      context.usage.completionTokens += reply.usage.completionTokens;
      context.usage.costUsd += reply.usage.costUsd;
    }

    const instructionIds = prompt.instructionIds as ConstraintId[];
    const row = { prompt: prompt.prompt, instruction_id_list: instructionIds };
    const instructions = buildInstructions({ ...row, kwargs: prompt.kwargs as Record<string, unknown>[] });
    const { strict, loose } = evaluateBuiltBoth(row, instructions, reply.text);
    const data = {
      response: reply.text,
      strict: strict.follow_instruction_list,
      loose: loose.follow_instruction_list,
      allStrict: strict.follow_all_instructions,
      allLoose: loose.follow_all_instructions,
    };
    return {
      progress: { allStrict: data.allStrict, allLoose: data.allLoose },
      write: async (tx) => {
        await tx.evalResponse.upsert({
          where: { runId_promptId: { runId, promptId } },
          create: { runId, promptId, ...data },
          update: data,
        });
      },
    };
  };
}
