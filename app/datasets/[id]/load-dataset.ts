import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import type { Scope } from "@/lib/auth/roles";
import { type CurrentUser, requireDatasetAccess, requireUser } from "@/lib/auth/session";
import { getDataset } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { idOrNotFound } from "@/lib/http/route-ids";

/**
 * How every page under /datasets/[id] starts: authorize (signed out → sign-in page, back to
 * `returnTo` afterwards; missing scope → 403), then the dataset from the URL or a 404 — also when
 * the user may not see it (lib/auth/dataset-access.ts: an annotator who is not a member).
 */
export async function loadDatasetPage(id: string, scope: Scope, returnTo: string) {
  const user = await requireUser(scope, returnTo);
  const datasetId = idOrNotFound(id);
  const dataset = await visibleDataset(user, datasetId);
  return { user, db: getDb(), dataset, datasetId };
}

/**
 * The access check and the dataset, once per request (React's per-render cache): a section's
 * layout and its page both load the dataset. `user` is the request's own (getCurrentUser is
 * cached too), so nothing is shared between requests or users.
 */
const visibleDataset = cache(async (user: CurrentUser, datasetId: number) => {
  await requireDatasetAccess(user, datasetId);
  return getDataset(getDb(), datasetId).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === "not_found") notFound();
    throw error;
  });
});

/**
 * The layout of a dataset section that has a loading.tsx. Once a loading skeleton streams, the
 * response is a 200 and a page's redirect, 403 or 404 could no longer set the status; a layout
 * renders outside the loading boundary, so it authorizes first, exactly as the page does (and the
 * page still checks on its own). A loading.tsx belongs only where nothing below it can 404 after
 * this check (a seed or a run that does not exist): the overview has it in the `(overview)` route
 * group so that its siblings (trees/[seedId], …) answer their own 404s. `section` is "" for the
 * overview.
 */
export function authorizedDatasetLayout(scope: Scope, section: string) {
  return async function AuthorizedDatasetLayout({
    children,
    params,
  }: {
    children: ReactNode;
    params: Promise<{ id: string }>;
  }) {
    const { id } = await params;
    await loadDatasetPage(id, scope, section ? `/datasets/${id}/${section}` : `/datasets/${id}`);
    return children;
  };
}
