/**
 * lib/constraints — the verifiable-constraint registry (pure: no I/O, no DB, no Next/React).
 * Import from here rather than from the files inside.
 */
export { CONSTRAINT_IDS, isConstraintId, type ConstraintId, type Kwargs } from "./ids";
export { REGISTRY, type ConstraintDefinition } from "./registry";
export { CHECKS, ConstraintKwargsError, parseKwargs, type CheckDefinition } from "./checks/index";
export { followsLoose, followsStrict } from "./evaluate";
export {
  composeConstraints,
  drawConstraintIds,
  sampleKwargs,
  FALLBACK_WORDS,
  VALUE_POOLS,
  type ComposeOptions,
  type ComposedConstraints,
} from "./compose";
export { CONFLICTS, conflicts, conflictsWithAny } from "./conflicts";
export { describeConstraint, renderConstraint, LANGUAGE_NAMES, TEXTS } from "./describe";
export {
  hasRepair,
  repair,
  repairAll,
  REPAIR_ORDER,
  type ConstraintSpec,
  type RepairAllResult,
  type RepairOptions,
  type RepairResult,
} from "./repair/index";
export {
  insertedFragments,
  lostWords,
  repairDamage,
  requiredTexts,
  titleProblem,
  type RepairDamage,
} from "./repair/preserve";
export { createRng, hashSeed, type Rng } from "./rng";
