import type { JobSummary } from "@/lib/jobs";
import { formatCost, formatCount, formatDuration } from "@/lib/format";

const STATUS_STYLES: Record<string, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-sky-100 text-sky-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-rose-100 text-rose-800",
  cancelled: "bg-amber-100 text-amber-800",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[status] ?? "bg-slate-100"}`}
      data-testid="job-status"
    >
      {status}
    </span>
  );
}

export function ProgressBar({ job }: { job: JobSummary }) {
  const total = Math.max(1, job.tasksTotal);
  const pct = (n: number) => `${(100 * n) / total}%`;
  const done = job.tasksDone + job.tasksFailed + job.tasksCancelled;
  return (
    <div
      className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100"
      role="progressbar"
      aria-label={`Job ${job.id} progress`}
      aria-valuemin={0}
      aria-valuemax={job.tasksTotal}
      aria-valuenow={done}
    >
      <div className="bg-emerald-500" style={{ width: pct(job.tasksDone) }} />
      <div className="bg-rose-500" style={{ width: pct(job.tasksFailed) }} />
      <div className="bg-amber-400" style={{ width: pct(job.tasksCancelled) }} />
      <div className="animate-pulse bg-sky-300" style={{ width: pct(job.tasksRunning) }} />
    </div>
  );
}

export function JobStats({ job }: { job: JobSummary }) {
  const tiles: [string, string, string][] = [
    [
      "Tasks",
      `${formatCount(job.tasksDone + job.tasksFailed + job.tasksCancelled)} / ${formatCount(job.tasksTotal)}`,
      "tasks",
    ],
    ["Succeeded", formatCount(job.tasksDone), "done"],
    ["Failed", formatCount(job.tasksFailed), "failed"],
    ["Running", formatCount(job.tasksRunning), "running"],
    ["Pairs", formatCount(job.pairs), "pairs"],
    ["Tokens", formatCount(job.promptTokens + job.completionTokens), "tokens"],
    ["Cost", formatCost(job.costUsd), "cost"],
    ["Elapsed", formatDuration(job.elapsedSeconds), "elapsed"],
    ["ETA", job.etaSeconds === null ? "–" : formatDuration(job.etaSeconds), "eta"],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-9">
      {tiles.map(([label, value, id]) => (
        <div key={label} className="rounded-md bg-slate-50 p-3">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
          <dd className="mt-1 text-lg font-semibold tabular-nums" data-testid={`job-${id}`}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
