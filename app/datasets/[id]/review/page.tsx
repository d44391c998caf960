import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ReviewScreen } from "@/components/review/review-screen";
import { guidelinesNotice } from "@/lib/datasets/guidelines";
import { DomainError } from "@/lib/errors";
import { claimNext, claimPair, loadPairView, recentDecisions } from "@/lib/review";
import { reviewModeOf } from "@/lib/review/decide";
import type { PairView } from "@/lib/review/types";
import { queueCounts } from "@/lib/review/queue-counts";
import { loadDatasetPage } from "../load-dataset";
import { idOrNotFound } from "@/lib/http/route-ids";

export const metadata: Metadata = { title: "Review" };

function notFoundOn(error: unknown): never {
  if (error instanceof DomainError && error.code === "not_found") notFound();
  throw error;
}

/**
 * The review screen. Without `?pair=` it claims the reviewer's next pair from the queue; with it
 * (from the pairs table or the tree) it opens that pair, claiming it when it is free.
 */
export default async function ReviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const search = await searchParams;
  const pairParam = typeof search.pair === "string" ? search.pair : undefined;
  const returnTo = `/datasets/${id}/review${pairParam ? `?pair=${encodeURIComponent(pairParam)}` : ""}`;
  const { user, db, dataset, datasetId } = await loadDatasetPage(id, "pairs:review", returnTo);

  let initial: PairView | null = null;
  let notice: string | null = null;
  if (pairParam !== undefined) {
    const pairId = idOrNotFound(pairParam);
    initial = await loadPairView(db, pairId, { datasetId, viewerId: user.id }).catch(notFoundOn);
    if (initial.status === "pending" && !(await claimPair(db, { pairId, userId: user.id }))) {
      initial = await loadPairView(db, pairId, { datasetId, viewerId: user.id });
      if (initial.claim && initial.claim.userId !== user.id) {
        notice = `Pair #${pairId} is in ${initial.claim.user}’s queue. You can still decide it: if they save first, you will be told and shown their decision.`;
      }
    }
  } else {
    const claimed = await claimNext(db, { datasetId, userId: user.id });
    if (claimed) initial = await loadPairView(db, claimed.id, { datasetId, viewerId: user.id });
  }
  const [history, guidelinesChange, counts] = await Promise.all([
    recentDecisions(db, { datasetId, userId: user.id, limit: 50 }),
    guidelinesNotice(db, datasetId, user.id),
    queueCounts(db, { datasetId, userId: user.id }),
  ]);

  return (
    <ReviewScreen
      key={initial?.id ?? "empty"}
      datasetId={datasetId}
      userId={user.id}
      datasetName={dataset.name}
      initial={initial}
      history={history}
      counts={counts}
      notice={notice}
      guidelines={dataset.guidelines}
      guidelinesNotice={guidelinesChange}
      canReopen={user.role === "researcher" || user.role === "admin"}
      reviewMode={reviewModeOf(dataset.settings).mode}
    />
  );
}
