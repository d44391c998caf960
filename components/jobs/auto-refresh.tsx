"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders the server page every `intervalMs` while `active` (a running job's live progress). */
export function AutoRefresh({ active, intervalMs = 1000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return active ? (
    <span className="inline-flex items-center gap-1.5 text-xs text-slate-500" data-testid="live">
      <span className="h-2 w-2 animate-pulse rounded-full bg-emerald-500" /> live
    </span>
  ) : null;
}
