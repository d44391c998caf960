import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/jobs/auto-refresh";
import { JobActions } from "@/components/jobs/job-actions";
import { EstimateView } from "@/components/jobs/estimate-view";
import { ThroughputChart } from "@/components/jobs/throughput-chart";
import { JobExplanationView } from "@/components/jobs/job-explanation";
import { JobStats, ProgressBar, StatusBadge } from "@/components/jobs/job-views";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { hasScope } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import { formatCount } from "@/lib/format";
import {
  encodeModelChoice,
  ESTIMATE,
  explainJob,
  describeMethod,
  getEstimate,
  jobThroughput,
  formatConstraintRange,
  getJob,
  isFinished,
  jobLabel,
  listJobPairs,
  listTasks,
} from "@/lib/jobs";
import { loadJobPage } from "./load-job";

export async function generateMetadata({ params }: { params: Promise<{ jobId: string }> }): Promise<Metadata> {
  return { title: `Job ${(await params).jobId}` };
}

function excerpt(text: string, max = 140) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export default async function JobPage({ params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  const { user, id, db } = await loadJobPage(jobId);
  const job = await getJob(db, id).catch((error) => {
    if (error instanceof DomainError && error.code === "not_found") notFound();
    throw error;
  });
  const [tasks, pairs, explanation, estimate, throughput] = await Promise.all([
    listTasks(db, id, { onlyWithErrors: true, take: 200 }),
    listJobPairs(db, id, 20),
    explainJob(db, job),
    job.kind === ESTIMATE ? getEstimate(db, id) : null,
    jobThroughput(db, id),
  ]);
  const open = !isFinished(job.status);
  const canRun = hasScope(user.role, "jobs:run");
  const p = job.params;
  const ruleBased = Object.values(job.models).every((m) => m?.provider === "rule-based");
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            Job {job.id}: {jobLabel(job)} <StatusBadge status={job.status} />
            <AutoRefresh active={open} />
          </span>
        }
        description={
          <>
            {job.datasetId !== null ? (
              <>
                On{" "}
                <Link href={`/datasets/${job.datasetId}`} className="text-indigo-700 hover:underline">
                  {job.datasetName}
                </Link>{" "}
                ·{" "}
              </>
            ) : null}
            {job.createdBy ? `started by ${job.createdBy} · ` : ""}created{" "}
            {job.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
            {job.datasetId !== null ? (
              <>
                {" "}
                ·{" "}
                <Link href={`/datasets/${job.datasetId}/jobs`} className="text-indigo-700 hover:underline">
                  all jobs
                </Link>
              </>
            ) : null}
          </>
        }
        actions={
          canRun ? (
            <JobActions jobId={job.id} canCancel={open} canRetry={job.tasksFailed + job.tasksCancelled > 0} />
          ) : undefined
        }
      />
      <div className="space-y-6">
        <Card title="Progress">
          <div className="space-y-4">
            <ProgressBar job={job} />
            <JobStats job={job} />
            {throughput.length > 1 ? <ThroughputChart points={throughput} /> : null}
            {job.error ? (
              <p className="text-sm text-rose-700" data-testid="job-error">
                {job.error}
              </p>
            ) : null}
          </div>
        </Card>
        {estimate ? (
          <EstimateView estimate={estimate} />
        ) : (
          <JobExplanationView explanation={explanation} datasetId={job.datasetId} />
        )}
        <Card title="Settings">
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            <div>
              <dt className="inline text-slate-500">Parameters: </dt>
              <dd className="inline">
                {job.pipeline === null ? (
                  // A job of another kind (a dataset deletion, a re-settle): its own parameters, as stored.
                  JSON.stringify(p)
                ) : (
                  <>
                    {job.pipeline === "ecd"
                      ? `rounds ${p.rounds}, branches ${p.branches}`
                      : `constraints per prompt ${formatConstraintRange(p.constraintsPerPrompt)}`}
                    , concurrency {p.concurrency}, max attempts {p.maxAttempts}
                    {p.operations ? `, operations ${p.operations.join(", ")}` : ""}
                  </>
                )}
              </dd>
            </div>
            {job.pipeline ? (
              <div>
                <dt className="inline text-slate-500">Method: </dt>
                <dd className="inline" data-testid="job-method">
                  {describeMethod(job.pipeline, p)}
                </dd>
              </div>
            ) : null}
            <div>
              <dt className="inline text-slate-500">Models: </dt>
              <dd className="inline">
                {Object.entries(job.models)
                  .map(([role, choice]) => `${role} ${encodeModelChoice(choice!)}`)
                  .join(" · ")}
                {ruleBased ? (
                  <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">rule-based</span>
                ) : null}
              </dd>
            </div>
          </dl>
        </Card>
        {tasks.length ? (
          <Card title={`Task errors (${tasks.length})`}>
            <Table label="Tasks with errors" data-testid="task-errors">
              <THead>
                <Tr>
                  <Th>Task</Th>
                  <Th>Seed</Th>
                  <Th>Status</Th>
                  <Th>Attempts</Th>
                  <Th>Error</Th>
                </Tr>
              </THead>
              <TBody>
                {tasks.map((t) => (
                  <Tr key={t.id}>
                    <Td numeric>{t.id}</Td>
                    <Td muted>{t.seedInstruction === null ? t.kind : excerpt(t.seedInstruction, 80)}</Td>
                    <Td>
                      <StatusBadge status={t.status} />
                    </Td>
                    <Td numeric>
                      {t.attempts}/{t.maxAttempts}
                    </Td>
                    <Td className="font-mono text-xs break-all text-rose-700">{t.error}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </Card>
        ) : null}
        {estimate ? null : (
          <Card
            title={
              job.pairs > pairs.length
                ? `Newest pairs (${pairs.length} of ${formatCount(job.pairs)})`
                : `Pairs (${pairs.length})`
            }
          >
            {pairs.length === 0 ? (
              <p className="text-sm text-slate-600">{open ? "No pairs yet." : "This job made no pairs."}</p>
            ) : (
              <ul className="divide-y divide-slate-100" data-testid="job-pairs">
                {pairs.map((pair) => (
                  <li key={pair.id} className="py-2">
                    <details>
                      <summary className="cursor-pointer text-sm">
                        <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase text-slate-600">
                          {pair.method}
                        </span>
                        {pair.provider === "rule-based" ? (
                          <span className="mr-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">
                            rule-based
                          </span>
                        ) : null}
                        Pair {pair.id} · depth {pair.depth} · {excerpt(pair.prompt)}
                      </summary>
                      <div className="mt-2 space-y-2 text-sm">
                        <p className="whitespace-pre-wrap rounded bg-slate-50 p-2">{pair.prompt}</p>
                        <div className="grid gap-2 md:grid-cols-2">
                          <div>
                            <h4 className="text-xs font-semibold uppercase text-emerald-700">Chosen</h4>
                            <p className="whitespace-pre-wrap rounded bg-emerald-50 p-2" data-testid="pair-chosen">
                              {pair.chosen}
                            </p>
                          </div>
                          <div>
                            <h4 className="text-xs font-semibold uppercase text-rose-700">Rejected</h4>
                            <p className="whitespace-pre-wrap rounded bg-rose-50 p-2">{pair.rejected}</p>
                          </div>
                        </div>
                        <Link
                          href={`/datasets/${job.datasetId}/review?pair=${pair.id}`}
                          className="font-medium text-indigo-700 hover:underline"
                        >
                          Review pair {pair.id}
                        </Link>
                      </div>
                    </details>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
      </div>
    </>
  );
}
