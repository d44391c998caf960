import type { Metadata } from "next";
import Link from "next/link";
import { AdjudicationCard } from "@/components/review/adjudication-card";
import { PageHeader } from "@/components/ui/card";
import { formatCount } from "@/lib/format";
import { adjudicationQueue } from "@/lib/review";
import { loadDatasetPage } from "../load-dataset";

export const metadata: Metadata = { title: "Adjudication" };

/** Pairs whose votes disagreed, most disagreement first, then the oldest; researchers decide them. */
export default async function AdjudicationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { db, dataset, datasetId } = await loadDatasetPage(id, "pairs:bulk", `/datasets/${id}/adjudication`);
  const queue = await adjudicationQueue(db, datasetId);
  return (
    <>
      <PageHeader
        title={`${dataset.name} / adjudication`}
        description={`${formatCount(queue.total)} pairs wait for a researcher's decision, most disagreement first.`}
        actions={
          <Link href={`/datasets/${datasetId}`} className="text-sm font-medium text-indigo-700 hover:underline">
            Overview
          </Link>
        }
      />
      {queue.items.length ? (
        <div className="space-y-4" data-testid="adjudication-queue">
          {queue.items.map((item) => (
            <AdjudicationCard key={item.pair.id} datasetId={datasetId} item={item} />
          ))}
        </div>
      ) : (
        <p className="rounded-lg bg-white p-8 text-center text-sm text-slate-600 shadow-sm ring-1 ring-slate-200">
          No pair is waiting for adjudication.
        </p>
      )}
    </>
  );
}
