import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EvalNumbers } from "@/components/eval/eval-numbers";
import { TallyCard, tallyRows } from "@/components/eval/tally-table";
import { AutoRefresh } from "@/components/jobs/auto-refresh";
import { StatusBadge } from "@/components/jobs/job-views";
import { ConstraintChip, VerdictBadge } from "@/components/review/badges";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { getEvalRun } from "@/lib/eval";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Eval run ${(await params).id}` };
}

export default async function EvalRunPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ failing?: string }>;
}) {
  const { id } = await params;
  const { failing } = await searchParams;
  await requireUser("jobs:run", `/evals/${id}`);
  const runId = Number(id);
  if (!Number.isInteger(runId) || runId <= 0) notFound();
  const run = await getEvalRun(getDb(), runId).catch((error) => {
    if (error instanceof DomainError && error.code === "not_found") notFound();
    throw error;
  });
  const open = run.status === "queued" || run.status === "running";
  const shown = run.responses.filter(
    (r) =>
      !failing ||
      r.strict.instruction_id_list.some((iid, i) => iid === failing && !r.strict.follow_instruction_list[i]),
  );
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            Eval run {run.id}: {run.provider}/{run.model} on {run.benchmark} <StatusBadge status={run.status} />
            <AutoRefresh active={open} />
          </span>
        }
        description={`${run.answered} of ${run.promptsTotal} prompts answered · temperature ${run.temperature}${run.trainingData ? ` · trained on ${run.trainingData}` : ""}`}
      />
      <div className="space-y-6">
        <EvalNumbers strict={run.strict} loose={run.loose} />
        <div className="grid gap-6 lg:grid-cols-2">
          <TallyCard
            title="By instruction group"
            heading="Group"
            unit="Instructions"
            rows={tallyRows(run.strict.byGroup, run.loose.byGroup)}
          />
          <TallyCard
            title="By number of constraints per prompt"
            heading="Constraints"
            unit="Prompts"
            rows={run.byConstraintCount.map((row) => ({
              key: String(row.constraints),
              label: row.constraints,
              strict: row.strict,
              loose: row.loose,
            }))}
          />
        </div>
        <TallyCard
          title="By instruction id"
          heading="Instruction id"
          unit="Prompts"
          rows={tallyRows(
            run.strict.byId,
            run.loose.byId,
            (iid) => `/evals/${run.id}?failing=${encodeURIComponent(iid)}`,
          )}
        />
        <Card
          title={failing ? `Responses failing ${failing} (strict): ${shown.length}` : `Responses (${shown.length})`}
          actions={
            failing ? (
              <Link href={`/evals/${run.id}`} className="text-sm text-indigo-700 hover:underline">
                show all
              </Link>
            ) : null
          }
        >
          <ul className="space-y-4" data-testid="eval-responses">
            {shown.slice(0, 200).map((r) => (
              <li key={r.strict.prompt} className="rounded-md border border-slate-200 p-3" data-testid="eval-response">
                <p className="text-sm font-medium text-slate-800">{r.strict.prompt}</p>
                <ul className="my-2 flex flex-wrap gap-2">
                  {r.strict.instruction_id_list.map((iid, i) => (
                    <li key={`${iid}-${i}`} className="flex items-center gap-1">
                      <ConstraintChip
                        constraint={{
                          kind: "verifiable",
                          id: iid,
                          kwargs: {},
                          text: iid,
                          index: i,
                          label: iid,
                          isNew: false,
                        }}
                      />
                      <VerdictBadge verdict={{ index: i, passed: r.strict.follow_instruction_list[i]!, by: "code" }} />
                      <span className="text-xs text-slate-500">loose</span>
                      <VerdictBadge verdict={{ index: i, passed: r.loose.follow_instruction_list[i]!, by: "code" }} />
                    </li>
                  ))}
                </ul>
                <pre className="max-h-48 overflow-auto whitespace-pre-wrap text-xs text-slate-700">
                  {r.strict.response}
                </pre>
              </li>
            ))}
          </ul>
          {shown.length > 200 ? <p className="mt-3 text-sm text-slate-500">First 200 shown.</p> : null}
        </Card>
      </div>
    </>
  );
}
