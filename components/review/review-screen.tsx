"use client";

import Link from "next/link";
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
} from "react";
import {
  claimNextAction,
  decideAction,
  editAction,
  releaseAction,
  viewPairAction,
  type WriteResult,
} from "@/app/datasets/[id]/review/actions";
import type { PairView, StoredConstraint, VerificationEntry, Verdict } from "@/lib/review/types";
import { constraintsMissingFromPrompt } from "@/lib/review/prompt";
import { REJECT_REASONS, type RejectReason } from "@/lib/review/types";
import { initialNav, keyCommand, navReducer, type Mode } from "./review-nav";
import { Kbd, StatusBadge } from "./badges";
import { failingCodeChecks, OverrideConfirm } from "./override-confirm";
import { PairTrustNotes } from "./pair-trust-notes";
import { ReopenForm } from "./reopen-form";
import { AbVotePanel } from "./ab-vote-panel";
import { Markdown } from "./markdown";
import { ChainView, ConstraintTable, PairFacts, ResponsesSideBySide, type TextMode } from "./pair-parts";

/**
 * The review screen: one pair at a time, keyboard first.
 *
 * The reviewer walks a trail of pairs: the ones decided earlier (oldest first), then the pairs the
 * queue hands out. The next queue pair is claimed and loaded in the background ("ahead"), so a
 * decision moves the screen at once while the decision is saved; a refused (stale) save comes
 * back as a message with the pair's current state and a way back to it. `j`/`k` walk the trail.
 */

type Notice = { key: number; kind: "error" | "info"; text: string; pairId?: number };
type Checker = typeof import("@/lib/review/verdicts");

export type ReviewScreenProps = {
  datasetId: number;
  /** The signed-in reviewer (their own lease is not worth a note). */
  userId: number;
  datasetName: string;
  initial: PairView | null;
  /** Pairs this reviewer decided before, oldest first. */
  history: number[];
  notice: string | null;
  guidelines: string;
  /** Researchers and admins may reopen final pairs. */
  canReopen?: boolean;
};

