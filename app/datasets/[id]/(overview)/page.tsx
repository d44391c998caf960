import Link from "next/link";
import { ReviewOverview } from "@/components/review/review-overview";
import { Card, PageHeader } from "@/components/ui/card";
import { datasetStats } from "@/lib/datasets";
import { formatCount } from "@/lib/format";
import { reviewOverview } from "@/lib/review";
import { loadDatasetPage } from "../load-dataset";
import { sectionsFor } from "@/lib/auth/dataset-sections";

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, db, dataset, datasetId } = await loadDatasetPage(id, "datasets:read", `/datasets/${id}`);
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
            {sectionsFor(user.role).map(({ segment, label }) => (
              <Link
                key={segment}
                href={`/datasets/${datasetId}/${segment}`}
                className="text-indigo-700 hover:underline"
              >
                {label}
              </Link>
            ))}
          </div>
        }
      />
      <Card title="Progress">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
          {tiles.map(([label, value]) => (
            <div key={label} className="rounded-md bg-slate-50 p-3">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
              <dd className="mt-1 text-lg font-semibold tabular-nums">{formatCount(value)}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <ReviewOverview overview={overview} datasetId={datasetId} />
    </>
  );
}
