import type { Db, Tx } from "../db/client.ts";
import { checkNewNodes, checkWrittenNodes, type NewNode, type NodeCheck, storeNodeCheck } from "../decontam/index.ts";
import type { Prisma } from "../db/generated/client.ts";
import { seedWithRootNode, storeJobRows } from "../db/tree-sql.ts";
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
import { AnswersBeingStored, storeAnswersIn } from "../llm/cache.ts";
import {
  type CallContext,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  LlmCallError,
  LlmCallWanted,
} from "../llm/types.ts";
import { recordAnswer, recordFailure } from "./llm-stats.ts";
import { createPairs, type WrittenPairSources } from "../review/pairs.ts";
import { parkTask, type Usage } from "./commands.ts";
import {
  type JobModels,
  type JobParams,
  jobParamsSchema,
  type ModelChoice,
  type ModelRole,
  type Pipeline,
  type Sampling,
} from "./schemas.ts";
import type { TaskHandler } from "./handlers.ts";
import { PermanentTaskError, TaskParked } from "./worker.ts";

/**
 * The runner: executes one task (one seed through the job's pipeline) and hands back a TaskRun
 * whose `write` stores everything the pipeline made — nodes, responses, pairs — inside the
 * transaction that completes the task. Rows are keyed by (jobId, runKey = `${seedId}:${key}`),
 * so a re-run finds what is already there instead of duplicating it, and a failed task writes
 * nothing at all. The pipeline's depth-0 node is the seed's own node 0 (shared by every job).
 */

export type RunnerOptions = Omit<CreateChatModelOptions, "db"> & {
  /** Makes the ChatModel for a role's choice (default: lib/llm's createChatModel). */
  createModel?: (choice: ModelChoice, db: Db) => ChatModel;
};

/**
 * Counts tokens and cost of the calls actually paid for and the role's call stats (retries, 429s,
 * 5xx, timeouts, parse failures), and attributes every call to the task.
 */
