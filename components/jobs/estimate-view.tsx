import { Card } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCost, formatCount } from "@/lib/format";
import type { JobEstimate, Projected } from "@/lib/jobs";

const range = (p: Projected, f: (n: number) => string) => `${f(p.value)} (${f(p.low)}–${f(p.high)})`;
const count = (n: number) => formatCount(Math.round(n));

/** An estimate job's result: the sample, the whole run extrapolated with ranges, per role, and drop reasons. */
export function EstimateView({ estimate }: { estimate: JobEstimate }) {
  const e = estimate;
  return (
    <Card title="Estimate">
      <div className="space-y-3 text-sm" data-testid="estimate">
        <p>
          From a sample of {formatCount(e.sampleDone)} of {formatCount(e.sampleSize)} seed(s)
          {e.sampleFailed ? ` (${formatCount(e.sampleFailed)} failed)` : ""}, for all {formatCount(e.seedsTotal)}{" "}
          seed(s) of the run{e.complete ? "" : " (so far; the sample is still running)"}:
        </p>
        <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-2">
          <div>
            <dt className="inline text-slate-500">Pairs: </dt>
            <dd className="inline" data-testid="estimate-pairs">
              {range(e.pairs, count)} · {e.pairsPerSeed.toFixed(2)} per seed
            </dd>
          </div>
          <div>
            <dt className="inline text-slate-500">Cost: </dt>
            <dd className="inline" data-testid="estimate-cost">
              {range(e.costUsd, formatCost)}
            </dd>
          </div>
          <div>
            <dt className="inline text-slate-500">LLM calls: </dt>
            <dd className="inline">{formatCount(e.calls)}</dd>
          </div>
          <div>
            <dt className="inline text-slate-500">Tokens: </dt>
            <dd className="inline">{range(e.tokens, count)}</dd>
          </div>
        </dl>
        {e.roles.length ? (
          <Table label="Estimate per role">
            <THead>
              <Tr>
                <Th>Provider / role</Th>
                <Th numeric>Calls</Th>
                <Th numeric>Tokens</Th>
                <Th numeric>Cost</Th>
                <Th numeric>Sample calls</Th>
                <Th numeric>Sample cost</Th>
              </Tr>
            </THead>
            <TBody>
              {e.roles.map((r) => (
                <Tr key={`${r.provider}/${r.role}`}>
                  <Td>
                    {r.provider} / {r.role}
                  </Td>
                  <Td numeric>{formatCount(r.calls)}</Td>
                  <Td numeric>{formatCount(r.tokens)}</Td>
                  <Td numeric>{formatCost(r.costUsd)}</Td>
                  <Td numeric>{formatCount(r.sample.calls)}</Td>
                  <Td numeric>{formatCost(r.sample.costUsd)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : null}
        {e.dropReasons.length ? (
          <p>
            <span className="text-slate-500">Main drop reasons in the sample: </span>
            {e.dropReasons
              .slice(0, 5)
              .map((d) => `${d.code} (${formatCount(d.count)})`)
              .join(", ")}
          </p>
        ) : null}
      </div>
    </Card>
  );
}
