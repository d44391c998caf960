"use client";

import { useEffect, useRef, useState } from "react";
import { REJECT_REASONS, type RejectReason } from "@/lib/review/types";
import { Kbd } from "./badges";
import { rejectPanelKey } from "./review-keys";

/**
 * Rejecting with a note: the focus starts in the note, so whatever is typed is the note's text
 * (no shortcut fires). Alt+digit or a click picks a reason (focusing a reason does not), Enter
 * rejects, Esc cancels and asks first when a note was typed.
 */
export function RejectPanel({
  onReject,
  onCancel,
}: {
  onReject: (reason: RejectReason | null, text: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState<RejectReason | null>(null);
  const [text, setText] = useState("");
  const state = useRef({ reason, text });
  useEffect(() => {
    state.current = { reason, text };
  }, [reason, text]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const command = rejectPanelKey(event);
      if (!command) return;
      event.preventDefault();
      const { reason, text } = state.current;
      if (command.type === "reason") setReason(command.reason);
      else if (command.type === "save") onReject(reason, text.trim());
      else if (!text.trim() || window.confirm("Discard the note you typed for this rejection?")) onCancel();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onReject, onCancel]);

  return (
    <section
      aria-label="Reject"
      className="rounded-md border border-rose-200 bg-rose-50 p-3"
      data-testid="reject-panel"
    >
      <p className="mb-2 text-sm font-medium text-rose-900">
        Reject: type a note, pick a reason with Alt+1–6 or a click, Enter rejects; Esc cancels.
      </p>
      <div className="mb-2 flex flex-wrap gap-1.5" role="group" aria-label="Reason">
        {REJECT_REASONS.map((r, i) => (
          <button
            key={r.code}
            type="button"
            aria-pressed={reason === r.code}
            onClick={() => setReason((current) => (current === r.code ? null : r.code))}
            className="rounded bg-white px-2 py-1 text-sm text-rose-900 ring-1 ring-rose-300 hover:bg-rose-100 aria-pressed:bg-rose-600 aria-pressed:text-white"
          >
            {r.label}
            <Kbd>{`Alt+${i + 1}`}</Kbd>
          </button>
        ))}
      </div>
      <div className="flex gap-2">
        <label className="sr-only" htmlFor="reject-text">
          Note (optional)
        </label>
        <input
          id="reject-text"
          autoFocus
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Add a note (optional), Enter to reject"
          maxLength={2000}
          className="flex-1 rounded-md px-2 py-1 text-sm ring-1 ring-rose-300"
        />
        <button
          type="button"
          onClick={() => onReject(reason, text.trim())}
          className="rounded-md bg-rose-600 px-3 py-1 text-sm font-medium text-white"
        >
          Reject
          <Kbd>↵</Kbd>
        </button>
        <button
          type="button"
          onClick={() =>
            (!text.trim() || window.confirm("Discard the note you typed for this rejection?")) && onCancel()
          }
          className="rounded-md px-2 py-1 text-sm text-rose-900"
        >
          Cancel
          <Kbd>Esc</Kbd>
        </button>
      </div>
    </section>
  );
}
