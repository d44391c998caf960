import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/jobs/auto-refresh";
import { ProgressBar, StatusBadge } from "@/components/jobs/job-views";
import { Card, PageHeader } from "@/components/ui/card";
import { hasScope } from "@/lib/auth/roles";
import { isFinished, listJobs } from "@/lib/jobs";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCost, formatCount, formatCounted, formatDuration } from "@/lib/format";
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
          <Table label="Jobs" data-testid="jobs-table">
            <THead>
              <Tr>
                <Th>Job</Th>
                <Th>Status</Th>
                <Th className="w-1/4">Progress</Th>
                <Th numeric>Pairs</Th>
                <Th numeric>Tokens</Th>
                <Th numeric>Cost</Th>
                <Th numeric>Elapsed</Th>
                <Th>Started by</Th>
              </Tr>
            </THead>
            <TBody>
              {jobs.map((job) => (
                <Tr key={job.id}>
                  <Td>
                    <Link href={`/jobs/${job.id}`} className="font-medium text-indigo-700 hover:underline">
                      #{job.id} {job.pipeline === "ecd" ? "ECD" : job.pipeline === "c2s" ? "C2S" : job.kind}
                    </Link>
                  </Td>
                  <Td>
                    <StatusBadge status={job.status} />
                  </Td>
                  <Td>
                    <ProgressBar job={job} />
                    <span className="text-xs text-slate-500 tabular-nums">
                      {formatCount(job.tasksDone + job.tasksFailed + job.tasksCancelled)} /{" "}
                      {formatCounted(job.tasksTotal, "task")}
                      {job.tasksFailed ? ` · ${formatCount(job.tasksFailed)} failed` : ""}
                    </span>
                  </Td>
                  <Td numeric>{formatCount(job.pairs)}</Td>
                  <Td numeric>{formatCount(job.promptTokens + job.completionTokens)}</Td>
                  <Td numeric>{formatCost(job.costUsd)}</Td>
                  <Td numeric>{formatDuration(job.elapsedSeconds)}</Td>
                  <Td muted>{job.createdBy ?? "CLI / demo"}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
