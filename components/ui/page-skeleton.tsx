/**
 * What a route's loading.tsx shows while its page waits on the database. A loading.tsx renders
 * before the page's own authorization, so this is a skeleton only: no text, no data, no links.
 */
export function PageSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse space-y-4" data-testid="page-skeleton">
      <span className="sr-only">Loading…</span>
      <div className="h-7 w-64 rounded bg-slate-200" />
      <div className="space-y-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="h-4 rounded bg-slate-100" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
        ))}
      </div>
    </div>
  );
}
