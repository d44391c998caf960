"use client";

import { useState } from "react";
import { reopenAction, type WriteResult } from "@/app/datasets/[id]/review/actions";
import type { PairView } from "@/lib/review/types";

/** Reopen a final pair (researchers and admins): a reason is required; a new round starts. */
export function ReopenForm({
  pair,
  datasetId,
  onDone,
}: {
  pair: PairView;
  datasetId: number;
  onDone: (result: WriteResult) => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  if (!open)
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-md px-2.5 py-1 text-sm text-slate-700 ring-1 ring-slate-300"
      >
        Reopen…
      </button>
    );
  return (
    <form
      aria-label="Reopen pair"
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        setPending(true);
        reopenAction({ datasetId, pairId: pair.id, version: pair.version, reason })
          .then((result) => {
            if (!result.ok) setError(result.error);
            else {
              setOpen(false);
              setReason("");
              onDone(result.data);
            }
          })
          .catch(() => setError("The server did not answer; the pair was not reopened."))
          .finally(() => setPending(false));
      }}
    >
      <input
        aria-label="Reason for reopening"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="Why reopen this pair?"
        className="rounded-md px-2 py-1 text-sm ring-1 ring-slate-300"
      />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-slate-800 px-2.5 py-1 text-sm font-medium text-white disabled:bg-slate-400"
      >
        {pending ? "Reopening…" : "Reopen"}
      </button>
      <button type="button" onClick={() => setOpen(false)} className="text-sm text-slate-600 underline">
        Cancel
      </button>
      {error ? (
        <span role="alert" className="text-sm text-rose-700">
          {error}
        </span>
      ) : null}
    </form>
  );
}