export function ReviewScreen({
  datasetId,
  userId,
  datasetName,
  initial,
  history,
  notice,
  guidelines,
  canReopen = false,
}: ReviewScreenProps) {
  const [nav, dispatch] = useReducer(navReducer, undefined, () => initialNav(initial?.id ?? null, history));
  const [views, setViews] = useState<Record<number, PairView>>(() => (initial ? { [initial.id]: initial } : {}));
  const [saving, setSaving] = useState<Record<number, string>>({});
  const [mode, setMode] = useState<Mode>("view");
  const [textMode, setTextMode] = useState<TextMode>("rendered");
  const [notices, setNotices] = useState<Notice[]>(() => (notice ? [{ key: 0, kind: "info", text: notice }] : []));
  const noticeKey = useRef(1);
  const shownAt = useRef(0);

  const currentId = nav.pos < nav.trail.length ? nav.trail[nav.pos]! : null;
  const current = currentId !== null ? (views[currentId] ?? null) : null;

  const addNotice = useCallback((kind: Notice["kind"], text: string, pairId?: number) => {
    const key = noticeKey.current++;
    setNotices((list) => [...list.slice(-3), { key, kind, text, pairId }]);
  }, []);
  const putView = useCallback((view: PairView) => setViews((v) => ({ ...v, [view.id]: view })), []);

  // Time on screen starts when a pair is shown.
  useEffect(() => {
    shownAt.current = performance.now();
  }, [currentId]);

  // Keep one queue pair claimed and loaded ahead.
  useEffect(() => {
    if (nav.ahead !== null || nav.loadingAhead || nav.exhausted) return;
    dispatch({ type: "aheadLoading" });
    claimNextAction({ datasetId, exclude: nav.trail.slice(-400) })
      .then((result) => {
        if (!result.ok) {
          addNotice("error", result.error);
          dispatch({ type: "aheadEmpty" });
        } else if (result.data.pair) {
          putView(result.data.pair);
          dispatch({ type: "aheadLoaded", id: result.data.pair.id });
        } else dispatch({ type: "aheadEmpty" });
      })
      .catch(() => {
        addNotice("error", "Could not load the next pair: the server did not answer.");
        dispatch({ type: "aheadEmpty" });
      });
  }, [nav.ahead, nav.loadingAhead, nav.exhausted, nav.trail, datasetId, addNotice, putView]);

  // Pairs from earlier sessions are loaded when reached (and the one before, for `k`).
  const loading = useRef(new Set<number>());
  useEffect(() => {
    for (const id of [currentId, nav.trail[nav.pos - 1]]) {
      if (id === null || id === undefined || views[id] || loading.current.has(id)) continue;
      loading.current.add(id);
      viewPairAction({ datasetId, pairId: id })
        .then((result) => (result.ok ? putView(result.data) : addNotice("error", result.error)))
        .finally(() => loading.current.delete(id));
    }
  }, [currentId, nav.pos, nav.trail, views, datasetId, putView, addNotice]);

  // Give back leases when leaving the screen (best effort; they expire anyway).
  const navRef = useRef(nav);
  useEffect(() => {
    navRef.current = nav;
  }, [nav]);
  useEffect(
    () => () => {
      const { ahead, trail } = navRef.current;
      void releaseAction({ pairIds: [...(ahead !== null ? [ahead] : []), ...trail.slice(-5)] }).catch(() => {});
    },
    [],
  );

  const settle = useCallback(
    (pairId: number, result: Awaited<ReturnType<typeof decideAction>>): WriteResult | null => {
      setSaving(({ [pairId]: _, ...rest }) => rest);
      if (!result.ok) {
        addNotice("error", `Pair #${pairId}: ${result.error}`, pairId);
        return null;
      }
      if (result.data.outcome === "saved") putView(result.data.pair);
      else {
        putView(result.data.current);
        addNotice("error", result.data.message, pairId);
      }
      return result.data;
    },
    [addNotice, putView],
  );

  const decideCurrent = useCallback(
    (decision: "accept" | "reject" | "skip", reason?: RejectReason | null, reasonText?: string, override = false) => {
      if (!current || saving[current.id]) return;
      const pair = current;
      // Accepting a chosen response that fails a code-checked constraint is an override: ask first.
      if (decision === "accept" && !override && pair.verdicts.chosenFailsCode) {
        setMode("confirm");
        return;
      }
      const durationMs = Math.round(performance.now() - shownAt.current);
      setSaving((s) => ({ ...s, [pair.id]: decision }));
      setMode("view");
      dispatch({ type: "advance" });
      decideAction({
        datasetId,
        pairId: pair.id,
        version: pair.version,
        decision,
        reason: reason ?? null,
        reasonText: reasonText || null,
        override,
        durationMs,
      })
        .then((result) => settle(pair.id, result))
        .catch(() => {
          setSaving(({ [pair.id]: _, ...rest }) => rest);
          addNotice(
            "error",
            `Your ${decision} of pair #${pair.id} may not be saved: the server did not answer.`,
            pair.id,
          );
        });
    },
    [current, saving, datasetId, settle, addNotice],
  );

  const swapCurrent = useCallback(() => {
    if (!current || saving[current.id]) return;
    const pair = current;
    setSaving((s) => ({ ...s, [pair.id]: "swap" }));
    decideAction({
      datasetId,
      pairId: pair.id,
      version: pair.version,
      decision: "swap",
      durationMs: Math.round(performance.now() - shownAt.current),
    })
      .then((result) => settle(pair.id, result))
      .catch(() => {
        setSaving(({ [pair.id]: _, ...rest }) => rest);
        addNotice("error", `The swap of pair #${pair.id} may not be saved: the server did not answer.`, pair.id);
      });
  }, [current, saving, datasetId, settle, addNotice]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      if (current?.reviewMode === "ab" && "arxe".includes(event.key)) return; // A/B: labelled keys are off
      const pressed = keyCommand(event, mode, current !== null);
      if (!pressed) return;
      if (pressed.preventDefault) event.preventDefault();
      const command = pressed.command;
      if (!command) return;
      switch (command.type) {
        case "mode":
          return setMode(command.mode);
        case "decide":
          return decideCurrent(command.decision, command.reason);
        case "swap":
          return swapCurrent();
        case "nav":
          return dispatch({ type: command.action });
        case "toggleDiff":
          return setTextMode((m) => (m === "diff" ? "rendered" : "diff"));
      }
    },
    [mode, current, decideCurrent, swapCurrent],
  );

  useEffect(() => {
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onKeyDown]);

  const atEnd = nav.pos >= nav.trail.length;
  const savingNow = current ? saving[current.id] : undefined;
  const disabled = !current || !!savingNow;

  return (
    <div
      data-testid="review-screen"
      data-pair-id={current?.id ?? ""}
      data-version={current?.version ?? ""}
      data-status={current?.status ?? ""}
      data-ahead={nav.ahead !== null ? "ready" : nav.loadingAhead ? "loading" : nav.exhausted ? "none" : "idle"}
    >
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <Link href={`/datasets/${datasetId}`} className="text-sm font-semibold text-slate-800 hover:underline">
          {datasetName}
        </Link>
        <span className="text-sm text-slate-400">/ review</span>
        {current ? (
          <span className="text-sm text-slate-600" data-testid="review-position">
            pair #{current.id} · {nav.pos + 1} of {nav.trail.length}
            {nav.ahead !== null ? " (+ next ready)" : nav.loadingAhead ? " (loading next…)" : ""}
          </span>
        ) : null}
        {current && current.status !== "pending" ? (
          <span className="text-sm text-slate-600">
            decided: <StatusBadge status={current.status} />
          </span>
        ) : null}
        {savingNow ? <span className="text-xs text-slate-500">saving {savingNow}…</span> : null}
        <div className="ml-auto flex flex-wrap gap-1.5" role="toolbar" aria-label="Decisions">
          <ActionButton
            label="Accept"
            shortcut="a"
            tone="good"
            disabled={disabled || mode === "edit"}
            onClick={() => decideCurrent("accept")}
          />
          <ActionButton
            label="Reject"
            shortcut="r"
            tone="bad"
            disabled={disabled || mode === "edit"}
            onClick={() => setMode("reject")}
          />
          <ActionButton label="Edit" shortcut="e" disabled={disabled} onClick={() => setMode("edit")} />
          <ActionButton
            label="Skip"
            shortcut="s"
            disabled={disabled || mode === "edit"}
            onClick={() => decideCurrent("skip")}
          />
          <ActionButton label="Swap" shortcut="x" disabled={disabled || mode === "edit"} onClick={swapCurrent} />
          <ActionButton
            label="Previous"
            shortcut="k"
            disabled={nav.pos <= 0}
            onClick={() => dispatch({ type: "back" })}
          />
          <ActionButton
            label="Next"
            shortcut="j"
            disabled={atEnd && !nav.exhausted}
            onClick={() => dispatch({ type: "forward" })}
          />
          <ActionButton label="Keys" shortcut="?" onClick={() => setMode(mode === "help" ? "view" : "help")} />
        </div>
      </div>

      {notices.length ? (
        <div className="mb-3 space-y-1">
          {notices.map((n) => (
            <div
              key={n.key}
              role={n.kind === "error" ? "alert" : "status"}
              className={`flex items-start gap-2 rounded-md px-3 py-2 text-sm ${n.kind === "error" ? "bg-rose-50 text-rose-800" : "bg-sky-50 text-sky-800"}`}
            >
              <span className="flex-1">{n.text}</span>
              {n.pairId !== undefined && n.pairId !== currentId && nav.trail.includes(n.pairId) ? (
                <button type="button" className="underline" onClick={() => dispatch({ type: "goto", id: n.pairId! })}>
                  Show pair #{n.pairId}
                </button>
              ) : null}
              <button
                type="button"
                aria-label="Dismiss"
                className="opacity-60 hover:opacity-100"
                onClick={() => setNotices((l) => l.filter((x) => x.key !== n.key))}
              >
                ×
              </button>
            </div>
          ))}
        </div>
      ) : null}

      {mode === "help" ? <HelpPanel guidelines={guidelines} onClose={() => setMode("view")} /> : null}

      {atEnd ? (
        <div className="rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200" data-testid="review-empty">
          {nav.exhausted ? (
            <>
              <p className="text-base font-medium text-slate-800">No pending pairs left for you in this dataset.</p>
              <p className="mt-1 text-sm text-slate-600">
                Go back to the pairs you decided with <Kbd>k</Kbd>, check again with <Kbd>j</Kbd>, or open the{" "}
                <Link className="text-indigo-700 underline" href={`/datasets/${datasetId}/pairs`}>
                  pairs table
                </Link>
                .
              </p>
            </>
          ) : (
            <p className="text-sm text-slate-600">Loading the next pair…</p>
          )}
        </div>
      ) : !current ? (
        <p className="p-8 text-center text-sm text-slate-600">Loading pair #{currentId}…</p>
      ) : current.ab ? (
        <AbVotePanel
          key={current.id}
          pair={{ ...current, ab: current.ab }}
          datasetId={datasetId}
          onVoted={() => (setSaving((s) => ({ ...s, [current.id]: "vote" })), dispatch({ type: "advance" }))}
          onSettled={(result) => settle(current.id, result)}
          onFailed={() => addNotice("error", `Your vote on pair #${current.id} may not be saved.`, current.id)}
        />
      ) : (
        <div className="grid gap-4 lg:grid-cols-12">
          <aside className="space-y-3 lg:col-span-4" aria-label="Evolution chain">
            <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Evolution chain</h2>
            <ChainView chain={current.chain} prompt={current.prompt} />
          </aside>
          <div className="space-y-4 lg:col-span-8">
            {current.claim &&
            current.claim.userId !== userId &&
            current.status === "pending" &&
            saving[current.id] === undefined ? (
              <ClaimNote pair={current} />
            ) : null}
            {mode === "confirm" ? (
              <OverrideConfirm
                action="Accept"
                failing={failingCodeChecks(current.constraints, current.chosen.verdicts)}
                onConfirm={() => decideCurrent("accept", null, undefined, true)}
                onCancel={() => setMode("view")}
              />
            ) : null}
            {canReopen &&
            (current.status === "accepted" || current.status === "rejected" || current.status === "adjudication") ? (
              <ReopenForm
                pair={current}
                datasetId={datasetId}
                onDone={(result) => {
                  if (result.outcome === "saved") putView(result.pair);
                  else {
                    putView(result.current);
                    addNotice("error", result.message, current.id);
                  }
                }}
              />
            ) : null}
            <PairTrustNotes pair={current} />
            {mode === "reject" ? (
              <RejectPanel
                onReject={(reason, text) => decideCurrent("reject", reason, text)}
                onCancel={() => setMode("view")}
              />
            ) : null}
            {mode === "edit" ? (
              <EditPanel
                key={`${current.id}`}
                pair={current}
                datasetId={datasetId}
                elapsed={() => Math.round(performance.now() - shownAt.current)}
                onCancel={() => setMode("view")}
                onSaved={(result, accepted) => {
                  putView(result.pair);
                  setMode("view");
                  // "Save edit" keeps the pair on screen, awaiting a vote; "Save and accept" moves on.
                  if (accepted) dispatch({ type: "advance" });
                }}
                onConflict={(result) => {
                  putView(result.current);
                }}
              />
            ) : (
              <ResponsesSideBySide pair={current} mode={textMode} onMode={setTextMode} />
            )}
            {mode !== "edit" ? (
              <section className="rounded-md border border-slate-200 bg-white p-3">
                <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Constraints</h2>
                <ConstraintTable
                  constraints={current.constraints}
                  chosen={current.chosen.verdicts}
                  rejected={current.rejected.verdicts}
                />
              </section>
            ) : null}
            <PairFacts pair={current} />
          </div>
        </div>
      )}
    </div>
  );
}

