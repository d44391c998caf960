import { useMemo } from "react";
import { diffWords, type DiffChunk } from "@/lib/review/diff";

/**
 * A word-level diff as inline text: added words highlighted, removed words struck through.
 * `show` picks which side to draw ("both" interleaves them, "old" / "new" show one side with
 * its own changes marked).
 */
export function WordDiff({
  from,
  to,
  show = "both",
  className = "",
}: {
  from: string;
  to: string;
  show?: "both" | "old" | "new";
  className?: string;
}) {
  const chunks = useMemo(() => diffWords(from, to), [from, to]);
  return <DiffText chunks={chunks} show={show} className={className} />;
}

export function DiffText({
  chunks,
  show = "both",
  className = "",
}: {
  chunks: readonly DiffChunk[];
  show?: "both" | "old" | "new";
  className?: string;
}) {
  return (
    <span className={`whitespace-pre-wrap break-words ${className}`}>
      {chunks.map((chunk, i) => {
        if (chunk.op === "eq") return <span key={i}>{chunk.text}</span>;
        if (chunk.op === "add") {
          if (show === "old") return null;
          return (
            <ins key={i} className="rounded-sm bg-emerald-100 text-emerald-900 no-underline" title="added">
              {chunk.text}
            </ins>
          );
        }
        if (show === "new") return null;
        return (
          <del key={i} className="rounded-sm bg-rose-100 text-rose-900" title="removed">
            {chunk.text}
          </del>
        );
      })}
    </span>
  );
}