export class MeteredChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  constructor(
    private readonly inner: ChatModel,
    private readonly role: ModelRole,
    private readonly usage: Usage,
    private readonly context: CallContext,
    private readonly draining?: AbortSignal,
  ) {
    this.provider = inner.provider;
    this.model = inner.model;
  }

  async complete(request: ChatRequest, context?: CallContext): Promise<ChatResponse> {
    // A stopping worker starts no new call (the calls in flight finish and are stored).
    if (this.draining?.aborted) throw this.draining.reason;
    const stats = (this.usage.llm ??= {});
    let response: ChatResponse;
    try {
      response = await this.inner.complete(request, { ...context, ...this.context });
    } catch (error) {
      if (error instanceof LlmCallError) recordFailure(stats, this.provider, this.role, error);
      // Batch mode: the batch records which role asked.
      if (error instanceof LlmCallWanted) error.role = this.role;
      throw error;
    }
    recordAnswer(stats, this.provider, this.role, response);
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
export function buildRoles(
  pipeline: Pipeline,
  models: JobModels,
  model: (choice: ModelChoice, role: ModelRole) => ChatModel,
  sampling: JobParams["sampling"] = {},
): EcdRoles | C2sRoles {
  const role = <R extends AnyRole>(
    name: ModelRole,
    ruleBased: () => R | undefined,
    llm: (chat: ChatModel, options: Sampling) => R,
  ): R | undefined => {
    const choice = models[name];
    if (!choice) return undefined;
    return choice.provider === RULE_BASED_PROVIDER ? ruleBased() : llm(model(choice, name), sampling[name] ?? {});
  };
  const evolver = role<Evolver>(
    "evolver",
    () => new RuleBasedEvolver(),
    (chat, options) => new LlmEvolver(chat, options),
  );
  if (pipeline === "ecd") {
    const responder = role<Responder>(
      "responder",
      () => new RuleBasedResponder(),
      (chat, options) => new LlmResponder(chat, options),
    );
    // The rule-based provider has no judge: free-form constraints then never verify.
    const judge = role<Judge>(
      "judge",
      () => undefined,
      (chat, options) => new LlmJudge(chat, options),
    );
    if (!evolver || !responder) throw new PermanentTaskError("an ECD job needs an evolver and a responder");
    return { evolver, responder, judge };
  }
  const student = role<Student>(
    "student",
    () => new RuleBasedStudent(),
    (chat, options) => new LlmStudent(chat, options),
  );
  const teacher = role<Teacher>(
    "teacher",
    () => new RuleBasedTeacher(),
    (chat, options) => new LlmTeacher(chat, options),
  );
  if (!student || !teacher) throw new PermanentTaskError("a C2S job needs a student and a teacher");
  return { evolver, student, teacher };
}

/** Errors that retrying the task cannot fix. */
export function isPermanentTaskError(error: unknown): boolean {
  return error instanceof PermanentTaskError || error instanceof EvolutionInputError || error instanceof DomainError;
}

export type JobRow = { datasetId: number; pipeline: Pipeline; params: JobParams; models: JobModels };

/** One seed through its job's pipeline: what a generation task (or a batch-mode replay) computes. */
export type SeedRun = {
  job: JobRow;
  seedId: number;
  rootNodeId?: number;
  result: PipelineResult;
};

/**
 * Runs a seed through its job's pipeline (the job is cached: a job's settings never change).
 * ChatModels are reused for a minute (then made again, so a changed providers.json is picked up).
 * Every call is attributed to `context` and metered into `usage`.
 */
export function createSeedPipeline(options: RunnerOptions = {}) {
  // By job id, the load itself: the tasks a worker starts at once for a new job share one query.
  const jobs = new Map<number, Promise<JobRow>>();
  const chatModels = new Map<string, { model: ChatModel; until: number }>();
  const chatModel = (db: Db, choice: ModelChoice): ChatModel => {
    const key = `${choice.provider}\u0000${choice.model}`;
    const cached = chatModels.get(key);
    if (cached && cached.until > Date.now()) return cached.model;
    const model = options.createModel ? options.createModel(choice, db) : createChatModel(choice, { ...options, db });
    chatModels.set(key, { model, until: Date.now() + 60_000 });
    return model;
  };
  const readJob = async (db: Db, jobId: number): Promise<JobRow> => {
    const job = await db.job.findUnique({
      where: { id: jobId },
      select: { datasetId: true, pipeline: true, params: true, models: true },
    });
    if (!job) throw new PermanentTaskError(`job ${jobId} no longer exists`);
    if (job.datasetId === null || job.pipeline === null)
      throw new PermanentTaskError(`job ${jobId} is not a generation job`);
    return {
      datasetId: job.datasetId,
      pipeline: job.pipeline as Pipeline,
      params: jobParamsSchema.parse(job.params),
      models: job.models as JobModels,
    };
  };
  const loadJob = (db: Db, jobId: number): Promise<JobRow> => {
    const known = jobs.get(jobId);
    if (known) return known;
    if (jobs.size > 1000) jobs.clear();
    const loading = readJob(db, jobId);
    jobs.set(jobId, loading);
    // A failed load is not kept: the next task asks again.
    loading.catch(() => {
      if (jobs.get(jobId) === loading) jobs.delete(jobId);
    });
    return loading;
  };

  return {
    loadJob,
    async run(
      db: Db,
      jobId: number,
      seedId: number,
      meter: { context: CallContext; usage: Usage; draining?: AbortSignal },
    ): Promise<SeedRun> {
      const job = await loadJob(db, jobId);
      const seed = await seedWithRootNode(db, seedId);
      if (!seed) throw new PermanentTaskError(`seed ${seedId} no longer exists`);
      const input: SeedInput = {
        id: seed.id,
        contentHash: seed.contentHash,
        instruction: seed.instruction,
        input: seed.input,
        referenceResponse: seed.referenceResponse,
        constraints: seed.rootConstraints,
      };
      const model = (choice: ModelChoice, role: ModelRole) =>
        new MeteredChatModel(chatModel(db, choice), role, meter.usage, meter.context, meter.draining);
      const roles = buildRoles(job.pipeline, job.models, model, job.params.sampling);
      meter.context.signal?.throwIfAborted();
      const { params } = job;
      const result =
        job.pipeline === "ecd"
          ? await runEcd(input, roles as EcdRoles, {
              rounds: params.rounds,
              branches: params.branches,
              operations: params.operations,
              rngSeed: params.randomSeed,
              filters: { refusal: params.refusalFilter, degenerate: params.degenerateFilter },
              r0Source: params.r0Source,
              negatives: { ancestors: params.ancestorNegatives, siblings: params.siblingNegatives },
              wordBudget: params.wordBudget,
              constraintText: params.constraintText,
            })
          : await runC2s(input, roles as C2sRoles, {
              constraintsPerPrompt: params.constraintsPerPrompt,
              ids: params.constraintIds,
              rngSeed: params.randomSeed,
              filters: { refusal: params.refusalFilter, degenerate: params.degenerateFilter },
              mode: params.c2sMode,
              secondPass: params.secondPass,
            });
      return { job, seedId: input.id, rootNodeId: seed.rootNodeId ?? undefined, result };
    },
  };
}

/**
 * The generation handler: runs the task's seed through the pipeline and returns what to write.
 * In batch mode (not for estimates) no call is sent: a call with no stored answer parks the task
 * until the job's batch coordinator (batch-runner.ts) has it answered and wakes the task.
 */
export function createGenerationHandler(options: RunnerOptions = {}, mode: { dryRun?: boolean } = {}): TaskHandler {
  const pipeline = createSeedPipeline(options);
  return async (db, task, ctx) => {
    if (task.seedId === null) throw new PermanentTaskError(`generation task ${task.id} has no seed`);
    const job = await pipeline.loadJob(db, task.jobId);
    const batchMode = job.params.mode === "batch" && !mode.dryRun;
    // Paid answers are stored while the pipeline goes on (CallContext.storing); all of them are
    // stored before the task is failed, parked or released, or with it when it completes (the
    // completing transaction writes those still being written), so a retry finds every one.
    const storing = new AnswersBeingStored();
    const context: CallContext = {
      jobId: task.jobId,
      taskId: task.id,
      signal: ctx.signal,
      storing,
      ...(batchMode ? { batch: { wanted: [] } } : {}),
    };
    let run: SeedRun;
    try {
      run = await pipeline.run(db, task.jobId, task.seedId, { context, usage: ctx.usage, draining: ctx.draining });
    } catch (error) {
      await storing.settled();
      if (batchMode && (error instanceof LlmCallWanted || context.batch!.wanted.length)) {
        if (await parkTask(db, { taskId: task.id, owner: ctx.owner })) throw new TaskParked();
      }
      throw error;
    }
    if (ctx.signal.aborted) {
      await storing.settled();
      ctx.signal.throwIfAborted();
    }
    // Batch mode: every answer came from a batch, counted (calls, tokens, cost) by the coordinator.
    if (batchMode) delete ctx.usage.llm;
    const { result, rootNodeId } = run;
    // An estimate (estimate.ts) runs the same calls and keeps only the summary: no nodes, no pairs.
    if (mode.dryRun) return { progress: summarize(result), write: (tx) => storeAnswersIn(tx, storing) };
    // Evolved instructions are matched against the benchmark sets here, outside the completing
    // transaction, which only stores the matches (read-only: the import stores the built-in set).
    let nodeCheck: NodeCheck;
    try {
      nodeCheck = await checkNewNodes(db, evolvedNodes(result));
    } catch (error) {
      await storing.settled();
      throw error;
    }
    return {
      progress: summarize(result),
      write: async (tx) => {
        await storeAnswersIn(tx, storing);
        await writeResult(tx, {
          jobId: task.jobId,
          datasetId: job.datasetId,
          seedId: run.seedId,
          rootNodeId,
          pipeline: job.pipeline,
          result,
          nodeCheck,
        });
      },
    };
  };
}

/** The nodes a pipeline evolved (not the seed's own depth-0 node): what decontamination checks. */
function evolvedNodes(result: PipelineResult): NewNode[] {
  return result.nodes.filter((n) => n.depth > 0);
}

function summarize(result: PipelineResult) {
  const dropCodes: Record<string, number> = {};
  for (const node of result.nodes) if (node.drop) dropCodes[node.drop.code] = (dropCodes[node.drop.code] ?? 0) + 1;
  return {
    nodes: result.nodes.filter((n) => n.depth > 0 && n.status === "kept").length,
    dropped: result.nodes.filter((n) => n.status === "dropped").length,
    dropCodes,
    responses: result.responses.length,
    pairs: result.pairs.length,
    log: result.log.slice(0, 50),
  };
}

/** `${seedId}:${key}`: a pipeline key made unique within the job. */
export function runKeyOf(seedId: number, key: string): string {
  return `${seedId}:${key}`;
}

/** A dropped candidate's stored evolver reply is cut here: enough to see what went wrong. */
export const RAW_REPLY_MAX_CHARS = 8_000;

export function capRawReply(reply: string): string {
  if (reply.length <= RAW_REPLY_MAX_CHARS) return reply;
  return `${reply.slice(0, RAW_REPLY_MAX_CHARS)}… (${reply.length - RAW_REPLY_MAX_CHARS} more characters cut)`;
}

/**
 * Stores one seed's PipelineResult (inside the completing transaction), with one multi-row
 * INSERT per tree level for nodes and per derivation level for responses, and the review
 * module's createPairs for pairs. Idempotent: an INSERT skips rows that already exist under
 * (jobId, runKey), and only those are then looked up (a re-run; a first run reads nothing back).
 */
export async function writeResult(
  tx: Tx,
  options: {
    jobId: number;
    datasetId: number;
    seedId: number;
    rootNodeId?: number;
    pipeline: Pipeline;
    result: PipelineResult;
    /** The evolved nodes' decontamination check, made before the transaction (else made here). */
    nodeCheck?: NodeCheck;
  },
): Promise<{ nodes: number; responses: number; pairs: number }> {
  const { jobId, datasetId, seedId, result } = options;
  const rk = (key: string) => runKeyOf(seedId, key);
  const keyOf = (runKey: string) => runKey.slice(String(seedId).length + 1);
  const now = new Date();
  const created = { nodes: 0, responses: 0, pairs: 0 };
  /** Records the ids of one stored level (see storeJobRows) by pipeline key; every row must be there. */
  const record = (
    table: string,
    level: { key: string }[],
    stored: { ids: Map<string, number> },
    ids: Map<string, number>,
  ) => {
    for (const [runKey, id] of stored.ids) ids.set(keyOf(runKey), id);
    const lost = level.filter((item) => !ids.has(item.key));
    if (lost.length)
      throw new Error(`${table} rows ${lost.map((item) => item.key).join(", ")} were neither inserted nor found`);
  };

  // Nodes: the depth-0 node is the seed's own; the others are this job's, a tree level at a time.
  const nodeIds = new Map<string, number>();
  for (const node of result.nodes.filter((n) => n.parentKey === null)) {
    const root =
      (options.rootNodeId !== undefined ? { id: options.rootNodeId } : null) ??
      (await tx.node.findFirst({
        where: { seedId, depth: 0, jobId: null },
        orderBy: { id: "asc" },
        select: { id: true },
      })) ??
      (await tx.node.create({
        data: {
          datasetId,
          seedId,
          depth: 0,
          instruction: node.instruction,
          constraints: node.constraints as Prisma.InputJsonValue,
        },
        select: { id: true },
      }));
    nodeIds.set(node.key, root.id);
  }
  let pendingNodes = result.nodes.filter((n) => !nodeIds.has(n.key));
  while (pendingNodes.length) {
    const level = pendingNodes.filter((n) => nodeIds.has(n.parentKey!));
    if (level.length === 0)
      throw new Error(`pipeline result: nodes ${pendingNodes.map((n) => n.key).join(", ")} have unknown parents`);
    const toRow = (n: (typeof level)[number]) => ({
      datasetId,
      seedId,
      parentId: nodeIds.get(n.parentKey!)!,
      depth: n.depth,
      instruction: n.instruction,
      constraints: n.constraints,
      operation: n.operation,
      status: n.status,
      dropCode: n.drop?.code ?? null,
      dropReason: n.drop?.detail ?? null,
      rawReply: n.status === "dropped" && n.rawReply !== undefined ? capRawReply(n.rawReply) : null,
      jobId,
      runKey: rk(n.key),
    });
    const stored = await storeJobRows(tx, jobId, { table: "Node", rows: level.map(toRow) }, now);
    record("Node", level, stored, nodeIds);
    created.nodes += stored.inserted;
    pendingNodes = pendingNodes.filter((n) => !nodeIds.has(n.key));
  }

  // Evolved instructions are checked against the benchmark sets; the nodes get their flags before
  // pairs copy them. A re-run that found rows already stored checks what is stored instead.
  const evolved = result.nodes.filter((n) => n.depth > 0).length;
  // A first run (every row inserted here, every flag known): pairs need not read them back.
  let evolvedFlag: boolean | null = null;
  if (options.nodeCheck && created.nodes === evolved)
    evolvedFlag = await storeNodeCheck(tx, options.nodeCheck, { datasetId, seedId, nodeIds });
  else await checkWrittenNodes(tx, datasetId, seedId, [...nodeIds.values()]);

  // Responses, each level after the responses it was derived from.
  const responseIds = new Map<string, number>();
  let pending: GeneratedResponse[] = result.responses;
  while (pending.length) {
    const level = pending.filter((r) => !r.parentKey || responseIds.has(r.parentKey));
    if (level.length === 0)
      throw new Error(
        `pipeline result: responses ${pending.map((r) => r.key).join(", ")} derive from unknown responses`,
      );
    const toRow = (r: GeneratedResponse) => {
      const nodeId = nodeIds.get(r.nodeKey);
      if (nodeId === undefined) throw new Error(`pipeline result: response ${r.key} is on unknown node ${r.nodeKey}`);
      return {
        nodeId,
        text: r.text,
        role: r.role,
        provider: r.provider,
        model: r.model,
        verification: r.verification,
        parentId: r.parentKey ? responseIds.get(r.parentKey)! : null,
        jobId,
        runKey: rk(r.key),
      };
    };
    const stored = await storeJobRows(tx, jobId, { table: "Response", rows: level.map(toRow) }, now);
    record("Response", level, stored, responseIds);
    created.responses += stored.inserted;
    pending = pending.filter((r) => !responseIds.has(r.key));
  }

  // Pairs, through the review module's write path (it keeps PairCount in the same transaction).
  const pairs = result.pairs.map((pair) => {
    const nodeId = nodeIds.get(pair.nodeKey);
    const chosenId = responseIds.get(pair.chosenKey);
    const rejectedId = responseIds.get(pair.rejectedKey);
    if (nodeId === undefined || chosenId === undefined || rejectedId === undefined) {
      throw new Error(`pipeline result: pair ${pair.key} refers to an unknown node or response`);
    }
    return {
      datasetId,
      nodeId,
      chosenId,
      rejectedId,
      method: pair.method,
      hardNegative: pair.hardNegative,
      metadata: pair.metadata,
      jobId,
      runKey: rk(pair.key),
    };
  });
  const written =
    evolvedFlag !== null &&
    options.rootNodeId !== undefined &&
    created.responses === result.responses.length &&
    result.pairs.every((pair) => result.nodes.find((n) => n.key === pair.nodeKey)!.depth > 0)
      ? writtenSources(result, datasetId, nodeIds, responseIds, evolvedFlag)
      : undefined;
  created.pairs += (await createPairs(tx, pairs, written)).filter((p) => p.created).length;
  return created;
}

/**
 * The pairs' nodes and responses as writeResult just stored them (JSON values as the database
 * gives them back), for createPairs instead of a read: only on a first run, when every row was
 * inserted here and the evolved nodes' contamination flag is known (`contaminated`).
 */
function writtenSources(
  result: PipelineResult,
  datasetId: number,
  nodeIds: ReadonlyMap<string, number>,
  responseIds: ReadonlyMap<string, number>,
  contaminated: boolean,
): WrittenPairSources {
  const asStored = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));
  const byKey = new Map(result.nodes.map((n) => [n.key, n]));
  const nodeKeys = new Set(result.pairs.map((p) => p.nodeKey));
  const responseKeys = new Set(result.pairs.flatMap((p) => [p.chosenKey, p.rejectedKey]));
  return {
    nodes: [...nodeKeys].map((key) => {
      const node = byKey.get(key)!;
      const parent = node.parentKey === null ? undefined : byKey.get(node.parentKey);
      return {
        id: nodeIds.get(key)!,
        datasetId,
        depth: node.depth,
        constraints: asStored(node.constraints),
        contaminated,
        parent: parent ? { constraints: asStored(parent.constraints) } : null,
      };
    }),
    responses: result.responses
      .filter((r) => responseKeys.has(r.key))
      .map((r) => ({
        id: responseIds.get(r.key)!,
        text: r.text,
        role: r.role,
        nodeId: nodeIds.get(r.nodeKey)!,
        verification: asStored(r.verification),
        node: { datasetId },
      })),
  };
}
