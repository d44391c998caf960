/**
 * lib/review — the one write path for pairs and their review state (server side). Client
 * components import the pure modules directly: ./types, ./diff, ./verdicts,
 * ./verdict-record, ./prompt, ./pair-query, ./status (and ../domain.ts for the words).
 */
export * from "./types.ts";
export { deriveStatus, type DerivedStatus, type ReviewForStatus } from "./status.ts";
export * from "./verdict-record.ts";
export { refreshVerdicts, verdictsOf } from "./verdict-store.ts";
export { backfillVerdicts } from "./backfill.ts";
export {
  addToPairCount,
  constraintIdsOf,
  createPair,
  createPairs,
  inTransaction,
  newPairSchema,
  pairCounts,
  recountPairs,
  type CreatedPair,
  type DbOrTx,
  type NewPair,
  type Tx,
} from "./pairs.ts";
export {
  adjudicate,
  decide,
  editPair,
  FinalPairError,
  pairPrompt,
  reopenPair,
  statusRulesOf,
  StalePairError,
  voteAB,
  type DecisionOutcome,
  type PairState,
  type Reviewer,
} from "./decide.ts";
export { claimNext, claimPair, LEASE_MS, recentDecisions, releaseClaims } from "./queue.ts";
export { loadPairView, responseOrigin } from "./view.ts";
export {
  countPairs,
  encodeCursor,
  filterConditions,
  listPairs,
  matchingPairBatch,
  verdictSummary,
  pairFilterChoices,
  type PairPage,
  type PairRow,
} from "./query.ts";
export * from "./pair-query.ts";
export { bulkDecide, bulkDecisionSchema, type BulkDecisionInput, type BulkResult } from "./bulk.ts";
export {
  LENGTH_RATIO_EDGES,
  reviewOverview,
  type AcceptanceRow,
  type LengthRatioRow,
  type ReviewerRow,
  type ReviewOverview,
} from "./stats.ts";
export { agreement, type Agreement } from "./agreement.ts";
export {
  listSeeds,
  loadNodeDetail,
  loadSeedTree,
  type NodeDetail,
  type SeedListRow,
  type SeedTree,
  type TreeNode,
} from "./tree.ts";
export { ADJUDICATION_PAGE, adjudicationQueue, type AdjudicationItem, type AdjudicationVote } from "./adjudication.ts";
