import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCost, formatCount } from "@/lib/format";
import type { JobExplanation } from "@/lib/jobs";

/** Why a job made what it made: the warning, candidates by drop reason, LLM calls by provider and role. */
export function JobExplanationView({
  explanation,
  datasetId,
}: {
  explanation: JobExplanation;
  datasetId: number | null;
}) {
  const { warning, dropReasons, llm } = explanation;
  return (
    <>
      {warning ? (
        <p
          role="alert"
          className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
          data-testid="job-warning"
        >
          {warning}
        </p>
      ) : null}
      <Card title={`Candidates: ${formatCount(explanation.kept)} kept, ${formatCount(explanation.dropped)} dropped`}>
        {dropReasons.length === 0 ? (
          <p className="text-sm text-slate-600">No candidate was dropped.</p>
        ) : (
          <Table label="Dropped candidates by reason" data-testid="drop-reasons">
            <THead>
              <Tr>
                <Th>Reason</Th>
                <Th numeric>Count</Th>
                <Th>Examples</Th>
              </Tr>
            </THead>
            <TBody>
              {dropReasons.map((r) => (
                <Tr key={r.code ?? "uncoded"} data-code={r.code ?? "uncoded"}>
                  <Td>
                    <span className="font-mono text-xs">{r.code ?? "uncoded"}</span>
                    <span className="block text-xs text-slate-500">{r.description}</span>
                  </Td>
                  <Td numeric>{formatCount(r.count)}</Td>
                  <Td>
                    <ul className="space-y-1 text-xs">
                      {r.examples.map((e) => (
                        <li key={e.nodeId}>
                          {datasetId !== null ? (
                            <Link
                              href={`/datasets/${datasetId}/trees/${e.seedId}?node=${e.nodeId}`}
                              className="text-indigo-700 hover:underline"
                            >
                              node {e.nodeId}
                            </Link>
                          ) : (
                            `node ${e.nodeId}`
                          )}
                          {e.detail ? <span className="text-slate-600">: {e.detail}</span> : null}
                        </li>
                      ))}
                    </ul>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      {llm.length ? (
        <Card title="LLM calls">
          <Table label="LLM calls by provider and role" data-testid="llm-calls">
            <THead>
              <Tr>
                <Th>Provider / role</Th>
                <Th numeric>Calls</Th>
                <Th numeric>Cached</Th>
                <Th numeric>Failed</Th>
                <Th numeric>Retries</Th>
                <Th numeric>429s</Th>
                <Th numeric>5xx</Th>
                <Th numeric>Timeouts</Th>
                <Th numeric>Parse failures</Th>
                <Th numeric>Tokens in / out</Th>
                <Th numeric>Cost</Th>
              </Tr>
            </THead>
            <TBody>
              {llm.map((r) => (
                <Tr key={`${r.provider}/${r.role}`} data-role={r.role}>
                  <Td>
                    {r.provider} / {r.role}
                  </Td>
                  <Td numeric>{formatCount(r.calls)}</Td>
                  <Td numeric>{formatCount(r.cached)}</Td>
                  <Td numeric>{formatCount(r.failed)}</Td>
                  <Td numeric>{formatCount(r.retries)}</Td>
                  <Td numeric>{formatCount(r.rateLimited)}</Td>
                  <Td numeric>{formatCount(r.serverErrors)}</Td>
                  <Td numeric>{formatCount(r.timeouts)}</Td>
                  <Td numeric>{formatCount(r.parseFailures)}</Td>
                  <Td numeric>
                    {formatCount(r.promptTokens)} / {formatCount(r.completionTokens)}
                  </Td>
                  <Td numeric>{formatCost(r.costUsd)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
      ) : null}
    </>
  );
}
