import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { listSeeds } from "@/lib/review";
import { loadDatasetPage } from "../load-dataset";

export const metadata: Metadata = { title: "Evolution trees" };

/** The seeds of a dataset, a page at a time; each opens its evolution tree. */
export default async function TreesPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const search = await searchParams;
  const { db, dataset, datasetId } = await loadDatasetPage(id, "datasets:read", `/datasets/${id}/trees`);
  const after = typeof search.after === "string" && /^\d{1,9}$/.test(search.after) ? Number(search.after) : undefined;
  const q = typeof search.q === "string" ? search.q.trim().slice(0, 200) : "";
  const { rows, nextAfter } = await listSeeds(db, datasetId, { afterId: after, q: q || undefined });
  return (
    <>
      <PageHeader
        title={`${dataset.name}: evolution trees`}
        description="Each seed is the root of a tree of evolved instructions."
        actions={
          <Link href={`/datasets/${datasetId}`} className="text-sm text-indigo-700 hover:underline">
            Overview
          </Link>
        }
      />
      <Card>
        <form className="mb-3 flex gap-2 text-sm" role="search">
          <label htmlFor="seed-q" className="sr-only">
            Search seeds
          </label>
          <input
            id="seed-q"
            name="q"
            defaultValue={q}
            placeholder="Words in seed instructions"
            className="flex-1 rounded-md px-2 py-1 ring-1 ring-slate-300"
          />
          <button className="rounded-md bg-indigo-600 px-3 py-1 text-white">Search</button>
        </form>
        {rows.length === 0 ? (
          <p className="text-sm text-slate-600">No seeds{q ? " match" : " yet"}.</p>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Seeds">
            {rows.map((seed) => (
              <li key={seed.id} className="py-2">
                <Link
                  href={`/datasets/${datasetId}/trees/${seed.id}`}
                  className="text-sm font-medium text-indigo-700 hover:underline"
                >
                  Seed #{seed.id}
                  {seed.externalId ? ` (${seed.externalId})` : ""}
                </Link>
                <span className="ml-2 text-xs text-slate-500">
                  {seed.nodes} node{seed.nodes === 1 ? "" : "s"} · {seed.pairs} pair{seed.pairs === 1 ? "" : "s"} ·{" "}
                  {seed.source}
                </span>
                <p className="line-clamp-2 text-sm text-slate-700">{seed.instruction}</p>
              </li>
            ))}
          </ul>
        )}
        <nav className="mt-3 flex justify-between text-sm" aria-label="Pages">
          {after ? (
            <Link href={`?${new URLSearchParams(q ? { q } : {})}`} className="text-indigo-700 hover:underline">
              ← First page
            </Link>
          ) : (
            <span />
          )}
          {nextAfter ? (
            <Link
              href={`?${new URLSearchParams({ ...(q ? { q } : {}), after: String(nextAfter) })}`}
              className="text-indigo-700 hover:underline"
            >
              Next →
            </Link>
          ) : null}
        </nav>
      </Card>
    </>
  );
}
