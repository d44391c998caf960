"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import { diffStats, diffWords } from "@/lib/review/diff";
import type { ChainStepView, ConstraintView, PairView, ResponseView, Verdict } from "@/lib/review/types";
import { rejectReasonLabel } from "@/lib/review/types";
import { ConstraintChip, StatusBadge, VerdictBadge } from "./badges";
import { Markdown } from "./markdown";
import { DiffText, WordDiff } from "./word-diff";

/** The pieces of the review screen that only draw a pair (no state of their own beyond view toggles). */

/** Seed → … → this node: each step's instruction with what it added, and its constraints as chips. */
export function ChainView({ chain, prompt }: { chain: ChainStepView[]; prompt: string }) {
  const last = chain[chain.length - 1];
  return (
    <ol className="space-y-3" data-testid="chain">
      {chain.map((step, i) => {
        const parent = i > 0 ? chain[i - 1]! : null;
        return (
          <li key={step.nodeId} className="rounded-md border border-slate-200 bg-white p-3" data-testid="chain-step">
            <div className="mb-1 flex items-center gap-2 text-xs text-slate-500">
              <span className="font-semibold text-slate-700">{step.depth === 0 ? "Seed" : `Step ${step.depth}`}</span>
              {step.operation ? (
                <span className="rounded bg-slate-100 px-1.5">{step.operation.replaceAll("_", " ")}</span>
              ) : null}
              <span className="ml-auto">node #{step.nodeId}</span>
            </div>
            <p className="text-sm text-slate-800">
              {parent ? (
                <WordDiff from={parent.instruction} to={step.instruction} />
              ) : (
                <span className="whitespace-pre-wrap">{step.instruction}</span>
              )}
            </p>
            {step.constraints.length ? (
              <div className="mt-2 flex flex-wrap gap-1">
                {step.constraints.map((c) => (
                  <ConstraintChip key={c.index} constraint={c} />
                ))}
              </div>
            ) : null}
          </li>
        );
      })}
      {last && prompt !== last.instruction ? (
        <li className="rounded-md border border-sky-200 bg-sky-50 p-3" data-testid="edited-prompt">
          <div className="mb-1 text-xs font-semibold text-sky-800">Prompt as edited by a reviewer</div>
          <p className="text-sm">
            <WordDiff from={last.instruction} to={prompt} />
          </p>
        </li>
      ) : null}
    </ol>
  );
}

export function originLabel(response: ResponseView): string {
  if (response.origin === "human") return `human edit${response.createdBy ? ` by ${response.createdBy}` : ""}`;
  if (response.origin === "rule-based") return `rule-based (${response.role})`;
  if (response.origin === "reference") return "the seed's reference answer";
  return `${response.role} · ${response.provider}${response.model ? ` / ${response.model}` : ""}`;
}

/** Where a response came from. */
export function Provenance({ response }: { response: ResponseView }) {
  const style =
    response.origin === "human"
      ? "bg-sky-100 text-sky-800"
      : response.origin === "rule-based"
        ? "bg-violet-100 text-violet-800"
        : response.origin === "reference"
          ? "bg-amber-100 text-amber-800"
          : "bg-slate-100 text-slate-700";
  return (
    <div className="flex flex-wrap items-center gap-1.5 text-xs text-slate-500" data-testid="provenance">
      <span className={`rounded px-1.5 py-0.5 font-medium ${style}`}>
        {response.origin === "llm" ? "LLM" : response.origin}
      </span>
      <span>{originLabel(response)}</span>
      <span>· response #{response.id}</span>
      {response.parentId ? (
        <span data-testid="derived-from">
          {response.origin === "human"
            ? `· edit of #${response.parentId} (original kept)`
            : `· derived from #${response.parentId}`}
        </span>
      ) : null}
    </div>
  );
}

export type TextMode = "rendered" | "raw" | "diff";