function ActionButton({
  label,
  shortcut,
  onClick,
  disabled,
  tone,
}: {
  label: string;
  shortcut: string;
  onClick: () => void;
  disabled?: boolean;
  tone?: "good" | "bad";
}) {
  const style =
    tone === "good"
      ? "bg-emerald-600 text-white hover:bg-emerald-500 disabled:bg-emerald-300"
      : tone === "bad"
        ? "bg-rose-600 text-white hover:bg-rose-500 disabled:bg-rose-300"
        : "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400";
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-keyshortcuts={shortcut === "?" ? "Shift+?" : shortcut}
      className={`inline-flex items-center rounded-md px-2.5 py-1 text-sm font-medium shadow-sm disabled:cursor-not-allowed ${style}`}
    >
      {label}
      <Kbd>{shortcut}</Kbd>
    </button>
  );
}

function ClaimNote({ pair }: { pair: PairView }) {
  return (
    <p className="text-xs text-slate-500">
      In {pair.claim!.user}’s queue until {new Date(pair.claim!.until).toLocaleTimeString()}.
    </p>
  );
}

const KEYS: [string, string][] = [
  ["a", "accept the pair"],
  ["r", "reject (then 1–6 picks a reason, Enter rejects without one)"],
  [
    "e",
    "edit the prompt, chosen or rejected (Ctrl+Enter: Save edit, the pair still awaits a vote; Ctrl+Shift+Enter: Save and accept; Esc cancels)",
  ],
  ["s", "skip: leave it for someone else"],
  ["x", "swap chosen and rejected"],
  ["j / k", "next / previous pair (go back to pairs you decided)"],
  ["d", "show the word diff between the responses"],
  ["?", "show or hide these keys"],
];

