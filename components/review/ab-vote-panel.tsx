"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { abVoteAction } from "@/app/datasets/[id]/review/actions";
import type { AbChoice, AbStrength, PairView } from "@/lib/review/types";
import { Kbd } from "./badges";
import { Markdown } from "./markdown";
import { AB_KEYS, AB_STRENGTH_KEY, isTyping } from "./review-keys";

/**
 * The blind A/B vote (DESIGN.md "Blind and A/B"): the prompt, its constraints once, and the two
 * responses as A (left) and B (right) in the order the server chose for this reviewer. Nothing
 * here knows which side was generated as chosen — the view is redacted on the server; the labels
 * and badges arrive with the view returned after the vote.
 *
 * Keys: `1` A better, `2` B better, `3` tie, `4` both bad, `m` toggles slight / clear; off while typing.
 */

type AbVoteResult = Awaited<ReturnType<typeof abVoteAction>>;

export function AbVotePanel({
  pair,
  datasetId,
  onVoted,
  onSettled,
  onFailed,
}: {
  pair: PairView & { ab: { a: string; b: string } };
  datasetId: number;
  /** The vote was sent: the screen moves on at once. */
  onVoted: () => void;
  /** The server answered. */
  onSettled: (result: AbVoteResult) => void;
  /** The server did not answer. */
  onFailed: () => void;
}) {
  const [strength, setStrength] = useState<AbStrength>("clear");
  const [sent, setSent] = useState(false);
  const shownAt = useRef(0);
  useEffect(() => {
    shownAt.current = performance.now();
  }, [pair.id]);

  const vote = useCallback(
    (choice: AbChoice) => {
      if (sent) return;
      setSent(true);
      const durationMs = Math.round(performance.now() - shownAt.current);
      onVoted();
      abVoteAction({ datasetId, pairId: pair.id, version: pair.version, choice, strength, durationMs })
        .then(onSettled)
        .catch(onFailed);
    },
    [sent, datasetId, pair.id, pair.version, strength, onVoted, onSettled, onFailed],
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || event.repeat) return;
      if (isTyping(event.target)) return;
      if (event.key === AB_STRENGTH_KEY) {
        event.preventDefault();
        setStrength((s) => (s === "clear" ? "slight" : "clear"));
        return;
      }
      const entry = AB_KEYS.find((c) => c.key === event.key);
      if (entry) {
        event.preventDefault();
        vote(entry.choice);
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [vote]);

  return (
    <div className="space-y-4" data-testid="ab-vote-panel" data-strength={strength}>
      <section className="rounded-md border border-slate-200 bg-white p-3">
        <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Prompt</h2>
        <Markdown text={pair.prompt} />
        {pair.constraints.length ? (
          <ul className="mt-2 list-disc pl-5 text-sm text-slate-700" aria-label="Constraints">
            {pair.constraints.map((c) => (
              <li key={c.index}>{c.text || c.label}</li>
            ))}
          </ul>
        ) : null}
      </section>
      <div className="grid gap-4 md:grid-cols-2">
        {(["a", "b"] as const).map((side) => (
          <section
            key={side}
            className="rounded-md border border-slate-200 bg-white p-3"
            data-testid={`ab-side-${side}`}
          >
            <h2 className="mb-1 text-sm font-semibold text-slate-700">Response {side.toUpperCase()}</h2>
            <Markdown text={pair.ab[side]} />
          </section>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label="A/B vote">
        {AB_KEYS.map((c) => (
          <button
            key={c.choice}
            type="button"
            disabled={sent}
            onClick={() => vote(c.choice)}
            aria-keyshortcuts={c.key}
            className="inline-flex items-center rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-400"
          >
            {c.label}
            <Kbd>{c.key}</Kbd>
          </button>
        ))}
        <button
          type="button"
          onClick={() => setStrength((s) => (s === "clear" ? "slight" : "clear"))}
          aria-keyshortcuts={AB_STRENGTH_KEY}
          aria-pressed={strength === "clear"}
          className="ml-auto inline-flex items-center rounded-md bg-slate-100 px-3 py-1.5 text-sm text-slate-700 ring-1 ring-inset ring-slate-300"
        >
          Strength: {strength}
          <Kbd>{AB_STRENGTH_KEY}</Kbd>
        </button>
      </div>
    </div>
  );
}
