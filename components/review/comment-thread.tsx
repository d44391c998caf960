"use client";

import { useEffect, useState } from "react";
import { addCommentAction, commentsAction } from "@/app/datasets/[id]/review/actions";
import type { CommentThread as Thread } from "@/lib/review/comments";
import { formatDateTime } from "@/lib/format";
import { Markdown } from "./markdown";

/**
 * A pair's comment thread (author, time, markdown). In a blind dataset other people's comments
 * stay hidden until the reviewer has voted; the count of hidden ones is shown.
 */
export function CommentThread({
  datasetId,
  pairId,
  pairVersion,
}: {
  datasetId: number;
  pairId: number;
  pairVersion: number;
}) {
  const [thread, setThread] = useState<Thread | null>(null);
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  // Reloaded when the pair changes version (a vote may reveal the thread in a blind dataset).
  useEffect(() => {
    let live = true;
    commentsAction({ datasetId, pairId })
      .then((result) => live && (result.ok ? setThread(result.data) : setError(result.error)))
      .catch(() => live && setError("Could not load the comments: the server did not answer."));
    return () => {
      live = false;
    };
  }, [datasetId, pairId, pairVersion]);

  const post = () => {
    if (pending) return;
    setPending(true);
    setError(null);
    addCommentAction({ datasetId, pairId, body })
      .then((result) => {
        if (!result.ok) return setError(result.error);
        setThread(result.data);
        setBody("");
      })
      .catch(() => setError("The server did not answer; the comment was not saved."))
      .finally(() => setPending(false));
  };

  return (
    <section
      aria-label="Comments"
      data-testid="comment-thread"
      className="rounded-md border border-slate-200 bg-white p-3"
    >
      <h2 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
        Comments{thread ? ` (${thread.comments.length})` : ""}
      </h2>
      {thread?.hidden ? (
        <p className="mb-2 text-xs text-slate-500">
          {thread.hidden} comment{thread.hidden === 1 ? "" : "s"} by others hidden until you vote (blind review).
        </p>
      ) : null}
      <ol className="mb-2 space-y-2">
        {thread?.comments.map((c) => (
          <li key={c.id} className="rounded bg-slate-50 px-2 py-1.5" data-testid="comment">
            <div className="text-xs text-slate-500">
              <span className="font-medium text-slate-700">{c.author}</span> · {formatDateTime(c.createdAt)}
            </div>
            <Markdown text={c.body} />
          </li>
        ))}
      </ol>
      <label htmlFor={`comment-${pairId}`} className="sr-only">
        Add a comment
      </label>
      <textarea
        id={`comment-${pairId}`}
        value={body}
        rows={2}
        maxLength={10_000}
        placeholder="Add a comment (markdown; Ctrl+Enter posts)"
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            post();
          }
        }}
        className="block w-full rounded-md px-2 py-1 text-sm ring-1 ring-inset ring-slate-300"
      />
      {error ? (
        <p role="alert" className="mt-1 text-sm text-rose-700">
          {error}
        </p>
      ) : null}
      <button
        type="button"
        onClick={post}
        disabled={pending || !body.trim()}
        className="mt-2 rounded-md bg-slate-800 px-3 py-1 text-sm font-medium text-white disabled:bg-slate-300"
      >
        {pending ? "Posting…" : "Comment"}
      </button>
    </section>
  );
}
