"use client";

import {
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
} from "react";
import { discardDraftAction, editAction, saveDraftAction, type WriteResult } from "@/app/datasets/[id]/review/actions";
import type { Draft } from "@/lib/review/drafts";
import { formatDateTime } from "@/lib/format";
import type { PairView, StoredConstraint, VerificationEntry, Verdict } from "@/lib/review/types";
import { constraintsMissingFromPrompt } from "@/lib/review/prompt";
import { Kbd } from "./badges";
import { failingCodeChecks, OverrideConfirm } from "./override-confirm";
import { ConstraintTable } from "./pair-parts";

type Checker = typeof import("@/lib/review/verdicts");

function judgeEntries(verdicts: readonly Verdict[]): VerificationEntry[] {
  return verdicts.flatMap((v) =>
    v.by === "judge" && v.passed !== null
      ? [{ constraintIndex: v.index, passed: v.passed, by: "judge" as const, reason: v.reason }]
      : [],
  );
}

/** How long typing must pause before the draft is saved on the server. */
const DRAFT_DEBOUNCE_MS = 600;

type DraftTexts = { prompt: string; chosen: string; rejected: string };
const sameTexts = (a: DraftTexts, b: DraftTexts) =>
  a.prompt === b.prompt && a.chosen === b.chosen && a.rejected === b.rejected;

/** Esc or Cancel on a changed edit asks first; yes discards the server draft too. */
export function confirmDiscardEdit(pairId: number): boolean {
  return window.confirm(`Discard your edit of pair #${pairId}? The draft saved for it is deleted too.`);
}

/**
 * Editing in place: the prompt, the chosen and the rejected response. Badges re-check on every
 * keystroke with lib/constraints (loaded when editing starts). Saving writes new versions; a
 * stale save keeps the text here and shows what changed. The text in progress is a draft, saved
 * on the server as the reviewer types (lib/review/drafts.ts) and restored from `initialDraft`.
 */
