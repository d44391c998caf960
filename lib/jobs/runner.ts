import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { DomainError } from "../errors.ts";
import {
  type C2sRoles,
  type EcdRoles,
  EvolutionInputError,
  type Evolver,
  type GeneratedResponse,
  type Judge,
  LlmEvolver,
  LlmJudge,
  LlmResponder,
  LlmStudent,
  LlmTeacher,
  type PipelineResult,
  type Responder,
  RULE_BASED_PROVIDER,
  RuleBasedEvolver,
  RuleBasedResponder,
  RuleBasedStudent,
  RuleBasedTeacher,
  runC2s,
  runEcd,
  type SeedInput,
  type Student,
  type Teacher,
} from "../evolution/index.ts";
import { createChatModel, type CreateChatModelOptions } from "../llm/providers.ts";
import type { CallContext, ChatModel, ChatRequest, ChatResponse } from "../llm/types.ts";
import { createPair } from "../review/pairs.ts";
import type { Usage } from "./queue.ts";
import { type JobModels, type JobParams, jobParamsSchema, type ModelChoice, type ModelRole, type Pipeline } from "./schemas.ts";
import { PermanentTaskError, type TaskExecutor } from "./worker.ts";

/**
 * The runner: executes one task (one seed through the job's pipeline) and hands back a TaskRun
 * whose `write` stores everything the pipeline made — nodes, responses, pairs — inside the
 * transaction that completes the task. Rows are keyed by (jobId, runKey = `${seedId}:${key}`),
 * so a re-run finds what is already there instead of duplicating it, and a failed task writes
 * nothing at all. The pipeline's depth-0 node is the seed's own node 0 (shared by every job).
 */

export type RunnerOptions = Omit<CreateChatModelOptions, "db">;

/** Counts tokens and cost of the calls actually paid for, and attributes every call to the task. */
class MeteredChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  constructor(
    private readonly inner: ChatModel,
    private readonly usage: Usage,
    private readonly context: CallContext,
  ) {
    this.provider = inner.provider;
    this.model = inner.model;
  }

  async complete(request: ChatRequest, context?: CallContext): Promise<ChatResponse> {
    const response = await this.inner.complete(request, { ...context, ...this.context });
    if (!response.cached) {
      this.usage.promptTokens += response.usage.promptTokens;
      this.usage.completionTokens += response.usage.completionTokens;
      this.usage.costUsd += response.usage.costUsd;
    }
    return response;
  }
}

type AnyRole = Evolver | Responder | Student | Teacher | Judge;

/** Builds the role players of a job: rule-based for provider "rule-based", else an LLM role over a ChatModel. */
export function buildRoles(pipeline: Pipeline, models: JobModels, model: (choice: ModelChoice) => ChatModel): EcdRoles | C2sRoles {
  const context = {};
  const role = <R extends AnyRole>(name: ModelRole, ruleBased: () => R | undefined, llm: (chat: ChatModel) => R): R | undefined => {
    const choice = models[name];
    if (!choice) return undefined;
    return choice.provider === RULE_BASED_PROVIDER ? ruleBased() : llm(model(choice));
  };
  const evolver = role<Evolver>("evolver", () => new RuleBasedEvolver(), (chat) => new LlmEvolver(chat, context));
  if (pipeline === "ecd") {
    const responder = role<Responder>("responder", () => new RuleBasedResponder(), (chat) => new LlmResponder(chat, context));
    // The rule-based provider has no judge: free-form constraints then never verify.
    const judge = role<Judge>("judge", () => undefined, (chat) => new LlmJudge(chat, context));
    if (!evolver || !responder) throw new PermanentTaskError("an ECD job needs an evolver and a responder");
    return { evolver, responder, judge };
  }
  const student = role<Student>("student", () => new RuleBasedStudent(), (chat) => new LlmStudent(chat, context));
  const teacher = role<Teacher>("teacher", () => new RuleBasedTeacher(), (chat) => new LlmTeacher(chat, context));
  if (!student || !teacher) throw new PermanentTaskError("a C2S job needs a student and a teacher");
  return { evolver, student, teacher };
}

/** Errors that retrying the task cannot fix. */
export function isPermanentTaskError(error: unknown): boolean {
  return error instanceof PermanentTaskError || error instanceof EvolutionInputError || error instanceof DomainError;
}

