import type { Metadata } from "next";
import Link from "next/link";
import { CancelExportButton } from "@/components/io/cancel-export-button";
import { ExportForm } from "@/components/io/export-form";
import { AutoRefresh } from "@/components/jobs/auto-refresh";
import { ProgressMeter, StatusBadge } from "@/components/jobs/job-views";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCount, formatDateTime } from "@/lib/format";
import {
  backgroundExportThreshold,
  countPairs,
  EXPORT_FORMAT_LABELS,
  EXPORT_FORMATS,
  formatBytes,
  listExportJobs,
  listExports,
  parseExportFilters,
} from "@/lib/io";
import { loadDatasetPage } from "../load-dataset";

export const metadata: Metadata = { title: "Export" };

export default async function ExportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { db, dataset, datasetId } = await loadDatasetPage(id, "exports:create", `/datasets/${id}/export`);
  const [initialCount, exports, jobs] = await Promise.all([
    countPairs(db, datasetId, parseExportFilters({})),
    listExports(db, datasetId),
    listExportJobs(db, datasetId),
  ]);
  const active = jobs.some((j) => j.status === "queued" || j.status === "running");
  return (
    <>
      <PageHeader
        title={`Export ${dataset.name}`}
        description="Curated pairs as JSON Lines for TRL, OpenAI fine-tuning, SFT, or the full evolution trees, in a stored bundle with metadata.jsonl, a dataset card and a manifest. Human edits replace the generated text; held-out seeds and pairs awaiting adjudication are never exported."
        actions={
          <Link href={`/datasets/${datasetId}`} className="text-sm font-medium text-indigo-700 hover:underline">
            Back to {dataset.name}
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title="New export">
          <ExportForm
            datasetId={datasetId}
            initialCount={initialCount}
            backgroundOver={backgroundExportThreshold()}
            formats={EXPORT_FORMATS.map((value) => ({ value, label: EXPORT_FORMAT_LABELS[value] }))}
          />
        </Card>
        <Card title="Past exports" actions={<AutoRefresh active={active} />}>
          {exports.length === 0 && jobs.length === 0 ? (
            <p className="text-sm text-slate-600">No exports yet.</p>
          ) : (
            <Table label="Past exports">
              <THead>
                <Tr>
                  <Th numeric>#</Th>
                  <Th>State</Th>
                  <Th>When</Th>
                  <Th>Format</Th>
                  <Th numeric>Pairs</Th>
                  <Th>Size</Th>
                  <Th>Manifest</Th>
                  <Th />
                </Tr>
              </THead>
              <TBody>
                {jobs.map((j) => (
                  <Tr key={`job-${j.jobId}`} data-testid={`export-job-${j.jobId}`}>
                    <Td numeric>
                      <Link href={`/jobs/${j.jobId}`} className="text-indigo-700 hover:underline">
                        job {j.jobId}
                      </Link>
                    </Td>
                    <Td>
                      <StatusBadge status={j.status} />
                    </Td>
                    <Td className="whitespace-nowrap">
                      {formatDateTime(j.createdAt)}
                      {j.createdBy ? <div className="text-xs text-slate-500">{j.createdBy}</div> : null}
                    </Td>
                    <Td>{j.format}</Td>
                    <Td numeric>
                      {formatCount(j.read)} / {formatCount(j.total)}
                    </Td>
                    <Td>–</Td>
                    <Td className="min-w-56">
                      {j.status === "queued" || j.status === "running" ? (
                        <>
                          <ProgressMeter
                            label={`Export job ${j.jobId} progress`}
                            total={j.total}
                            done={j.read}
                            running={j.status === "running" ? Math.max(0, j.total - j.read) : 0}
                          />
                          <p className="mt-1 text-xs text-slate-500" data-testid="export-job-progress">
                            {j.status === "queued"
                              ? "Waiting for a worker"
                              : `${formatCount(j.read)} of ${formatCount(j.total)} pairs read, ${formatCount(j.written)} lines written`}
                            . You can leave this page; the file appears here when done.
                          </p>
                        </>
                      ) : (
                        <p className="text-sm text-rose-700" role="alert">
                          {j.status === "cancelled" ? "Cancelled" : "Failed"}
                          {j.error ? `: ${j.error}` : ""}. Nothing was exported.
                        </p>
                      )}
                    </Td>
                    <Td className="whitespace-nowrap">
                      {j.status === "queued" || j.status === "running" ? (
                        <CancelExportButton datasetId={datasetId} jobId={j.jobId} />
                      ) : null}
                    </Td>
                  </Tr>
                ))}
                {exports.map((e) => (
                  <Tr key={e.id} data-testid={`export-row-${e.id}`}>
                    <Td numeric>{e.id}</Td>
                    <Td>
                      <StatusBadge status="succeeded" label="done" />
                    </Td>
                    <Td className="whitespace-nowrap">
                      {formatDateTime(e.createdAt)}
                      {e.createdBy ? <div className="text-xs text-slate-500">{e.createdBy}</div> : null}
                    </Td>
                    <Td>{e.format}</Td>
                    <Td numeric>{formatCount(e.pairs)}</Td>
                    <Td className="whitespace-nowrap">{formatBytes(e.byteSize)}</Td>
                    <Td>
                      <details>
                        <summary className="cursor-pointer">
                          {e.fileName} · sha256 <code className="text-xs">{e.sha256.slice(0, 12)}…</code>
                        </summary>
                        <pre className="mt-2 max-h-80 overflow-auto rounded bg-slate-50 p-2 text-xs">
                          {JSON.stringify(e.manifest, null, 2)}
                        </pre>
                      </details>
                    </Td>
                    <Td className="whitespace-nowrap">
                      {/* Route handlers that answer with a file: plain download links, not next/link. */}
                      {e.stored ? (
                        <a
                          href={`/datasets/${datasetId}/export/${e.id}/bundle`}
                          download
                          className="mr-3 text-indigo-700 hover:underline"
                          data-testid={`export-bundle-${e.id}`}
                        >
                          Download .zip
                        </a>
                      ) : null}
                      <a
                        href={`/datasets/${datasetId}/export/${e.id}/card`}
                        download="README.md"
                        className="text-indigo-700 hover:underline"
                      >
                        Dataset card
                      </a>
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