export function EditPanel({
  pair,
  datasetId,
  elapsed,
  onCancel,
  onSaved,
  onConflict,
  initialDraft = null,
}: {
  pair: PairView;
  /** The reviewer's saved draft for this pair, if any (opens with its text). */
  initialDraft?: Draft | null;
  datasetId: number;
  /** Milliseconds the pair has been on screen. */
  elapsed: () => number;
  onCancel: () => void;
  onSaved: (result: Extract<WriteResult, { outcome: "saved" }>, accepted: boolean) => void;
  onConflict: (result: Extract<WriteResult, { outcome: "conflict" }>) => void;
}) {
  const [draft, setDraft] = useState<DraftTexts>(() =>
    initialDraft
      ? { prompt: initialDraft.prompt, chosen: initialDraft.chosen, rejected: initialDraft.rejected }
      : { prompt: pair.prompt, chosen: pair.chosen.text, rejected: pair.rejected.text },
  );
  // What the server holds (null: no draft there), and the state of the debounced save.
  const stored = useRef<DraftTexts | null>(initialDraft);
  const [draftNote, setDraftNote] = useState(
    initialDraft ? `Draft restored (saved ${formatDateTime(initialDraft.updatedAt)})` : "",
  );
  const [base] = useState(() => ({ prompt: pair.prompt, chosen: pair.chosen.text, rejected: pair.rejected.text }));
  const [checker, setChecker] = useState<Checker | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const chosenRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    chosenRef.current?.focus();
    let live = true;
    import("@/lib/review/verdicts").then((mod) => live && setChecker(() => mod));
    return () => {
      live = false;
    };
  }, []);

  const chosenText = useDeferredValue(draft.chosen);
  const rejectedText = useDeferredValue(draft.rejected);
  const constraints = pair.constraints as StoredConstraint[];
  const chosenVerdicts = useMemo(
    () =>
      checker
        ? checker.checkConstraints(
            constraints,
            chosenText,
            chosenText === pair.chosen.text ? judgeEntries(pair.chosen.verdicts) : [],
          )
        : pair.chosen.verdicts,
    [checker, constraints, chosenText, pair.chosen],
  );
  const rejectedVerdicts = useMemo(
    () =>
      checker
        ? checker.checkConstraints(
            constraints,
            rejectedText,
            rejectedText === pair.rejected.text ? judgeEntries(pair.rejected.verdicts) : [],
          )
        : pair.rejected.verdicts,
    [checker, constraints, rejectedText, pair.rejected],
  );

  const changed = !sameTexts(draft, base);

  // Debounced draft save while typing.
  useEffect(() => {
    if (!changed || (stored.current && sameTexts(stored.current, draft))) return;
    const timer = setTimeout(() => {
      setDraftNote("Saving draft…");
      saveDraftAction({ datasetId, pairId: pair.id, pairVersion: pair.version, ...draft })
        .then((result) => {
          if (!result.ok) return setDraftNote(`Draft not saved: ${result.error}`);
          stored.current = draft;
          setDraftNote(`Draft saved ${formatDateTime(result.data.updatedAt)}`);
        })
        .catch(() => setDraftNote("Draft not saved: the server did not answer."));
    }, DRAFT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, changed, datasetId, pair.id, pair.version]);

  // Leaving the page with a change the server does not hold yet asks first.
  const draftRef = useRef(draft);
  useEffect(() => {
    draftRef.current = draft;
  }, [draft]);
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      const current = draftRef.current;
      if (sameTexts(current, base) || (stored.current && sameTexts(stored.current, current))) return;
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [base]);

  /** Esc / Cancel: a changed edit asks first; discarding deletes the server draft. */
  const cancel = () => {
    if (changed && !confirmDiscardEdit(pair.id)) return;
    if (stored.current) void discardDraftAction({ datasetId, pairId: pair.id }).catch(() => {});
    stored.current = null;
    onCancel();
  };
  // Esc anywhere on the page (the screen's own keys are off while editing).
  const cancelRef = useRef(cancel);
  useEffect(() => {
    cancelRef.current = cancel;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      event.preventDefault();
      cancelRef.current();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const failing = failingCodeChecks(pair.constraints, chosenVerdicts);
  const missing = useMemo(
    () => (draft.prompt !== base.prompt ? constraintsMissingFromPrompt(draft.prompt, constraints) : []),
    [draft.prompt, base.prompt, constraints],
  );
  /** "Save edit" (accept false) keeps the pair awaiting a vote; "Save and accept" votes accept too. */
  const save = (accept = false, override = false) => {
    if (pending) return;
    if (!changed) {
      setError("Nothing was changed: edit a text first, or press Esc and accept the pair as it is.");
      return;
    }
    if (accept && !override && failing.length) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    setPending(true);
    setError(null);
    editAction({
      datasetId,
      pairId: pair.id,
      version: pair.version,
      prompt: draft.prompt !== base.prompt ? draft.prompt : null,
      chosen: draft.chosen !== base.chosen ? draft.chosen : null,
      rejected: draft.rejected !== base.rejected ? draft.rejected : null,
      accept,
      override,
      durationMs: elapsed(),
    })
      .then((result) => {
        if (!result.ok) setError(result.error);
        else if (result.data.outcome === "saved") onSaved(result.data, accept);
        else {
          setError(
            `${result.data.message} Your text is still here: Save again to apply it on top of version ${result.data.current.version}.`,
          );
          onConflict(result.data);
        }
      })
      .catch(() => setError("The server did not answer; nothing was saved."))
      .finally(() => setPending(false));
  };
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      save(e.shiftKey);
    }
  };
  const field = (name: "prompt" | "chosen" | "rejected", label: string, rows: number, extra?: ReactNode) => (
    <div className="min-w-0">
      <label htmlFor={`edit-${name}`} className="mb-1 flex items-center gap-2 text-sm font-medium text-slate-700">
        {label}
        {draft[name] !== base[name] ? (
          <span className="rounded bg-sky-100 px-1.5 text-xs text-sky-800">edited</span>
        ) : null}
      </label>
      <textarea
        id={`edit-${name}`}
        ref={name === "chosen" ? chosenRef : undefined}
        value={draft[name]}
        rows={rows}
        onKeyDown={onKeyDown}
        onChange={(e) => setDraft((d) => ({ ...d, [name]: e.target.value }))}
        className="block w-full rounded-md px-2.5 py-1.5 font-mono text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
      />
      {extra}
    </div>
  );
  return (
    <section
      aria-label="Edit pair"
      className="space-y-3 rounded-md border border-sky-200 bg-sky-50/50 p-3"
      data-testid="edit-panel"
    >
      {field("prompt", "Prompt", 3)}
      <div className="grid gap-3 md:grid-cols-2">
        {field("chosen", "Chosen response", 14)}
        {field("rejected", "Rejected response", 14)}
      </div>
      <div className="rounded-md bg-white p-2">
        <div className="mb-1 flex items-center gap-2 text-xs text-slate-500">
          <span className="font-semibold uppercase tracking-wide">Constraints, re-checked as you type</span>
          {!checker ? <span>(loading the checker…)</span> : null}
        </div>
        <ConstraintTable constraints={pair.constraints} chosen={chosenVerdicts} rejected={rejectedVerdicts} />
      </div>
      {missing.length ? (
        <p
          role="status"
          className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="prompt-warning"
        >
          The prompt no longer states: {missing.map((m) => `“${m}”`).join(", ")}. The pair is still checked against
          these constraints.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {error}
        </p>
      ) : null}
      {confirming ? (
        <OverrideConfirm
          action="Save and accept"
          failing={failing}
          onConfirm={() => save(true, true)}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
      <div className="flex items-center gap-2">
        <button
          type="button"
          onClick={() => save(false)}
          disabled={pending}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white disabled:bg-indigo-300"
        >
          {pending ? "Saving…" : "Save edit"}
          <Kbd>Ctrl+↵</Kbd>
        </button>
        <button
          type="button"
          onClick={() => save(true)}
          disabled={pending}
          className="rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white disabled:bg-emerald-300"
        >
          Save and accept
          <Kbd>Ctrl+Shift+↵</Kbd>
        </button>
        <button
          type="button"
          onClick={cancel}
          className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300"
        >
          Cancel
          <Kbd>Esc</Kbd>
        </button>
        <span className="text-xs text-slate-600" data-testid="draft-status" role="status">
          {draftNote}
        </span>
        <span className="text-xs text-slate-500">
          The original texts are kept; the pair will point at your versions. An edit is not a vote.
        </span>
      </div>
    </section>
  );
}
