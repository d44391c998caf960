"use client";

import { useState } from "react";
import type { Draft } from "@/lib/review/drafts";
import { formatDateTime } from "@/lib/format";

/** A draft that can no longer be saved (the pair became final, or someone else holds it): read it, copy it. */
export function DraftReadOnly({ draft, onDiscard }: { draft: Draft; onDiscard: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = (name: string, text: string) =>
    navigator.clipboard
      .writeText(text)
      .then(() => setCopied(name))
      .catch(() => setCopied(null));
  return (
    <section
      aria-label="Your draft (read-only)"
      data-testid="draft-read-only"
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3"
    >
      <p role="status" className="text-sm text-amber-900">
        Your draft from {formatDateTime(draft.updatedAt)} is read-only: {draft.readOnly}
      </p>
      {(["prompt", "chosen", "rejected"] as const).map((name) => (
        <div key={name}>
          <div className="mb-1 flex items-center gap-2 text-xs font-medium text-slate-700">
            <label htmlFor={`draft-${name}`} className="capitalize">
              {name}
            </label>
            <button type="button" className="text-indigo-700 underline" onClick={() => copy(name, draft[name])}>
              {copied === name ? "Copied" : "Copy"}
            </button>
          </div>
          <textarea
            id={`draft-${name}`}
            readOnly
            value={draft[name]}
            rows={name === "prompt" ? 2 : 5}
            className="block w-full rounded-md bg-white px-2 py-1 font-mono text-sm ring-1 ring-inset ring-amber-300"
          />
        </div>
      ))}
      <button type="button" onClick={onDiscard} className="text-sm text-amber-900 underline">
        Discard this draft
      </button>
    </section>
  );
}
