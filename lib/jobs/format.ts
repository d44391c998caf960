/** Display helpers shared by the job pages and the CLI (pure). */

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

export function formatCost(usd: number): string {
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** What a job runs, for titles: its pipeline for a generation job, else its kind. */
export function jobLabel(job: { kind: string; pipeline: string | null }): string {
  if (job.pipeline === "ecd") return "ECD";
  if (job.pipeline === "c2s") return "Complex to simple";
  return job.kind;
}
