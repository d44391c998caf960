import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ConstraintChip, StatusBadge, VerdictBadge } from "@/components/review/badges";
import { Markdown } from "@/components/review/markdown";
import { Provenance } from "@/components/review/pair-parts";
import { WordDiff } from "@/components/review/word-diff";
import { DropDetail } from "@/components/tree/drop-detail";
import { TreeBrowser } from "@/components/tree/tree-browser";
import { Card, PageHeader } from "@/components/ui/card";
import { requireDatasetAccess, requireUser } from "@/lib/auth/session";
import { getDataset } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { loadNodeDetail, loadSeedTree } from "@/lib/review";
import { parseId } from "@/lib/http/ids";
import { idOrNotFound } from "@/lib/http/route-ids";

export const metadata: Metadata = { title: "Evolution tree" };

function notFoundOn(error: unknown): never {
  if (error instanceof DomainError && error.code === "not_found") notFound();
  throw error;
}

/** One seed's evolution tree; `?node=` selects a node and shows it in detail. */
export default async function TreePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; seedId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id, seedId: seedParam } = await params;
  const search = await searchParams;
  const user = await requireUser("datasets:read", `/datasets/${id}/trees/${seedParam}`);
  const datasetId = idOrNotFound(id);
  await requireDatasetAccess(user, datasetId);
  const seedId = idOrNotFound(seedParam);
  const db = getDb();
  const dataset = await getDataset(db, datasetId).catch(notFoundOn);
  const tree = await loadSeedTree(db, datasetId, seedId).catch(notFoundOn);
  const requested = typeof search.node === "string" ? parseId(search.node) : null;
  const selectedId = tree.nodes.some((n) => n.id === requested) ? requested : (tree.nodes[0]?.id ?? null);
  const node = selectedId !== null ? await loadNodeDetail(db, seedId, selectedId) : null;
  return (
    <>
      <PageHeader
        title={`Seed #${tree.seed.id}${tree.seed.externalId ? ` (${tree.seed.externalId})` : ""}`}
        description={`${dataset.name} · ${tree.nodes.length} node${tree.nodes.length === 1 ? "" : "s"} · source ${tree.seed.source}`}
        actions={
          <div className="flex gap-3 text-sm">
            <Link href={`/datasets/${datasetId}/trees`} className="text-indigo-700 hover:underline">
              All trees
            </Link>
            <Link href={`/datasets/${datasetId}`} className="text-indigo-700 hover:underline">
              Overview
            </Link>
          </div>
        }
      />
      <div className="grid gap-6 lg:grid-cols-12">
        <Card title="Tree" className="lg:col-span-5">
          <TreeBrowser nodes={tree.nodes} selectedId={selectedId} hrefBase={`/datasets/${datasetId}/trees/${seedId}`} />
        </Card>
        {node ? (
          // Sticky: the detail stays in view while a long tree scrolls beside it.
          <div
            className="space-y-4 lg:sticky lg:top-4 lg:col-span-7 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto"
            data-testid="node-detail"
            data-node-id={node.id}
          >
            <Card title={`${node.depth === 0 ? "Seed node" : `Depth ${node.depth}`} · node #${node.id}`}>
              <div className="space-y-3 text-sm">
                <div className="flex flex-wrap gap-2 text-xs text-slate-500">
                  {node.operation ? (
                    <span className="rounded bg-slate-100 px-1.5">{node.operation.replaceAll("_", " ")}</span>
                  ) : null}
                  <span>{node.status}</span>
                  {node.jobId ? <span>job #{node.jobId}</span> : null}
                  {node.parentId ? (
                    <Link
                      href={`/datasets/${datasetId}/trees/${seedId}?node=${node.parentId}`}
                      className="text-indigo-700 hover:underline"
                    >
                      parent #{node.parentId}
                    </Link>
                  ) : null}
                </div>
                {node.status === "dropped" ? (
                  <DropDetail dropCode={node.dropCode} dropReason={node.dropReason} rawReply={node.rawReply} />
                ) : null}
                <div>
                  <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
                    {node.status === "dropped"
                      ? "The dropped candidate's instruction"
                      : node.parentInstruction !== null
                        ? "Instruction (changes from the parent)"
                        : "Instruction"}
                  </h3>
                  <p className="text-slate-800" data-testid="node-instruction">
                    {node.parentInstruction !== null && node.status !== "dropped" ? (
                      <WordDiff from={node.parentInstruction} to={node.instruction} />
                    ) : (
                      <span className="whitespace-pre-wrap">
                        {node.instruction || (node.status === "dropped" ? "(the evolver gave none)" : "")}
                      </span>
                    )}
                  </p>
                </div>
                {node.constraints.length ? (
                  <div className="flex flex-wrap gap-1">
                    {node.constraints.map((c) => (
                      <ConstraintChip key={c.index} constraint={c} />
                    ))}
                  </div>
                ) : null}
              </div>
            </Card>
            <Card title={`Pairs on the edge into this node (${node.pairs.length})`}>
              {node.pairs.length ? (
                <ul className="space-y-1 text-sm" data-testid="node-pairs">
                  {node.pairs.map((p) => (
                    <li key={p.id} className="flex items-center gap-2">
                      <Link
                        href={`/datasets/${datasetId}/review?pair=${p.id}`}
                        className="font-medium text-indigo-700 hover:underline"
                      >
                        Pair #{p.id}
                      </Link>
                      <StatusBadge status={p.status} />
                      <span className="text-xs text-slate-500">
                        {p.method} · v{p.version} · {p.reviewCount} review{p.reviewCount === 1 ? "" : "s"} · chosen #
                        {p.chosenId}, rejected #{p.rejectedId}
                      </span>
                      <span className="text-xs text-slate-600" data-testid="node-pair-verdicts">
                        chosen {p.chosenOutcome} · rejected {p.rejectedOutcome}
                        {p.rejectedFailsNew ? " (fails a new constraint)" : ""}
                        {p.hardNegative ? " · hard negative" : ""}
                        {p.edited ? " · edited" : ""}
                        {p.lengthRatio !== null ? ` · length ratio ${p.lengthRatio.toFixed(2)}` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-slate-500">No pairs were made on this edge.</p>
              )}
            </Card>
            <Card title={`Responses (${node.responses.length})`}>
              {node.responses.length ? (
                <ul className="space-y-4">
                  {node.responses.map((r) => (
                    <li key={r.id} className="space-y-2" data-testid="node-response">
                      <Provenance response={r} />
                      {node.constraints.length ? (
                        <div className="flex flex-wrap gap-1">
                          {node.constraints.map((c) => (
                            <span key={c.index} className="inline-flex items-center gap-1 text-xs" title={c.label}>
                              <span className="font-mono text-slate-500">
                                {c.kind === "verifiable" ? c.id : "free-form"}
                              </span>
                              <VerdictBadge verdict={r.verdicts[c.index]} />
                            </span>
                          ))}
                        </div>
                      ) : null}
                      <div className="max-h-80 overflow-y-auto rounded-md bg-slate-50 p-2">
                        <Markdown text={r.text} />
                      </div>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-slate-500">No responses to this node.</p>
              )}
            </Card>
          </div>
        ) : null}
      </div>
    </>
  );
}