function HelpPanel({ guidelines, onClose }: { guidelines: string; onClose: () => void }) {
  return (
    <div
      role="dialog"
      aria-label="Keyboard shortcuts"
      className="mb-4 grid gap-4 rounded-lg bg-white p-4 shadow ring-1 ring-slate-200 md:grid-cols-2"
    >
      <div>
        <h2 className="mb-2 text-sm font-semibold">Keys</h2>
        <dl className="space-y-1 text-sm">
          {KEYS.map(([key, what]) => (
            <div key={key} className="flex gap-3">
              <dt className="w-14 font-mono font-semibold">{key}</dt>
              <dd className="text-slate-700">{what}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-xs text-slate-500">Shortcuts are off while you type in a field.</p>
      </div>
      <div>
        <h2 className="mb-2 text-sm font-semibold">Guidelines</h2>
        {guidelines.trim() ? (
          <Markdown text={guidelines} />
        ) : (
          <p className="text-sm text-slate-500">This dataset has no guidelines yet.</p>
        )}
        <button type="button" onClick={onClose} className="mt-3 text-sm text-indigo-700 underline">
          Close (Esc)
        </button>
      </div>
    </div>
  );
}

function RejectPanel({
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

function judgeEntries(verdicts: readonly Verdict[]): VerificationEntry[] {
  return verdicts.flatMap((v) =>
    v.by === "judge" && v.passed !== null
      ? [{ constraintIndex: v.index, passed: v.passed, by: "judge" as const, reason: v.reason }]
      : [],
  );
}

/**
 * Editing in place: the prompt, the chosen and the rejected response. Badges re-check on every
 * keystroke with lib/constraints (loaded when editing starts). Saving writes new versions; a
 * stale save keeps the text here and shows what changed.
 */
function EditPanel({
  pair,
  datasetId,
  elapsed,
  onCancel,
  onSaved,
  onConflict,
}: {
  pair: PairView;
  datasetId: number;
  /** Milliseconds the pair has been on screen. */
  elapsed: () => number;
  onCancel: () => void;
  onSaved: (result: Extract<WriteResult, { outcome: "saved" }>, accepted: boolean) => void;
  onConflict: (result: Extract<WriteResult, { outcome: "conflict" }>) => void;
}) {
  const [draft, setDraft] = useState(() => ({
    prompt: pair.prompt,
    chosen: pair.chosen.text,
    rejected: pair.rejected.text,
  }));
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

  const changed = draft.prompt !== base.prompt || draft.chosen !== base.chosen || draft.rejected !== base.rejected;
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
    } else if (e.key === "Escape") {
      e.preventDefault();
      onCancel();
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
          onClick={onCancel}
          className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300"
        >
          Cancel
          <Kbd>Esc</Kbd>
        </button>
        <span className="text-xs text-slate-500">
          The original texts are kept; the pair will point at your versions. An edit is not a vote.
        </span>
      </div>
    </section>
  );
}
