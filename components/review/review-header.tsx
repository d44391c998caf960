"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import type { PairView } from "@/lib/review/types";
import type { QueueCounts } from "@/lib/review/queue-counts";
import { formatCount } from "@/lib/format";
import { Kbd, StatusBadge } from "./badges";
import type { Nav } from "./review-nav";
import type { Mode, ReviewMode } from "./review-keys";

/** The review screen's top line: where the reviewer is, and a button per key. */
export function ReviewHeader({
  datasetId,
  datasetName,
  nav,
  counts,
  current,
  savingNow,
  mode,
  reviewMode,
  onDecide,
  onMode,
  onSwap,
  onNav,
  extra,
}: {
  datasetId: number;
  datasetName: string;
  nav: Nav;
  counts: QueueCounts;
  current: PairView | null;
  /** The decision being saved for the pair on screen, if any. */
  savingNow: string | undefined;
  mode: Mode;
  /** The A/B mode votes in its own panel: no Accept, Reject, Edit or Swap here. */
  reviewMode: ReviewMode;
  onDecide: (decision: "accept" | "skip") => void;
  onMode: (mode: Mode) => void;
  onSwap: () => void;
  onNav: (action: "forward" | "back") => void;
  /** Buttons of panels plugged into the screen. */
  extra?: ReactNode;
}) {
  const atEnd = nav.pos >= nav.trail.length;
  const disabled = !current || !!savingNow;
  return (
    <div className="mb-3 flex flex-wrap items-center gap-2">
      <Link href={`/datasets/${datasetId}`} className="text-sm font-semibold text-slate-800 hover:underline">
        {datasetName}
      </Link>
      <span className="text-sm text-slate-400">/ review</span>
      <span className="text-sm text-slate-700" data-testid="queue-counts">
        {formatCount(counts.pendingForYou)} pending for you · {formatCount(counts.decidedToday)} decided today
      </span>
      {current ? (
        <span className="text-sm text-slate-600" data-testid="review-position">
          pair #{current.id}
          {nav.ahead.length ? ` (${nav.ahead.length} ready)` : nav.loadingAhead ? " (loading next…)" : ""}
        </span>
      ) : null}
      {current && current.status !== "pending" ? (
        <span className="text-sm text-slate-600">
          decided: <StatusBadge status={current.status} />
        </span>
      ) : null}
      {savingNow ? <span className="text-xs text-slate-500">saving {savingNow}…</span> : null}
      <div className="ml-auto flex flex-wrap gap-1.5" role="toolbar" aria-label="Decisions">
        {reviewMode === "labelled" ? (
          <>
            <ActionButton
              label="Accept"
              shortcut="a"
              tone="good"
              disabled={disabled || mode === "edit"}
              onClick={() => onDecide("accept")}
            />
            <ActionButton
              label="Reject"
              shortcut="r"
              tone="bad"
              disabled={disabled || mode === "edit"}
              onClick={() => onMode("reject")}
            />
            <ActionButton label="Edit" shortcut="e" disabled={disabled} onClick={() => onMode("edit")} />
          </>
        ) : null}
        <ActionButton
          label="Skip"
          shortcut="s"
          disabled={disabled || mode === "edit"}
          onClick={() => onDecide("skip")}
        />
        {reviewMode === "labelled" ? (
          <ActionButton label="Swap" shortcut="x" disabled={disabled || mode === "edit"} onClick={onSwap} />
        ) : null}
        <ActionButton label="Previous" shortcut="k" disabled={nav.pos <= 0} onClick={() => onNav("back")} />
        <ActionButton label="Next" shortcut="j" disabled={atEnd && !nav.exhausted} onClick={() => onNav("forward")} />
        {extra}
        <ActionButton label="Keys" shortcut="?" onClick={() => onMode(mode === "help" ? "view" : "help")} />
      </div>
    </div>
  );
}

export function ActionButton({
  label,
  shortcut,
  onClick,
  disabled,
  tone,
}: {
  label: string;
  shortcut: string;
  onClick: () => void;
  disabled?: boolean;
  tone?: "good" | "bad";
}) {
  const style =
    tone === "good"
      ? "bg-emerald-600 text-white hover:bg-emerald-500 disabled:bg-emerald-300"
      : tone === "bad"
        ? "bg-rose-600 text-white hover:bg-rose-500 disabled:bg-rose-300"
        : "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400";
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-keyshortcuts={shortcut === "?" ? "Shift+?" : shortcut}
      className={`inline-flex items-center rounded-md px-2.5 py-1 text-sm font-medium shadow-sm disabled:cursor-not-allowed ${style}`}
    >
      {label}
      <Kbd>{shortcut}</Kbd>
    </button>
  );
}
