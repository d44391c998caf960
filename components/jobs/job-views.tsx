import type { JobSummary } from "@/lib/jobs";
import { formatCost, formatCount, formatDuration } from "@/lib/format";

const STATUS_STYLES: Record<string, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-sky-100 text-sky-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-rose-100 text-rose-800",
  cancelled: "bg-amber-100 text-amber-800",
};

export function StatusBadge({ status, label = status }: { status: string; label?: string }) {
  return (
    <span
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[status] ?? "bg-slate-100"}`}
      data-testid="job-status"
    >
      {label}
    </span>
  );
}

/** A progress bar of coloured segments (done, failed, cancelled, running) out of `total`. */
export function ProgressMeter({
  label,
  total,
  done,
  failed = 0,
  cancelled = 0,
  running = 0,
}: {
  label: string;
  total: number;
  done: number;
  failed?: number;
  cancelled?: number;
  running?: number;
}) {
  const scale = Math.max(1, total);
  const pct = (n: number) => `${Math.min(100, (100 * n) / scale)}%`;
  return (
    <div
      className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={Math.min(total, done + failed + cancelled)}
    >
      <div className="bg-emerald-500" style={{ width: pct(done) }} />
      <div className="bg-rose-500" style={{ width: pct(failed) }} />
      <div className="bg-amber-400" style={{ width: pct(cancelled) }} />
      <div className="animate-pulse bg-sky-300" style={{ width: pct(running) }} />
    </div>
  );
}

export function ProgressBar({ job }: { job: JobSummary }) {
  return (
    <ProgressMeter
      label={`Job ${job.id} progress`}
      total={job.tasksTotal}
      done={job.tasksDone}
      failed={job.tasksFailed}
      cancelled={job.tasksCancelled}
      running={job.tasksRunning}
    />
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
