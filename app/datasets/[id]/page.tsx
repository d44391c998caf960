import { ReviewOverview } from "@/components/review/review-overview";
import { Card, PageHeader } from "@/components/ui/card";
import { datasetStats } from "@/lib/datasets";
import { reviewOverview } from "@/lib/review";
import { loadDatasetPage } from "./load-dataset";

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { db, dataset, datasetId } = await loadDatasetPage(id, "datasets:read", `/datasets/${id}`);
  const [stats, overview] = await Promise.all([datasetStats(db, datasetId), reviewOverview(db, datasetId)]);
  const tiles: [string, number][] = [
    ["Seeds", stats.seeds],
    ["Nodes", stats.nodes],
    ["Responses", stats.responses],
    ["Pairs", stats.pairs.total],
    ["Pending", stats.pairs.pending],
    ["Accepted", stats.pairs.accepted],
    ["Rejected", stats.pairs.rejected],
    ["Adjudication", stats.pairs.adjudication],
    ["Reviews", stats.reviews],
  ];
  return (
    <>
      <PageHeader
        title={dataset.name}
        description={dataset.description || undefined}
        actions={
          <div className="flex gap-3 text-sm font-medium">
            <a href={`/datasets/${datasetId}/review`} className="text-indigo-700 hover:underline">
              Review
            </a>
            <a href={`/datasets/${datasetId}/pairs`} className="text-indigo-700 hover:underline">
              Pairs
            </a>
            <a href={`/datasets/${datasetId}/trees`} className="text-indigo-700 hover:underline">
              Trees
            </a>
            <a href={`/datasets/${datasetId}/jobs`} className="text-indigo-700 hover:underline">
              Jobs
            </a>
            <a href={`/datasets/${datasetId}/generate`} className="text-indigo-700 hover:underline">
              Generate
            </a>
            <a href={`/datasets/${datasetId}/import`} className="text-indigo-700 hover:underline">
              Import
            </a>
            <a href={`/datasets/${datasetId}/export`} className="text-indigo-700 hover:underline">
              Export
            </a>
          </div>
        }
      />
      <Card title="Progress">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
          {tiles.map(([label, value]) => (
            <div key={label} className="rounded-md bg-slate-50 p-3">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
              <dd className="mt-1 text-lg font-semibold tabular-nums">{value.toLocaleString("en-US")}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <ReviewOverview overview={overview} datasetId={datasetId} />
    </>
  );
}