/** Chosen and rejected side by side, rendered as Markdown, as raw text, or as a word diff. */
export function ResponsesSideBySide({
  pair,
  mode,
  onMode,
}: {
  pair: PairView;
  mode: TextMode;
  onMode: (m: TextMode) => void;
}) {
  const chunks = useMemo(
    () => (mode === "diff" ? diffWords(pair.rejected.text, pair.chosen.text) : null),
    [mode, pair.rejected.text, pair.chosen.text],
  );
  const stats = useMemo(() => diffStats(chunks ?? []), [chunks]);
  const body = (side: "chosen" | "rejected") => {
    const response = pair[side];
    if (mode === "raw")
      return <pre className="font-mono text-xs whitespace-pre-wrap break-words text-slate-800">{response.text}</pre>;
    if (mode === "diff" && chunks)
      return <DiffText chunks={chunks} show={side === "chosen" ? "new" : "old"} className="text-sm leading-6" />;
    return <Markdown text={response.text} />;
  };
  return (
    <div>
      <div className="mb-2 flex items-center gap-2 text-xs" role="group" aria-label="Show responses as">
        {(["rendered", "raw", "diff"] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode === m}
            onClick={() => onMode(m)}
            className={`rounded px-2 py-0.5 ${mode === m ? "bg-slate-800 text-white" : "bg-white text-slate-700 ring-1 ring-slate-300"}`}
          >
            {m === "rendered" ? "Rendered" : m === "raw" ? "Raw" : "Diff"}
          </button>
        ))}
        {mode === "diff" ? (
          <span className="text-slate-500">
            chosen adds {stats.added} word{stats.added === 1 ? "" : "s"}, drops {stats.removed}
          </span>
        ) : (
          <span className="text-slate-400">d toggles the diff</span>
        )}
      </div>
      <div className="grid gap-3 md:grid-cols-2">
        {(["chosen", "rejected"] as const).map((side) => (
          <section
            key={side}
            data-testid={`response-${side}`}
            className={`min-w-0 rounded-md border bg-white p-3 ${side === "chosen" ? "border-emerald-300" : "border-rose-300"}`}
          >
            <header className="mb-2 space-y-1">
              <h3 className={`text-sm font-semibold ${side === "chosen" ? "text-emerald-800" : "text-rose-800"}`}>
                {side === "chosen" ? "Chosen" : "Rejected"}
              </h3>
              <Provenance response={pair[side]} />
            </header>
            <div className="max-h-[60vh] overflow-y-auto">{body(side)}</div>
          </section>
        ))}
      </div>
    </div>
  );
}

/** One row per constraint of the pair's node, a badge per response. */
export function ConstraintTable({
  constraints,
  chosen,
  rejected,
}: {
  constraints: ConstraintView[];
  chosen: Verdict[];
  rejected: Verdict[];
}) {
  if (!constraints.length) return <p className="text-sm text-slate-500">This node carries no constraints.</p>;
  return (
    <Table label="Constraints" data-testid="constraint-table">
      <THead>
        <Tr>
          <Th>Constraint</Th>
          <Th className="w-28">Chosen</Th>
          <Th className="w-28">Rejected</Th>
        </Tr>
      </THead>
      <TBody>
        {constraints.map((c) => (
          <Tr key={c.index}>
            <Td>
              <div className="text-slate-800">{c.label}</div>
              <div className="text-xs font-mono text-slate-400">
                {c.kind === "verifiable" ? c.id : "free-form (judge)"}
              </div>
            </Td>
            <Td>
              <VerdictBadge verdict={chosen[c.index]} testId={`verdict-chosen-${c.index}`} />
              <UnknownWhy verdict={chosen[c.index]} testId={`verdict-chosen-${c.index}-why`} />
            </Td>
            <Td>
              <VerdictBadge verdict={rejected[c.index]} testId={`verdict-rejected-${c.index}`} />
              <UnknownWhy verdict={rejected[c.index]} testId={`verdict-rejected-${c.index}-why`} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

/** Says, under a free-form verdict that is unknown, why (no judge model, or the judge's re-check is due). */
function UnknownWhy({ verdict, testId }: { verdict: Verdict | undefined; testId: string }) {
  if (verdict?.passed !== null || !verdict.reason) return null;
  return (
    <div className="text-xs text-slate-500" data-testid={testId}>
      {verdict.reason}
    </div>
  );
}

/** Pair facts and the append-only review history. */
export function PairFacts({ pair }: { pair: PairView }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="space-y-2 text-xs text-slate-600" data-testid="pair-facts">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-semibold text-slate-800">Pair #{pair.id}</span>
        <span data-testid="pair-version">version {pair.version}</span>
        <StatusBadge status={pair.status} />
        <span className="uppercase">{pair.method}</span>
        <span>depth {pair.depth}</span>
        {pair.hardNegative !== null ? <span>{pair.hardNegative ? "hard negative" : "easy negative"}</span> : null}
        <span>
          {pair.reviewCount}/{pair.reviewsPerPair} review{pair.reviewsPerPair === 1 ? "" : "s"}
        </span>
        {pair.jobId ? <span>job #{pair.jobId}</span> : null}
        <Link
          className="text-indigo-700 hover:underline"
          href={`/datasets/${pair.datasetId}/trees/${pair.seedId}?node=${pair.nodeId}`}
        >
          tree
        </Link>
      </div>
      {pair.reviews.length ? (
        <div>
          <button
            type="button"
            className="text-indigo-700 hover:underline"
            onClick={() => setOpen((v) => !v)}
            aria-expanded={open}
          >
            {open ? "Hide" : "Show"} history ({pair.reviews.length})
          </button>
          {open ? (
            <ol className="mt-1 space-y-0.5" data-testid="review-history">
              {pair.reviews.map((r) => (
                <li key={r.id}>
                  v{r.pairVersion} · <span className="font-medium text-slate-800">{r.decision}</span>
                  {r.reason ? ` (${rejectReasonLabel(r.reason)})` : ""}
                  {r.reasonText ? ` “${r.reasonText}”` : ""} by {r.user} · {formatDateTime(r.decidedAt)} ·{" "}
                  {(r.durationMs / 1000).toFixed(1)} s on screen
                </li>
              ))}
            </ol>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