type JobRow = { datasetId: number; pipeline: Pipeline; params: JobParams; models: JobModels };

/**
 * The default executor: loads the task's seed (and the job, cached: a job's settings never
 * change), runs the pipeline, returns what to write. ChatModels are reused for a minute (then
 * made again, so a changed providers.json is picked up).
 */
export function createTaskExecutor(options: RunnerOptions = {}): TaskExecutor {
  const jobs = new Map<number, JobRow>();
  const chatModels = new Map<string, { model: ChatModel; until: number }>();
  const chatModel = (db: Db, choice: ModelChoice): ChatModel => {
    const key = `${choice.provider}\u0000${choice.model}`;
    const cached = chatModels.get(key);
    if (cached && cached.until > Date.now()) return cached.model;
    const model = createChatModel(choice, { ...options, db });
    chatModels.set(key, { model, until: Date.now() + 60_000 });
    return model;
  };
  const loadJob = async (db: Db, jobId: number): Promise<JobRow> => {
    const known = jobs.get(jobId);
    if (known) return known;
    const job = await db.job.findUnique({ where: { id: jobId }, select: { datasetId: true, pipeline: true, params: true, models: true } });
    if (!job) throw new PermanentTaskError(`job ${jobId} no longer exists`);
    const row = { datasetId: job.datasetId, pipeline: job.pipeline as Pipeline, params: jobParamsSchema.parse(job.params), models: job.models as JobModels };
    if (jobs.size > 1000) jobs.clear();
    jobs.set(jobId, row);
    return row;
  };

  return async (db, task, ctx) => {
    const job = await loadJob(db, task.jobId);
    const seed = await db.seed.findUnique({
      where: { id: task.seedId },
      select: {
        id: true,
        instruction: true,
        input: true,
        referenceResponse: true,
        nodes: { where: { depth: 0, jobId: null }, orderBy: { id: "asc" }, take: 1, select: { id: true, constraints: true } },
      },
    });
    if (!seed) throw new PermanentTaskError(`seed ${task.seedId} no longer exists`);
    const { nodes, ...rest } = seed;
    const node0 = nodes[0];
    const input: SeedInput = { ...rest, constraints: (node0?.constraints ?? []) as unknown as SeedInput["constraints"] };

    const context: CallContext = { jobId: task.jobId, taskId: task.id, signal: ctx.signal };
    const model = (choice: ModelChoice) => new MeteredChatModel(chatModel(db, choice), ctx.usage, context);
    const roles = buildRoles(job.pipeline, job.models, model);
    ctx.signal.throwIfAborted();
    const { params } = job;
    const result =
      job.pipeline === "ecd"
        ? await runEcd(input, roles as EcdRoles, { rounds: params.rounds, branches: params.branches, operations: params.operations, rngSeed: params.randomSeed })
        : await runC2s(input, roles as C2sRoles, { constraintsPerPrompt: params.constraintsPerPrompt, ids: params.constraintIds, rngSeed: params.randomSeed });
    ctx.signal.throwIfAborted();
    return {
      progress: summarize(result),
      write: async (tx) => {
        await writeResult(tx, { jobId: task.jobId, datasetId: job.datasetId, seedId: seed.id, rootNodeId: node0?.id, pipeline: job.pipeline, result });
      },
    };
  };
}

function summarize(result: PipelineResult) {
  return {
    nodes: result.nodes.filter((n) => n.depth > 0 && n.status === "kept").length,
    dropped: result.nodes.filter((n) => n.status === "dropped").length,
    responses: result.responses.length,
    pairs: result.pairs.length,
    log: result.log.slice(0, 50),
  };
}

/** `${seedId}:${key}`: a pipeline key made unique within the job. */
export function runKeyOf(seedId: number, key: string): string {
  return `${seedId}:${key}`;
}

/**
 * Stores one seed's PipelineResult (inside the completing transaction). Idempotent: rows that
 * already exist under (jobId, runKey) are reused, not created again.
 */
