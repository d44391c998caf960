import type { Metadata } from "next";
import Link from "next/link";
import { PairsTable } from "@/components/review/pairs-table";
import { PageHeader } from "@/components/ui/card";
import { CONSTRAINT_IDS } from "@/lib/constraints/ids";
import { hasScope } from "@/lib/auth/roles";
import { HIDEABLE_COLUMNS, listPairs, pairFilterChoices, parsePairQuery } from "@/lib/review";
import { loadDatasetPage } from "../load-dataset";

export const metadata: Metadata = { title: "Pairs" };

export default async function PairsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const search = await searchParams;
  const { user, db, dataset, datasetId } = await loadDatasetPage(id, "datasets:read", `/datasets/${id}/pairs`);
  const { hide, ...rest } = search;
  const { query, errors } = parsePairQuery(rest);
  const hideable = new Set(HIDEABLE_COLUMNS.map((c) => c.id));
  const hidden = (typeof hide === "string" ? hide.split(",") : []).filter((c) => hideable.has(c));
  const [page, { reviewers, jobs }] = await Promise.all([
    listPairs(db, datasetId, query),
    pairFilterChoices(db, datasetId),
  ]);
  return (
    <>
      <PageHeader
        title={`${dataset.name}: pairs`}
        description="Filter, sort and page through the pairs; open one to review it."
        actions={
          <div className="flex gap-3 text-sm">
            <Link href={`/datasets/${datasetId}`} className="text-indigo-700 hover:underline">
              Overview
            </Link>
            <Link href={`/datasets/${datasetId}/review`} className="text-indigo-700 hover:underline">
              Review queue
            </Link>
            <Link href={`/datasets/${datasetId}/trees`} className="text-indigo-700 hover:underline">
              Trees
            </Link>
          </div>
        }
      />
      <PairsTable
        key={JSON.stringify(search)}
        datasetId={datasetId}
        rows={page.rows}
        nextCursor={page.nextCursor}
        prevCursor={page.prevCursor}
        total={page.total}
        datasetTotal={page.datasetTotal}
        query={query}
        hidden={hidden}
        errors={errors}
        reviewers={reviewers}
        jobs={jobs}
        constraintIds={CONSTRAINT_IDS}
        canBulk={hasScope(user.role, "pairs:bulk")}
      />
    </>
  );
}
