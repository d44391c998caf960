import type { PairView } from "@/lib/review/types";

/** What the reviewer should know about a pair's state: edits, swaps, rounds, overrides, prompt warnings. */
export function PairTrustNotes({ pair }: { pair: PairView }) {
  const notes: string[] = [];
  if (pair.edited) notes.push("carries a human edit");
  if (pair.swapped) notes.push("chosen and rejected are swapped from how they were generated");
  if (pair.round > 1) notes.push(`review round ${pair.round} (earlier votes no longer count)`);
  if (pair.override) notes.push("accepted although the chosen response fails a check (override)");
  if (pair.lengthRatio !== null) notes.push(`length ratio ${pair.lengthRatio.toFixed(2)} (chosen / rejected words)`);
  return (
    <div className="space-y-1 text-xs" data-testid="pair-trust-notes">
      {notes.length ? <p className="text-slate-600">This pair {notes.join(" · ")}.</p> : null}
      {pair.missingFromPrompt.length ? (
        <p role="status" className="rounded bg-amber-50 px-2 py-1 text-amber-900" data-testid="prompt-warning">
          The edited prompt no longer states: {pair.missingFromPrompt.map((s) => `“${s}”`).join(", ")}. The pair is
          still checked against these constraints.
        </p>
      ) : null}
    </div>
  );
}
