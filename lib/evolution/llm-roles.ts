/**
 * LLM-backed roles: one ChatModel per role, our own prompts (prompts.ts), structured output via
 * `jsonSchema` where a reply must be structured, defensive parsing (parse.ts).
 *
 * Errors: a reply that cannot be parsed, and an LlmCallError of kind bad_request or unparsable,
 * become `{ok: false, reason}` (recorded by the pipeline). Transient LlmCallErrors (rate_limited,
 * server_error, timeout, network) and cancellation are rethrown so the job retries (or stops) the
 * task; anything else is a bug and is rethrown too.
 */
import type { CallContext, ChatModel, ChatRequest } from "../llm/types";
import { LlmCallError } from "../llm/types";
import {
  correctionMessages,
  evolutionMessages,
  evolutionSchema,
  JUDGE_SCHEMA,
  judgeMessages,
  KEYWORD_SCHEMA,
  keywordMessages,
  responderMessages,
  studentMessages,
} from "./prompts";
import { parseEvolution, parseJudgement, parseKeywords, parseRevision } from "./parse";
import {
  failure,
  isTaskLevelError,
  ok,
  type Answer,
  type CorrectRequest,
  type EvolveOutcome,
  type EvolveRequest,
  type Evolver,
  type Judge,
  type Judgement,
  type JudgeRequest,
  type Responder,
  type RespondRequest,
  type RoleOutcome,
  type Roles,
  type Student,
  type StudentRequest,
  type Teacher,
} from "./roles";
import { EVOLUTION_OPERATIONS, type EvolutionOperation } from "./types";

export interface LlmRoleOptions {
  /** Attribution and cancellation passed to every call. */
  context?: CallContext;
  /** Sampling settings of the role's calls (each overrides the provider's default). */
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
}

/** Calls the model; a non-transient LlmCallError becomes a failure, everything else is rethrown. */
async function call(
  model: ChatModel,
  request: ChatRequest,
  options: LlmRoleOptions,
  what: string,
): Promise<RoleOutcome<string>> {
  const req: ChatRequest = { ...request };
  if (options.temperature !== undefined) req.temperature = options.temperature;
  if (options.maxTokens !== undefined) req.maxTokens = options.maxTokens;
  if (options.topP !== undefined) req.topP = options.topP;
  if (options.seed !== undefined) req.seed = options.seed;
  try {
    const reply = await model.complete(req, options.context);
    return ok(reply.text);
  } catch (err) {
    if (err instanceof LlmCallError && !isTaskLevelError(err)) {
      return failure(`${what} call failed (${err.kind}): ${err.message}`);
    }
    throw err;
  }
}

abstract class LlmRole {
  readonly provider: string;
  readonly model: string;
  constructor(
    protected readonly chat: ChatModel,
    protected readonly options: LlmRoleOptions = {},
  ) {
    this.provider = chat.provider;
    this.model = chat.model;
  }
}

export class LlmEvolver extends LlmRole implements Evolver {
  readonly operations: readonly EvolutionOperation[] = EVOLUTION_OPERATIONS;

  async evolve(request: EvolveRequest): Promise<EvolveOutcome> {
    const reply = await call(
      this.chat,
      {
        messages: evolutionMessages(
          request.instruction,
          request.constraints,
          request.operation,
          request.rng,
          request.wordBudget,
        ),
        jsonSchema: evolutionSchema(request.operation),
        cacheKey: request.variant,
      },
      this.options,
      "evolver",
    );
    return reply.ok ? { ...parseEvolution(reply.value, request.operation), rawReply: reply.value } : reply;
  }

  async proposeKeywords(seedText: string): Promise<RoleOutcome<string[]>> {
    const reply = await call(
      this.chat,
      { messages: keywordMessages(seedText), jsonSchema: KEYWORD_SCHEMA },
      this.options,
      "keyword",
    );
    return reply.ok ? parseKeywords(reply.value) : reply;
  }
}

function answerFrom(reply: RoleOutcome<string>, role: Answer["role"], what: string): RoleOutcome<Answer> {
  if (!reply.ok) return reply;
  if (reply.value.trim() === "") return failure(`${what} returned an empty reply`);
  return ok({ text: reply.value, role, derived: false });
}

export class LlmResponder extends LlmRole implements Responder {
  async respond(request: RespondRequest): Promise<RoleOutcome<Answer>> {
    const reply = await call(
      this.chat,
      { messages: responderMessages(request.instruction) },
      this.options,
      "responder",
    );
    return answerFrom(reply, "responder", "responder");
  }
}

export class LlmStudent extends LlmRole implements Student {
  async answer(request: StudentRequest): Promise<RoleOutcome<Answer>> {
    const reply = await call(this.chat, { messages: studentMessages(request.prompt) }, this.options, "student");
    return answerFrom(reply, "student", "student");
  }
}

export class LlmTeacher extends LlmRole implements Teacher {
  constructor(chat: ChatModel, options: LlmRoleOptions = {}) {
    // Corrections are deterministic edits (spec §9.3: temperature 0).
    super(chat, { temperature: 0, ...options });
  }

  async correct(request: CorrectRequest): Promise<RoleOutcome<Answer>> {
    const reply = await call(
      this.chat,
      {
        messages: correctionMessages(request.prompt, request.response, request.constraint.text),
        cacheKey: request.variant,
      },
      this.options,
      "teacher",
    );
    if (!reply.ok) return reply;
    const revised = parseRevision(reply.value);
    return revised.ok ? ok({ text: revised.value, role: "teacher", derived: true }) : revised;
  }
}

export class LlmJudge extends LlmRole implements Judge {
  constructor(chat: ChatModel, options: LlmRoleOptions = {}) {
    super(chat, { temperature: 0, ...options });
  }

  async judge(request: JudgeRequest): Promise<RoleOutcome<Judgement>> {
    const reply = await call(
      this.chat,
      { messages: judgeMessages(request.instruction, request.response, request.requirement), jsonSchema: JUDGE_SCHEMA },
      this.options,
      "judge",
    );
    return reply.ok ? parseJudgement(reply.value) : reply;
  }
}

export interface LlmRoleModels {
  evolver: ChatModel;
  responder: ChatModel;
  student: ChatModel;
  teacher: ChatModel;
  judge?: ChatModel;
}

/** All five roles over their models (a role's own options override `shared`). */
export function createLlmRoles(
  models: LlmRoleModels,
  shared: LlmRoleOptions = {},
  perRole: Partial<Record<keyof LlmRoleModels, LlmRoleOptions>> = {},
): Roles {
  const opts = (role: keyof LlmRoleModels) => ({ ...shared, ...perRole[role] });
  return {
    evolver: new LlmEvolver(models.evolver, opts("evolver")),
    responder: new LlmResponder(models.responder, opts("responder")),
    student: new LlmStudent(models.student, opts("student")),
    teacher: new LlmTeacher(models.teacher, opts("teacher")),
    judge: models.judge ? new LlmJudge(models.judge, opts("judge")) : undefined,
  };
}
