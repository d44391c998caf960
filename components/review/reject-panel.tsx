"use client";

import { useState } from "react";
import { REJECT_REASONS, type RejectReason } from "@/lib/review/types";
import { Kbd } from "./badges";

export function RejectPanel({
  onReject,
  onCancel,
}: {
  onReject: (reason: RejectReason | null, text: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState<RejectReason | null>(null);
  const [text, setText] = useState("");
  return (
    <form
      aria-label="Reject"
      className="rounded-md border border-rose-200 bg-rose-50 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        onReject(reason, text);
      }}
    >
      <p className="mb-2 text-sm font-medium text-rose-900">
        Reject: pick a reason (1–6) or press Enter to reject without one; Esc cancels.
      </p>
      <div className="mb-2 flex flex-wrap gap-1.5">
        {REJECT_REASONS.map((r, i) => (
          <button
            key={r.code}
            type="button"
            aria-pressed={reason === r.code}
            onClick={() => onReject(r.code, text)}
            onFocus={() => setReason(r.code)}
            className="rounded bg-white px-2 py-1 text-sm text-rose-900 ring-1 ring-rose-300 hover:bg-rose-100"
          >
            {r.label}
            <Kbd>{String(i + 1)}</Kbd>
          </button>
        ))}
      </div>
      <div className="flex gap-2">
        <label className="sr-only" htmlFor="reject-text">
          Reason (optional)
        </label>
        <input
          id="reject-text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === "Escape" && (e.currentTarget.blur(), onCancel())}
          placeholder="Add a note (optional), Enter to reject"
          maxLength={2000}
          className="flex-1 rounded-md px-2 py-1 text-sm ring-1 ring-rose-300"
        />
        <button type="submit" className="rounded-md bg-rose-600 px-3 py-1 text-sm font-medium text-white">
          Reject
          <Kbd>↵</Kbd>
        </button>
        <button type="button" onClick={onCancel} className="rounded-md px-2 py-1 text-sm text-rose-900">
          Cancel
        </button>
      </div>
    </form>
  );
}
