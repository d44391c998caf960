import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeltaChart } from "@/components/eval/delta-chart";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { compareRuns, getEvalRun, type Interval, percent } from "@/lib/eval";

export const metadata: Metadata = { title: "Compare eval runs" };

function IntervalText({ i }: { i: Interval }) {
  return (
    <>
      {percent(i.value)}{" "}
      <span className="text-xs text-slate-500">
        [{percent(i.low)}, {percent(i.high)}]
      </span>
    </>
  );
}

export default async function CompareEvalsPage({
  searchParams,
}: {
  searchParams: Promise<{ a?: string; b?: string }>;
}) {
  const { a, b } = await searchParams;
  await requireUser("jobs:run", `/evals/compare?a=${a ?? ""}&b=${b ?? ""}`);
  const ids = [Number(a), Number(b)];
  if (!ids.every((n) => Number.isInteger(n) && n > 0)) notFound();
  const db = getDb();
  const [runA, runB] = await Promise.all(
    ids.map((id) =>
      getEvalRun(db, id).catch((error) => {
        if (error instanceof DomainError && error.code === "not_found") notFound();
        throw error;
      }),
    ),
  );
  const c = compareRuns(runA!, runB!);
  const rows = [
    ["Prompt-level strict", c.a.strictPrompt, c.b.strictPrompt],
    ["Instruction-level strict", c.a.strictInstruction, c.b.strictInstruction],
    ["Prompt-level loose", c.a.loosePrompt, c.b.loosePrompt],
    ["Instruction-level loose", c.a.looseInstruction, c.b.looseInstruction],
  ] as const;
  return (
    <>
      <PageHeader
        title={`Run ${runA!.id} vs run ${runB!.id}`}
        description={`A: ${runA!.provider}/${runA!.model} · B: ${runB!.provider}/${runB!.model} · ${c.paired} paired prompts of ${runA!.benchmark}`}
      />
      <div className="space-y-6">
        <Card title="The four numbers (95% bootstrap intervals)">
          <Table label="The four numbers, A and B">
            <THead>
              <Tr>
                <Th />
                <Th>A (run {runA!.id})</Th>
                <Th>B (run {runB!.id})</Th>
              </Tr>
            </THead>
            <TBody>
              {rows.map(([label, x, y]) => (
                <Tr key={label}>
                  <Td>{label}</Td>
                  <Td>
                    <IntervalText i={x} />
                  </Td>
                  <Td>
                    <IntervalText i={y} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
          <p className="mt-3 text-sm text-slate-700" data-testid="mcnemar">
            Prompt-level strict, B − A: <IntervalText i={c.strictPromptDelta} /> · exact McNemar: A only{" "}
            {c.mcnemar.aOnly}, B only {c.mcnemar.bOnly}, p = {c.mcnemar.pValue.toPrecision(3)}
          </p>
        </Card>
        <Card title="Per instruction id (strict accuracy, B − A)">
          <DeltaChart deltas={c.byId} />
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          {(
            [
              [`Passed in A, failed in B (${c.flips.lost.length})`, c.flips.lost],
              [`Failed in A, passed in B (${c.flips.gained.length})`, c.flips.gained],
            ] as const
          ).map(([title, prompts]) => (
            <Card key={title} title={title}>
              <ul className="space-y-2 text-sm text-slate-700">
                {prompts.slice(0, 100).map((p) => (
                  <li key={p} className="line-clamp-2">
                    {p}
                  </li>
                ))}
              </ul>
            </Card>
          ))}
        </div>
        <Link href="/evals" className="text-sm text-indigo-700 hover:underline">
          All evaluations
        </Link>
      </div>
    </>
  );
}
