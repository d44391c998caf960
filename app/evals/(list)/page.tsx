import type { Metadata } from "next";
import Link from "next/link";
import { StartEvalForm } from "@/components/eval/start-form";
import { StatusBadge } from "@/components/jobs/job-views";
import { Card, PageHeader } from "@/components/ui/card";
import { ChoiceOptions } from "@/components/ui/choice-group";
import { EmptyRow, Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { requireUser } from "@/lib/auth/session";
import { listDatasets } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";
import { listBenchmarkSets, listEvalRuns } from "@/lib/eval";
import { formatDateTime } from "@/lib/format";
import { listProviders } from "@/lib/llm/providers";

export const metadata: Metadata = { title: "Evaluations" };

export default async function EvalsPage() {
  const user = await requireUser("jobs:run", "/evals");
  const db = getDb();
  const [runs, benchmarks, datasets] = await Promise.all([
    listEvalRuns(db),
    listBenchmarkSets(db),
    listDatasets(db, user),
  ]);
  const providers = listProviders()
    .filter((p) => p.kind === "openai-compatible")
    .map((p) => ({ name: p.name, models: p.models, ready: p.ready }));
  return (
    <>
      <PageHeader
        title="Evaluations"
        description="Run a model on a benchmark; every answer is verified strict and loose."
      />
      <div className="space-y-6">
        <Card title="Start an evaluation">
          {providers.length ? (
            <StartEvalForm providers={providers} benchmarks={benchmarks} datasets={datasets.map((d) => d.name)} />
          ) : (
            <p className="text-sm text-slate-600">
              No LLM provider is configured (set OPENAI_BASE_URL or a providers file).
            </p>
          )}
        </Card>
        <Card title="Runs">
          <Table label="Evaluation runs">
            <THead>
              <Tr>
                <Th>Run</Th>
                <Th>Model</Th>
                <Th>Benchmark</Th>
                <Th>Status</Th>
                <Th>Started</Th>
              </Tr>
            </THead>
            <TBody>
              {runs.length === 0 ? <EmptyRow columns={5}>No evaluation runs yet</EmptyRow> : null}
              {runs.map((r) => (
                <Tr key={r.id}>
                  <Td>
                    <Link href={`/evals/${r.id}`} className="text-indigo-700 hover:underline">
                      {r.id}
                    </Link>
                  </Td>
                  <Td>
                    {r.provider}/{r.model}
                  </Td>
                  <Td>{r.benchmark}</Td>
                  <Td>
                    <StatusBadge status={r.status} />
                  </Td>
                  <Td muted>{formatDateTime(r.createdAt)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
          {runs.length >= 2 ? (
            <form action="/evals/compare" className="mt-4 flex flex-wrap items-end gap-2" data-testid="compare-form">
              {(
                [
                  ["a", "A", runs[1]!.id],
                  ["b", "B", runs[0]!.id],
                ] as const
              ).map(([name, label, defaultRun]) => (
                <label key={name} className="text-sm text-slate-700">
                  {label}{" "}
                  <select
                    name={name}
                    aria-label={`Run ${label}`}
                    defaultValue={defaultRun}
                    className="rounded-md px-2 py-1 text-sm ring-1 ring-slate-300"
                  >
                    <ChoiceOptions choices={runs.map((r) => ({ value: String(r.id), label: `${r.id}: ${r.model}` }))} />
                  </select>
                </label>
              ))}
              <button type="submit" className="rounded-md px-3 py-1 text-sm ring-1 ring-slate-300 hover:bg-slate-50">
                Compare
              </button>
            </form>
          ) : null}
        </Card>
      </div>
    </>
  );
}
