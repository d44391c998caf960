import { z } from "zod";
import type { Db } from "../db/client.ts";
import { LlmJudge } from "../evolution/llm-roles.ts";
import type { Constraint } from "../evolution/types.ts";
import { toVerification, verify } from "../evolution/verify.ts";
import { createChatModel } from "../llm/providers.ts";
import type { CallContext } from "../llm/types.ts";
import { type JudgedSide, judgeModelOf, rejudgeTarget, storeJudgeVerdicts } from "../review/rejudge.ts";
import type { VerificationEntry } from "../review/types.ts";
import type { TaskHandler } from "./handlers.ts";
import { MeteredChatModel, type RunnerOptions } from "./runner.ts";
import type { ModelChoice } from "./schemas.ts";
import { PermanentTaskError } from "./worker.ts";

const payloadSchema = z.object({ pairId: z.number().int().positive(), version: z.number().int() });

/**
 * The `rejudge` handler (lib/review/rejudge.ts): judges the free-form constraints an edit left
 * unknown with the judge model of the job (the generating job's `judge` role), through the same
 * judge prompt and verification code as the pipelines and through the LlmCall cache, then stores
 * the verdicts in the completing transaction. A stale answer (the pair's content changed while
 * the judge ran) is dropped: the change that made it stale started its own re-check.
 */
export function createRejudgeHandler(options: RunnerOptions = {}): TaskHandler {
  const chatModel = (db: Db, choice: ModelChoice) =>
    options.createModel ? options.createModel(choice, db) : createChatModel(choice, { ...options, db });

  return async (db, task, ctx) => {
    const payload = payloadSchema.safeParse(task.payload);
    if (!payload.success) throw new PermanentTaskError(`rejudge task ${task.id} has no valid pair id`);
    const judgeChoice = await judgeModelOf(db, task.jobId);
    if (!judgeChoice) throw new PermanentTaskError(`rejudge job ${task.jobId} has no judge model`);

    const target = await rejudgeTarget(db, payload.data.pairId);
    if (!target) return { progress: { judged: 0 }, write: async () => {} };

    const context: CallContext = { jobId: task.jobId, taskId: task.id, signal: ctx.signal };
    const judge = new LlmJudge(
      new MeteredChatModel(chatModel(db, judgeChoice), "judge", ctx.usage, context, ctx.draining),
    );
    // Only free-form indexes are verified, so the stored constraints serve as the pipeline's.
    const constraints = target.constraints as Constraint[];
    const sides: JudgedSide[] = [];
    for (const side of target.sides) {
      ctx.signal.throwIfAborted();
      const checked = await verify(side.text, constraints, target.prompt, { judge, cache: new Map() }, side.indexes);
      // An unusable judge reply leaves the verdict unknown rather than storing a guess.
      const entries = checked.filter((c) => !c.unknown).map((c) => toVerification(c) as VerificationEntry);
      sides.push({ side: side.side, responseId: side.responseId, entries });
    }
    const judged = sides.reduce((n, s) => n + s.entries.length, 0);
    return {
      progress: { judged },
      write: async (tx) => {
        const stored = await storeJudgeVerdicts(tx, target, sides);
        if (stored === "stale") console.log(`[ecd] pair ${target.pairId} changed while it was judged: answer dropped`);
      },
    };
  };
}
