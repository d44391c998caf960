"use client";

import { useState } from "react";
import { adjudicateAction } from "@/app/datasets/[id]/adjudication/actions";
import type { AdjudicationItem } from "@/lib/review/adjudication";
import { formatDateTime, formatDuration } from "@/lib/format";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { rejectReasonLabel } from "@/lib/review/types";
import { Markdown } from "./markdown";

const DECISIONS = [
  { decision: "accept", label: "Accept (chosen is better)" },
  { decision: "flip", label: "Flip (rejected is better)" },
  { decision: "reject", label: "Reject (drop the pair)" },
] as const;

/** One pair of the adjudication queue: both responses with their labels, every vote, and the decision. */
export function AdjudicationCard({ datasetId, item }: { datasetId: number; item: AdjudicationItem }) {
  const { pair, votes } = item;
  const [reason, setReason] = useState("");
  const [state, setState] = useState<{ pending: boolean; error: string | null; done: string | null }>({
    pending: false,
    error: null,
    done: null,
  });
  const decide = (decision: (typeof DECISIONS)[number]["decision"]) => {
    setState({ pending: true, error: null, done: null });
    void adjudicateAction({ datasetId, pairId: pair.id, version: pair.version, decision, reason: reason || null })
      .then((result) =>
        setState(
          result.ok
            ? { pending: false, error: null, done: `Decided: ${decision} — pair #${pair.id} is ${result.data.status}.` }
            : { pending: false, error: result.error, done: null },
        ),
      )
      .catch(() => setState({ pending: false, error: "The server did not answer; nothing may be saved.", done: null }));
  };
  return (
    <section
      className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      data-testid="adjudication-item"
      data-pair-id={pair.id}
    >
      <header className="mb-2 flex flex-wrap items-baseline gap-3">
        <h2 className="text-sm font-semibold text-slate-800">Pair #{pair.id}</h2>
        <span className="text-xs text-slate-500">
          disagreement {Math.round(item.disagreement * 100)}% · waiting since {formatDateTime(item.waitingSince)}
        </span>
      </header>
      <div className="mb-3 text-sm text-slate-800">
        <Markdown text={pair.prompt} />
      </div>
      <div className="mb-3 grid gap-3 md:grid-cols-2">
        {(["chosen", "rejected"] as const).map((side) => (
          <div key={side} className="rounded-md border border-slate-200 p-2">
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{side}</h3>
            <Markdown text={pair[side].text} />
          </div>
        ))}
      </div>
      <Table label={`Votes on pair #${pair.id}`}>
        <THead>
          <Tr>
            <Th>Reviewer</Th>
            <Th>Vote</Th>
            <Th>A/B choice</Th>
            <Th>Strength</Th>
            <Th>Shown as A</Th>
            <Th numeric>Time</Th>
            <Th>Reason</Th>
            <Th>Guidelines</Th>
            <Th>When</Th>
          </Tr>
        </THead>
        <TBody>
          {votes.map((v) => (
            <Tr key={v.user} data-testid="adjudication-vote">
              <Td>{v.user}</Td>
              <Td>{v.decision}</Td>
              <Td>{v.choice ?? "—"}</Td>
              <Td>{v.strength ?? "—"}</Td>
              <Td>{v.shownLeft ?? "—"}</Td>
              <Td numeric>{formatDuration(v.durationMs / 1000)}</Td>
              <Td>{[v.reason && rejectReasonLabel(v.reason), v.reasonText].filter(Boolean).join(": ") || "—"}</Td>
              <Td data-testid="adjudication-vote-guidelines">
                {v.guidelineVersion !== null ? `v${v.guidelineVersion}` : "none"}
              </Td>
              <Td muted>{formatDateTime(v.decidedAt)}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
      {state.done ? (
        <p role="status" className="mt-3 text-sm text-emerald-700">
          {state.done}
        </p>
      ) : (
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <input
            aria-label={`Reason for pair #${pair.id}`}
            placeholder="Reason (optional)"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            className="min-w-64 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
          {DECISIONS.map((d) => (
            <button
              key={d.decision}
              type="button"
              disabled={state.pending}
              onClick={() => decide(d.decision)}
              className="rounded-md bg-white px-2.5 py-1 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400"
            >
              {d.label}
            </button>
          ))}
        </div>
      )}
      {state.error ? (
        <p role="alert" className="mt-2 text-sm text-rose-700">
          {state.error}
        </p>
      ) : null}
    </section>
  );
}
