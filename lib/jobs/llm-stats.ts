/**
 * A job's LLM calls by provider and role: calls, answers from the cache, retries, the failed
 * attempts by kind (429s, 5xx, timeouts, parse failures, network), calls that failed for good,
 * tokens and cost of the answers paid for. The runner counts them per task attempt (every
 * attempt, also one that fails); lib/jobs/commands.ts adds them to Task.llmStats in the
 * transaction that ends the attempt; the job page sums them.
 */
import type { ChatResponse, LlmCallError } from "../llm/types.ts";

export interface LlmRoleStats {
  provider: string;
  role: string;
  calls: number;
  cached: number;
  /** Calls that failed after their attempts (the task step failed or the task was retried). */
  failed: number;
  /** HTTP attempts that were followed by another attempt. */
  retries: number;
  rateLimited: number;
  serverErrors: number;
  timeouts: number;
  parseFailures: number;
  networkErrors: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** By `${provider}/${role}`. */
export type LlmStats = Record<string, LlmRoleStats>;

const COUNTERS = [
  "calls",
  "cached",
  "failed",
  "retries",
  "rateLimited",
  "serverErrors",
  "timeouts",
  "parseFailures",
  "networkErrors",
  "promptTokens",
  "completionTokens",
  "costUsd",
] as const;

function entry(stats: LlmStats, provider: string, role: string): LlmRoleStats {
  const key = `${provider}/${role}`;
  stats[key] ??= { provider, role, ...Object.fromEntries(COUNTERS.map((c) => [c, 0])) } as LlmRoleStats;
  return stats[key];
}

function countFailedAttempts(row: LlmRoleStats, kinds: readonly LlmCallError["kind"][]) {
  for (const kind of kinds) {
    if (kind === "rate_limited") row.rateLimited++;
    else if (kind === "server_error") row.serverErrors++;
    else if (kind === "timeout") row.timeouts++;
    else if (kind === "unparsable") row.parseFailures++;
    else if (kind === "network") row.networkErrors++;
  }
}

export function recordAnswer(stats: LlmStats, provider: string, role: string, response: ChatResponse): void {
  const row = entry(stats, provider, role);
  row.calls++;
  if (response.cached) {
    row.cached++;
    return;
  }
  const failedAttempts = response.failedAttempts ?? [];
  row.retries += failedAttempts.length;
  countFailedAttempts(row, failedAttempts);
  row.promptTokens += response.usage.promptTokens;
  row.completionTokens += response.usage.completionTokens;
  row.costUsd += response.usage.costUsd;
}

export function recordFailure(stats: LlmStats, provider: string, role: string, error: LlmCallError): void {
  const row = entry(stats, provider, role);
  if (error.kind === "cancelled" && error.attempts === 0) return;
  row.calls++;
  row.failed++;
  const failedAttempts = error.failedAttempts;
  row.retries += Math.max(0, failedAttempts.length - 1);
  countFailedAttempts(row, failedAttempts);
}

/** `a` plus `b` (a new object). */
export function mergeLlmStats(a: LlmStats | null | undefined, b: LlmStats | null | undefined): LlmStats {
  const out: LlmStats = {};
  for (const stats of [a, b]) {
    for (const row of Object.values(stats ?? {})) {
      const target = entry(out, row.provider, row.role);
      for (const c of COUNTERS) target[c] += Number(row[c]) || 0;
    }
  }
  return out;
}

export type LlmCounters = Omit<LlmRoleStats, "provider" | "role">;

/** Every counter summed over all providers and roles. */
export function totalLlmStats(stats: LlmStats): LlmCounters {
  const {
    provider: _provider,
    role: _role,
    ...totals
  } = entry(
    mergeLlmStats(
      {},
      Object.fromEntries(Object.values(stats).map((row, i) => [i, { ...row, provider: "", role: "" }])),
    ),
    "",
    "",
  );
  return totals;
}

/** Rows sorted by provider, then role. */
export function llmStatsRows(stats: LlmStats): LlmRoleStats[] {
  return Object.values(stats).sort((x, y) => x.provider.localeCompare(y.provider) || x.role.localeCompare(y.role));
}
