/**
 * Why a job made what it made (the job page and `ecd jobs show`): its candidates kept and dropped
 * by reason code (lib/evolution/drop-reasons.ts) with examples in the tree, its LLM calls by
 * provider and role (llm-stats.ts), and a warning with the top reasons when a finished job made
 * no pairs or dropped most of its candidates.
 */
import type { Db } from "../db/client.ts";
import { DROP_REASONS, isDropCode } from "../evolution/drop-reasons.ts";
import {
  type LlmCounters,
  type LlmRoleStats,
  type LlmStats,
  llmStatsRows,
  mergeLlmStats,
  totalLlmStats,
} from "./llm-stats.ts";
import { isFinished, type JobSummary } from "./read-models.ts";

/** Examples shown per drop reason. */
const EXAMPLES = 3;

export interface DropReasonCount {
  /** A code from the one list; null for drops stored before codes existed that no rule recognised. */
  code: string | null;
  /** What the code means. */
  description: string;
  count: number;
  /** Dropped nodes to look at in their seed's tree. */
  examples: { nodeId: number; seedId: number; detail: string | null }[];
}

export interface JobExplanation {
  /** Candidates (nodes below depth 0) the job made. */
  candidates: number;
  kept: number;
  dropped: number;
  /** Most frequent first. */
  dropReasons: DropReasonCount[];
  /** By provider, then role. */
  llm: LlmRoleStats[];
  /** Sums over `llm`. */
  llmTotals: LlmCounters;
  /** Set when a finished job made no pairs or dropped most of its candidates. */
  warning: string | null;
}

export async function explainJob(db: Db, job: Pick<JobSummary, "id" | "status" | "pairs">): Promise<JobExplanation> {
  const groups = await db.node.groupBy({
    by: ["status", "dropCode"],
    where: { jobId: job.id },
    _count: { _all: true },
  });
  let kept = 0;
  let dropped = 0;
  const byCode: { code: string | null; count: number }[] = [];
  for (const g of groups) {
    if (g.status === "dropped") {
      dropped += g._count._all;
      byCode.push({ code: g.dropCode, count: g._count._all });
    } else kept += g._count._all;
  }
  byCode.sort((a, b) => b.count - a.count || String(a.code).localeCompare(String(b.code)));
  const dropReasons: DropReasonCount[] = [];
  for (const { code, count } of byCode) {
    const examples = await db.node.findMany({
      where: { jobId: job.id, status: "dropped", dropCode: code },
      select: { id: true, seedId: true, dropReason: true },
      orderBy: { id: "asc" },
      take: EXAMPLES,
    });
    dropReasons.push({
      code,
      description: isDropCode(code) ? DROP_REASONS[code] : "no reason code (stored before codes existed)",
      count,
      examples: examples.map((n) => ({ nodeId: n.id, seedId: n.seedId, detail: n.dropReason })),
    });
  }

  const tasks = await db.task.findMany({ where: { jobId: job.id }, select: { llmStats: true } });
  let stats: LlmStats = {};
  for (const t of tasks) if (t.llmStats) stats = mergeLlmStats(stats, t.llmStats as unknown as LlmStats);
  const llm = llmStatsRows(stats);
  const llmTotals = totalLlmStats(stats);

  const candidates = kept + dropped;
  let warning: string | null = null;
  if (isFinished(job.status)) {
    const top = dropReasons
      .slice(0, 3)
      .map((r) => `${r.code ?? "uncoded"} (${r.count})`)
      .join(", ");
    const why = top ? ` Top reasons: ${top}.` : "";
    if (job.pairs === 0)
      warning = `This job made no pairs from ${candidates} candidate${candidates === 1 ? "" : "s"}.${why}`;
    else if (dropped * 2 > candidates)
      warning = `This job dropped ${dropped} of ${candidates} candidates (${Math.round((100 * dropped) / candidates)}%).${why}`;
  }
  return { candidates, kept, dropped, dropReasons, llm, llmTotals, warning };
}
