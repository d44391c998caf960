import type { Metadata } from "next";
import Link from "next/link";
import { ImportForm } from "@/components/io/import-form";
import { Card, PageHeader } from "@/components/ui/card";
import { loadDatasetPage } from "../load-dataset";
import { FILE_FORMAT_LABELS, FILE_FORMATS, formatBytes, SHAPE_LABELS, SHAPES, UPLOAD_LIMITS } from "@/lib/io";

export const metadata: Metadata = { title: "Import seeds" };

export default async function ImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { dataset, datasetId } = await loadDatasetPage(id, "datasets:manage", `/datasets/${id}/import`);
  return (
    <>
      <PageHeader
        title={`Import seeds into ${dataset.name}`}
        description="JSON Lines, JSON arrays, CSV or TSV: Alpaca, Dolly, ShareGPT/messages, IFEval, FollowComplexInstruction, plain prompt/response, or your own columns."
        actions={
          <Link href={`/datasets/${datasetId}`} className="text-sm font-medium text-indigo-700 hover:underline">
            Back to {dataset.name}
          </Link>
        }
      />
      <Card>
        <ImportForm
          datasetId={datasetId}
          maxBytes={UPLOAD_LIMITS.maxBytes}
          maxLabel={formatBytes(UPLOAD_LIMITS.maxBytes)}
          formats={FILE_FORMATS.map((value) => ({ value, label: FILE_FORMAT_LABELS[value] }))}
          shapes={SHAPES.map((value) => ({ value, label: SHAPE_LABELS[value] }))}
        />
      </Card>
    </>
  );
}