export async function writeResult(
  tx: Prisma.TransactionClient,
  options: { jobId: number; datasetId: number; seedId: number; rootNodeId?: number; pipeline: Pipeline; result: PipelineResult },
): Promise<{ nodes: number; responses: number; pairs: number }> {
  const { jobId, datasetId, seedId, result } = options;
  const rk = (key: string) => runKeyOf(seedId, key);
  const created = { nodes: 0, responses: 0, pairs: 0 };

  // Nodes: the depth-0 node is the seed's own; the others are this job's, parents first.
  const nodeIds = new Map<string, number>();
  const existingNodes = await tx.node.findMany({ where: { jobId, runKey: { in: result.nodes.map((n) => rk(n.key)) } }, select: { id: true, runKey: true } });
  const byRunKey = new Map(existingNodes.map((n) => [n.runKey!, n.id]));
  for (const node of [...result.nodes].sort((a, b) => a.depth - b.depth)) {
    if (node.parentKey === null) {
      const root =
        (options.rootNodeId !== undefined ? { id: options.rootNodeId } : null) ??
        (await tx.node.findFirst({ where: { seedId, depth: 0, jobId: null }, orderBy: { id: "asc" }, select: { id: true } })) ??
        (await tx.node.create({
          data: { datasetId, seedId, depth: 0, instruction: node.instruction, constraints: node.constraints as Prisma.InputJsonValue },
          select: { id: true },
        }));
      nodeIds.set(node.key, root.id);
      continue;
    }
    const existing = byRunKey.get(rk(node.key));
    if (existing !== undefined) {
      nodeIds.set(node.key, existing);
      continue;
    }
    const parentId = nodeIds.get(node.parentKey);
    if (parentId === undefined) throw new Error(`pipeline result: node ${node.key} has unknown parent ${node.parentKey}`);
    const row = await tx.node.create({
      data: {
        datasetId,
        seedId,
        parentId,
        depth: node.depth,
        instruction: node.instruction,
        constraints: node.constraints as Prisma.InputJsonValue,
        operation: node.operation,
        status: node.status,
        dropReason: node.dropReason ?? null,
        jobId,
        runKey: rk(node.key),
      },
      select: { id: true },
    });
    nodeIds.set(node.key, row.id);
    created.nodes++;
  }

  // Responses, each after the one it was derived from.
  const responseIds = new Map<string, number>();
  const existingResponses = await tx.response.findMany({ where: { jobId, runKey: { in: result.responses.map((r) => rk(r.key)) } }, select: { id: true, runKey: true } });
  for (const r of existingResponses) responseIds.set(r.runKey!.slice(String(seedId).length + 1), r.id);
  let pending: GeneratedResponse[] = result.responses.filter((r) => !responseIds.has(r.key));
  while (pending.length) {
    const ready = pending.filter((r) => !r.parentKey || responseIds.has(r.parentKey));
    if (ready.length === 0) throw new Error(`pipeline result: responses ${pending.map((r) => r.key).join(", ")} derive from unknown responses`);
    for (const response of ready) {
      const nodeId = nodeIds.get(response.nodeKey);
      if (nodeId === undefined) throw new Error(`pipeline result: response ${response.key} is on unknown node ${response.nodeKey}`);
      const row = await tx.response.create({
        data: {
          nodeId,
          text: response.text,
          role: response.role,
          provider: response.provider,
          model: response.model,
          verification: response.verification as unknown as Prisma.InputJsonValue,
          parentId: response.parentKey ? responseIds.get(response.parentKey)! : null,
          jobId,
          runKey: rk(response.key),
        },
        select: { id: true },
      });
      responseIds.set(response.key, row.id);
      created.responses++;
    }
    pending = pending.filter((r) => !responseIds.has(r.key));
  }

  // Pairs, through the review module's write path (it keeps PairCount in the same transaction).
  for (const pair of result.pairs) {
    const nodeId = nodeIds.get(pair.nodeKey);
    const chosenId = responseIds.get(pair.chosenKey);
    const rejectedId = responseIds.get(pair.rejectedKey);
    if (nodeId === undefined || chosenId === undefined || rejectedId === undefined) {
      throw new Error(`pipeline result: pair ${pair.key} refers to an unknown node or response`);
    }
    const made = await createPair(tx, {
      datasetId,
      nodeId,
      chosenId,
      rejectedId,
      method: pair.method,
      hardNegative: pair.hardNegative,
      metadata: pair.metadata,
      jobId,
      runKey: rk(pair.key),
    });
    if (made.created) created.pairs++;
  }
  return created;
}
