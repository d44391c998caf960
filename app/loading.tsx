/**
 * Shown while a page waits on the database (every route below app/ that has no loading.tsx of
 * its own): the layout stays, the content area says it is coming.
 */
export default function Loading() {
  return (
    <div aria-busy="true" className="space-y-3 py-6" data-testid="page-loading">
      <div className="h-6 w-1/3 animate-pulse rounded bg-slate-200" />
      <div className="h-4 w-2/3 animate-pulse rounded bg-slate-100" />
      <div className="h-32 animate-pulse rounded-lg bg-slate-100" />
      <span className="sr-only">Loading…</span>
    </div>
  );
}
