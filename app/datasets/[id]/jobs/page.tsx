import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/jobs/auto-refresh";
import { ProgressBar, StatusBadge } from "@/components/jobs/job-views";
import { Card, PageHeader } from "@/components/ui/card";
import { hasScope } from "@/lib/auth/roles";
import { isFinished, listJobs } from "@/lib/jobs";
import { formatCost, formatCount, formatDuration } from "@/lib/jobs/format";
import { loadDatasetPage } from "../load-dataset";

export const metadata: Metadata = { title: "Jobs" };

export default async function DatasetJobsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, db, dataset, datasetId } = await loadDatasetPage(id, "datasets:read", `/datasets/${id}/jobs`);
  const jobs = await listJobs(db, { datasetId, take: 200 });
  const active = jobs.some((j) => !isFinished(j.status));
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            Jobs <AutoRefresh active={active} />
          </span>
        }
        description={
          <>
            Generation runs on{" "}
            <Link href={`/datasets/${datasetId}`} className="text-indigo-700 hover:underline">
              {dataset.name}
            </Link>
          </>
        }
        actions={
          hasScope(user.role, "jobs:run") ? (
            <Link
              href={`/datasets/${datasetId}/generate`}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500"
            >
              New generation
            </Link>
          ) : undefined
        }
      />
      <Card>
        {jobs.length === 0 ? (
          <p className="text-sm text-slate-600">No jobs yet.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="jobs-table">
            <thead>
              <tr className="text-xs uppercase tracking-wide text-slate-500">
                <th className="pb-2 pr-3">Job</th>
                <th className="pb-2 pr-3">Status</th>
                <th className="w-1/4 pb-2 pr-3">Progress</th>
                <th className="pb-2 pr-3 text-right">Pairs</th>
                <th className="pb-2 pr-3 text-right">Tokens</th>
                <th className="pb-2 pr-3 text-right">Cost</th>
                <th className="pb-2 pr-3 text-right">Elapsed</th>
                <th className="pb-2">Started by</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {jobs.map((job) => (
                <tr key={job.id}>
                  <td className="py-2 pr-3">
                    <Link href={`/jobs/${job.id}`} className="font-medium text-indigo-700 hover:underline">
                      #{job.id} {job.pipeline === "ecd" ? "ECD" : "C2S"}
                    </Link>
                  </td>
                  <td className="py-2 pr-3">
                    <StatusBadge status={job.status} />
                  </td>
                  <td className="py-2 pr-3">
                    <ProgressBar job={job} />
                    <span className="text-xs text-slate-500 tabular-nums">
                      {formatCount(job.tasksDone + job.tasksFailed + job.tasksCancelled)} /{" "}
                      {formatCount(job.tasksTotal)} tasks
                      {job.tasksFailed ? ` · ${job.tasksFailed} failed` : ""}
                    </span>
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatCount(job.pairs)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">
                    {formatCount(job.promptTokens + job.completionTokens)}
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatCost(job.costUsd)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatDuration(job.elapsedSeconds)}</td>
                  <td className="py-2 text-slate-600">{job.createdBy ?? "CLI / demo"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
