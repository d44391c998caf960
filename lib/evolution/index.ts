/**
 * lib/evolution — the ECD and C2S pipelines as plain async functions over roles (pure
 * orchestration: no DB, no HTTP, no fs). Import from here.
 */
export * from "./types";
export {
  failure,
  isTaskLevelError,
  isTransientLlmError,
  ok,
  type Answer,
  type C2sRoles,
  type CorrectRequest,
  type EcdRoles,
  type Evolution,
  type EvolveRequest,
  type Evolver,
  type Judge,
  type Judgement,
  type JudgeRequest,
  type Responder,
  type RespondRequest,
  type ResponseRole,
  type RoleOutcome,
  type RolePlayer,
  type Roles,
  type Student,
  type StudentRequest,
  type Teacher,
} from "./roles";
export {
  createLlmRoles,
  LlmEvolver,
  LlmJudge,
  LlmResponder,
  LlmStudent,
  LlmTeacher,
  type LlmRoleModels,
  type LlmRoleOptions,
} from "./llm-roles";
export {
  createRuleBasedRoles,
  RULE_BASED_EXCLUDED_IDS,
  RuleBasedEvolver,
  RuleBasedResponder,
  RuleBasedStudent,
  RuleBasedTeacher,
} from "./rule-based-roles";
export { auditRepairedPairs, type AuditedPair } from "./repair-audit";
export {
  CONSTRAINT_TEXT_MODES,
  MAX_ECD_CANDIDATES,
  R0_SOURCES,
  runEcd,
  type ConstraintTextMode,
  type EcdOptions,
  type R0Source,
} from "./ecd";
export { C2S_MODES, C2S_NODE_KEY, runC2s, type C2sMode, type C2sOptions } from "./c2s";
export { validateSeed } from "./seed";
export { DROP_CODES, DROP_REASONS, describeDrop, isDropCode, type Drop, type DropCode } from "./drop-reasons";
export { TEMPLATE_MARKERS } from "./prompts";
