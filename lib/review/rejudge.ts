import type { Db, Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { enqueueJob } from "../jobs/commands.ts";
import type { JobModels, ModelChoice } from "../jobs/schemas.ts";
import { RULE_BASED_PROVIDER } from "../llm/providers.ts";
import { pairPrompt } from "./prompt.ts";
import { parseConstraints, parseVerification, type StoredConstraint, type VerificationEntry } from "./types.ts";
import { parsePairVerdicts } from "./verdict-record.ts";
import { refreshVerdicts, verdictSourceSelect, verdictsOf } from "./verdict-store.ts";

/**
 * The background re-check of free-form verdicts after an edit (issue 10): an edit stores
 * code-checked verdicts at once and leaves free-form ones `unknown`; right after it commits,
 * `enqueueRejudge` starts a `rejudge` job for the pair (no LLM call on the request path). Its
 * handler (lib/jobs/rejudge.ts) asks the judge model of the pair's generating job and stores the
 * answers with `storeJudgeVerdicts`, which drops them when the pair's content changed meanwhile.
 */

export const REJUDGE = "rejudge";

/** Why a free-form verdict is unknown when the pair has no judge (rule-based jobs, manual pairs). */
export const NO_JUDGE_REASON = "no judge model for this pair";
/** Why a free-form verdict is unknown while a re-check is due (a human edit, judged in the background). */
export const REJUDGE_PENDING_REASON = "waiting for the judge to re-check this edit";

/** The judge model of the job that generated the pair; null for manual pairs and rule-based jobs. */
export async function judgeModelOf(db: Db | Tx, jobId: number | null): Promise<ModelChoice | null> {
  if (jobId === null) return null;
  const job = await db.job.findUnique({ where: { id: jobId }, select: { models: true } });
  const judge = (job?.models as JobModels | null | undefined)?.judge;
  return judge && judge.provider !== RULE_BASED_PROVIDER ? judge : null;
}

type Side = "chosen" | "rejected";

/** What a re-check judges: the pair's prompt and, per edited side, the response and its unknown free-form constraints. */
export type RejudgeTarget = {
  pairId: number;
  prompt: string;
  constraints: StoredConstraint[];
  chosenId: number;
  rejectedId: number;
  sides: { side: Side; responseId: number; text: string; indexes: number[] }[];
};

const targetSelect = {
  ...verdictSourceSelect,
  jobId: true,
  verdicts: true,
  node: { select: { ...verdictSourceSelect.node.select, instruction: true } },
} as const;

/**
 * The free-form verdicts of the pair that only a judge can settle: unknown ones on a human edit
 * (a generated response's verdicts come from the pipeline). Null when there is nothing to judge.
 */
export async function rejudgeTarget(db: Db | Tx, pairId: number): Promise<RejudgeTarget | null> {
  const pair = await db.pair.findUnique({ where: { id: pairId }, select: targetSelect });
  if (!pair) return null;
  const record = parsePairVerdicts(pair.verdicts) ?? verdictsOf(pair);
  const constraints = parseConstraints(pair.node.constraints);
  const sides: RejudgeTarget["sides"] = [];
  for (const side of ["chosen", "rejected"] as const) {
    const response = pair[side];
    if (response.role !== "human") continue;
    const indexes = record.constraints
      .filter((c) => c.id === null && c[side] === "unknown" && constraints[c.index]?.kind === "free")
      .map((c) => c.index);
    if (indexes.length) sides.push({ side, responseId: response.id, text: response.text, indexes });
  }
  if (!sides.length) return null;
  return {
    pairId,
    prompt: pairPrompt(pair.metadata, pair.node.instruction),
    constraints,
    chosenId: pair.chosen.id,
    rejectedId: pair.rejected.id,
    sides,
  };
}

/**
 * Called right after an edit or swap commits: starts a one-task `rejudge` job when some free-form
 * verdict is unknown and the pair has a judge model. Returns the job id, or null.
 */
export async function enqueueRejudge(db: Db, pairId: number, actorId: number | null = null): Promise<number | null> {
  const target = await rejudgeTarget(db, pairId);
  if (!target) return null;
  const pair = await db.pair.findUniqueOrThrow({
    where: { id: pairId },
    select: { datasetId: true, jobId: true, version: true },
  });
  const judge = await judgeModelOf(db, pair.jobId);
  if (!judge) return null;
  const job = await enqueueJob(
    db,
    {
      kind: REJUDGE,
      datasetId: pair.datasetId,
      params: { pairId },
      models: { judge },
      maxAttempts: 3,
      createdById: actorId,
    },
    [{ kind: REJUDGE, payload: { pairId, version: pair.version } }],
  );
  return job.id;
}

export type JudgedSide = { side: Side; responseId: number; entries: VerificationEntry[] };

/**
 * Stores a re-check's judge verdicts on the edited responses and refreshes the pair's verdict
 * record — unless the pair's content (prompt, chosen, rejected) is no longer what was judged: a
 * stale answer is dropped (the edit that changed it started its own re-check). Votes, which bump
 * the version without changing content, do not make an answer stale.
 */
export async function storeJudgeVerdicts(
  tx: Tx,
  judged: Pick<RejudgeTarget, "pairId" | "prompt" | "chosenId" | "rejectedId">,
  sides: readonly JudgedSide[],
): Promise<"stored" | "stale"> {
  const pair = await tx.pair.findUnique({
    where: { id: judged.pairId },
    select: { chosenId: true, rejectedId: true, metadata: true, node: { select: { instruction: true } } },
  });
  if (
    !pair ||
    pair.chosenId !== judged.chosenId ||
    pair.rejectedId !== judged.rejectedId ||
    pairPrompt(pair.metadata, pair.node.instruction) !== judged.prompt
  )
    return "stale";
  for (const { responseId, entries } of sides) {
    if (!entries.length) continue;
    const response = await tx.response.findUniqueOrThrow({ where: { id: responseId }, select: { verification: true } });
    const replaced = new Set(entries.map((e) => e.constraintIndex));
    const kept = parseVerification(response.verification).filter(
      (e) => !(e.by === "judge" && replaced.has(e.constraintIndex)),
    );
    const verification = [...kept, ...entries].sort((a, b) => a.constraintIndex - b.constraintIndex);
    await tx.response.update({
      where: { id: responseId },
      data: { verification: verification as unknown as Prisma.InputJsonValue },
    });
  }
  await refreshVerdicts(tx, [judged.pairId]);
  return "stored";
}
