import type { Metadata } from "next";
import Link from "next/link";
import { ExportForm } from "@/components/io/export-form";
import { Card, PageHeader } from "@/components/ui/card";
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
        description="Curated pairs as JSON Lines for TRL, OpenAI fine-tuning, SFT, or the full evolution trees. Human edits replace the generated text."
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
            <table className="w-full text-left text-sm" aria-label="Past exports">
              <thead>
                <tr className="text-xs uppercase tracking-wide text-slate-500">
                  <th className="pb-2 pr-3">#</th>
                  <th className="pb-2 pr-3">When</th>
                  <th className="pb-2 pr-3">Format</th>
                  <th className="pb-2 pr-3">Pairs</th>
                  <th className="pb-2 pr-3">Size</th>
                  <th className="pb-2 pr-3">Manifest</th>
                  <th className="pb-2" />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top">
                {exports.map((e) => (
                  <tr key={e.id} data-testid={`export-row-${e.id}`}>
                    <td className="py-2 pr-3 tabular-nums">{e.id}</td>
                    <td className="py-2 pr-3 whitespace-nowrap">
                      {e.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
                      {e.createdBy ? <div className="text-xs text-slate-500">{e.createdBy}</div> : null}
                    </td>
                    <td className="py-2 pr-3">{e.format}</td>
                    <td className="py-2 pr-3 tabular-nums">{e.pairs.toLocaleString("en-US")}</td>
                    <td className="py-2 pr-3 whitespace-nowrap">{formatBytes(e.byteSize)}</td>
                    <td className="py-2 pr-3">
                      <details>
                        <summary className="cursor-pointer">
                          {e.fileName} · sha256 <code className="text-xs">{e.sha256.slice(0, 12)}…</code>
                        </summary>
                        <pre className="mt-2 max-h-80 overflow-auto rounded bg-slate-50 p-2 text-xs">
                          {JSON.stringify(e.manifest, null, 2)}
                        </pre>
                      </details>
                    </td>
                    <td className="py-2 whitespace-nowrap">
                      <a
                        href={`/datasets/${datasetId}/export/${e.id}/card`}
                        className="text-indigo-700 hover:underline"
                      >
                        Dataset card
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
