"use client";

import { useEffect, useState } from "react";
import { Markdown } from "@/components/review/markdown";
import { isTyping } from "@/components/review/review-keys";

/** Mirrors lib/datasets/guidelines.ts GuidelinesNotice (a client component does not import lib/ server code). */
export type GuidelinesNoticeProps = { current: number | null; lastVoted: number | null; changed: boolean };

/**
 * The dataset's guidelines beside the review: `g` opens and closes them (not while typing), and a
 * notice says when they changed since the reviewer's last vote in this dataset.
 */
export function GuidelinesPanel({ guidelines, notice }: { guidelines: string; notice?: GuidelinesNoticeProps }) {
  const [open, setOpen] = useState(false);
  const [seenChange, setSeenChange] = useState(false);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "g" || event.repeat || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.defaultPrevented || isTyping(event.target)) return;
      event.preventDefault();
      setOpen((o) => !o);
      setSeenChange(true);
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  const version = notice?.current ? ` (version ${notice.current})` : "";
  return (
    <div className="mb-3">
      {notice?.changed && !seenChange ? (
        <p role="status" className="mb-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          The guidelines changed since your last vote{version}. Press <kbd className="font-mono font-semibold">g</kbd>{" "}
          to read them.
        </p>
      ) : null}
      {open ? (
        <section
          aria-label="Guidelines"
          data-testid="guidelines-panel"
          className="rounded-lg bg-white p-4 shadow ring-1 ring-slate-200"
        >
          <div className="mb-2 flex items-center justify-between">
            <h2 className="text-sm font-semibold">Guidelines{version}</h2>
            <button type="button" className="text-sm text-indigo-700 underline" onClick={() => setOpen(false)}>
              Close (g)
            </button>
          </div>
          {guidelines.trim() ? (
            <Markdown text={guidelines} />
          ) : (
            <p className="text-sm text-slate-500">This dataset has no guidelines yet.</p>
          )}
        </section>
      ) : (
        <button
          type="button"
          className="text-sm text-indigo-700 hover:underline"
          onClick={() => {
            setOpen(true);
            setSeenChange(true);
          }}
        >
          Guidelines{version} <kbd className="font-mono text-xs text-slate-500">g</kbd>
        </button>
      )}
    </div>
  );
}
