import type { Metadata } from "next";
import Link from "next/link";
import { ExportForm } from "@/components/io/export-form";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCount, formatDateTime } from "@/lib/format";
import {
  countPairs,
  EXPORT_FORMAT_LABELS,
  EXPORT_FORMATS,
  formatBytes,
  listExports,
  parseExportFilters,
} from "@/lib/io";
import { loadDatasetPage } from "../load-dataset";

export const metadata: Metadata = { title: "Export" };

export default async function ExportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { db, dataset, datasetId } = await loadDatasetPage(id, "exports:create", `/datasets/${id}/export`);
  const [initialCount, exports] = await Promise.all([
    countPairs(db, datasetId, parseExportFilters({})),
    listExports(db, datasetId),
  ]);
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
            formats={EXPORT_FORMATS.map((value) => ({ value, label: EXPORT_FORMAT_LABELS[value] }))}
          />
        </Card>
        <Card title="Past exports">
          {exports.length === 0 ? (
            <p className="text-sm text-slate-600">No exports yet.</p>
          ) : (
            <Table label="Past exports">
              <THead>
                <Tr>
                  <Th numeric>#</Th>
                  <Th>When</Th>
                  <Th>Format</Th>
                  <Th numeric>Pairs</Th>
                  <Th>Size</Th>
                  <Th>Manifest</Th>
                  <Th />
                </Tr>
              </THead>
              <TBody>
                {exports.map((e) => (
                  <Tr key={e.id} data-testid={`export-row-${e.id}`}>
                    <Td numeric>{e.id}</Td>
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
