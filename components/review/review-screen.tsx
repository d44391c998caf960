"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from "react";
import {
  claimNextAction,
  decideAction,
  discardDraftAction,
  loadDraftAction,
  releaseAction,
  viewPairAction,
  type WriteResult,
} from "@/app/datasets/[id]/review/actions";
import type { PairView, RejectReason } from "@/lib/review/types";
import type { QueueCounts } from "@/lib/review/queue-counts";
import { initialNav, navReducer, wantsAhead } from "./review-nav";
import { keyCommand, viewKeys, type KeyCommand, type Mode, type ReviewMode } from "./review-keys";
import { Kbd } from "./badges";
import { GuidelinesPanel, type GuidelinesNoticeProps } from "./guidelines-panel";
import { failingCodeChecks, OverrideConfirm } from "./override-confirm";
import { PairTrustNotes } from "./pair-trust-notes";
import { ReopenForm } from "./reopen-form";
import { AbVotePanel } from "./ab-vote-panel";
import { ChainView, ConstraintTable, PairFacts, ResponsesSideBySide, type TextMode } from "./pair-parts";
import { ReviewHeader } from "./review-header";
import { HelpPanel } from "./help-panel";
import { RejectPanel } from "./reject-panel";
import { EditPanel } from "./edit-panel";
import { DraftReadOnly } from "./draft-read-only";
import { CommentThread } from "./comment-thread";
import type { Draft } from "@/lib/review/drafts";

/**
 * The review screen: one pair at a time, keyboard first.
 *
 * The reviewer walks a trail of pairs: the ones decided earlier (oldest first), then the pairs the
 * queue hands out. The next queue pair is claimed and loaded in the background ("ahead"), so a
 * decision moves the screen at once while the decision is saved; a refused (stale) save comes
 * back as a message with the pair's current state and a way back to it. `j`/`k` walk the trail.
 */

/**
 * A panel plugged into the screen (e.g. guidelines, A/B voting): its key toggles it (added to the
 * view mode's key table), and it renders above the pair with the pair on screen.
 */
export type ReviewPanel = {
  id: string;
  /** The key that opens and closes it (a key of the screen or of the A/B vote is not taken). */
  key?: string;
  help: string;
  render: (props: { pair: PairView | null; close: () => void }) => ReactNode;
};

type Notice = { key: number; kind: "error" | "info"; text: string; pairId?: number };

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
  guidelinesNotice?: GuidelinesNoticeProps;
  /** Researchers and admins may reopen final pairs. */
  canReopen?: boolean;
  /** "N pending for you · M decided today" when the page loaded (then from each saved decision). */
  counts: QueueCounts;
  /** Extra panels (see ReviewPanel). */
  panels?: readonly ReviewPanel[];
  /** The dataset's review mode (a pair's view carries its own once loaded). */
  reviewMode: ReviewMode;
};

export function ReviewScreen({
  datasetId,
  userId,
  datasetName,
  initial,
  history,
  notice,
  guidelines,
  guidelinesNotice,
  canReopen = false,
  panels = NO_PANELS,
  counts: initialCounts,
  reviewMode: datasetMode,
}: ReviewScreenProps) {
  const [nav, dispatch] = useReducer(navReducer, undefined, () => initialNav(initial?.id ?? null, history));
  const [views, setViews] = useState<Record<number, PairView>>(() => (initial ? { [initial.id]: initial } : {}));
  const [saving, setSaving] = useState<Record<number, string>>({});
  const [mode, setMode] = useState<Mode>("view");
  const [counts, setCounts] = useState(initialCounts);
  const [openPanel, setOpenPanel] = useState<string | null>(null);
  const [textMode, setTextMode] = useState<TextMode>("rendered");
  const [notices, setNotices] = useState<Notice[]>(() => (notice ? [{ key: 0, kind: "info", text: notice }] : []));
  const noticeKey = useRef(1);
  const shownAt = useRef(0);

  const currentId = nav.pos < nav.trail.length ? nav.trail[nav.pos]! : null;
  const current = currentId !== null ? (views[currentId] ?? null) : null;
  // The A/B mode's keys and toolbar leave out accept, reject, edit and swap, also while a pair loads.
  const reviewMode = current?.reviewMode ?? datasetMode;
  const keys = useMemo(() => viewKeys(reviewMode, panels), [reviewMode, panels]);

  const addNotice = useCallback((kind: Notice["kind"], text: string, pairId?: number) => {
    const key = noticeKey.current++;
    setNotices((list) => [...list.slice(-3), { key, kind, text, pairId }]);
  }, []);
  const putView = useCallback((view: PairView) => setViews((v) => ({ ...v, [view.id]: view })), []);

  // A draft of an edit this reviewer left on the pair (on any device) is restored when it is shown.
  const [drafts, setDrafts] = useState<Record<number, Draft | null>>({});
  const shownRef = useRef(currentId);
  useEffect(() => {
    shownRef.current = currentId;
  }, [currentId]);
  const draftKnown = currentId !== null && currentId in drafts;
  const currentLoaded = current !== null;
  useEffect(() => {
    if (currentId === null || draftKnown || !currentLoaded) return;
    loadDraftAction({ datasetId, pairId: currentId })
      .then((result) => {
        if (!result.ok) return;
        setDrafts((d) => ({ ...d, [currentId]: result.data }));
        if (result.data && !result.data.readOnly && shownRef.current === currentId) setMode("edit");
      })
      .catch(() => {});
  }, [currentId, draftKnown, currentLoaded, datasetId]);
  const forgetDraft = useCallback((pairId: number) => setDrafts((d) => ({ ...d, [pairId]: null })), []);

  // Time on screen starts when a pair is shown.
  useEffect(() => {
    shownAt.current = performance.now();
  }, [currentId]);

  // Keep PREFETCH queue pairs claimed and loaded ahead.
  useEffect(() => {
    if (!wantsAhead(nav)) return;
    dispatch({ type: "aheadLoading" });
    claimNextAction({ datasetId, exclude: [...nav.trail.slice(-400), ...nav.ahead] })
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
  }, [nav, datasetId, addNotice, putView]);

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
      void releaseAction({ pairIds: [...ahead, ...trail.slice(-5)] }).catch(() => {});
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
      if (result.data.outcome === "saved") {
        putView(result.data.pair);
        setCounts(result.data.counts);
      } else {
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

  const runCommand = useCallback(
    (command: KeyCommand) => {
      switch (command.type) {
        case "mode":
          return setMode(command.mode);
        case "decide":
          return decideCurrent(command.decision, command.reason);
        case "swap":
          return swapCurrent();
        case "nav":
          return dispatch({ type: command.action });
        case "panel":
          return setOpenPanel((open) => (open === command.id ? null : command.id));
        case "toggleDiff":
          return setTextMode((m) => (m === "diff" ? "rendered" : "diff"));
      }
    },
    [decideCurrent, swapCurrent],
  );

  // Keys pressed while a pair loads (or its swap saves) wait here and are applied in order.
  const queued = useRef<KeyCommand[]>([]);
  const [queuedCount, setQueuedCount] = useState(0);
  const waitingAtEnd = currentId === null && !nav.exhausted;
  const busy = (currentId !== null && (!current || !!saving[currentId])) || waitingAtEnd;

  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      const waiting = busy || queued.current.length > 0;
      const pressed = keyCommand(event, mode, current !== null || waiting, keys);
      if (!pressed) return;
      if (pressed.preventDefault) event.preventDefault();
      const command = pressed.command;
      if (!command) return;
      if (!waiting) return runCommand(command);
      // After a queued mode change (r, e, ?) the next keys are meant for the panel, not shortcuts.
      if (queued.current.some((c) => c.type === "mode")) return;
      queued.current.push(command);
      setQueuedCount(queued.current.length);
    },
    [busy, mode, current, keys, runCommand],
  );

  useEffect(() => {
    if (busy || !queued.current.length) return;
    runCommand(queued.current.shift()!);
    setQueuedCount(queued.current.length);
  }, [busy, queuedCount, runCommand]);

  // The pair on screen is in the URL: Back/Forward and a reload come back to it.
  useEffect(() => {
    if (currentId === null) return;
    const url = new URL(window.location.href);
    const inUrl = url.searchParams.get("pair");
    if (inUrl === String(currentId)) return;
    url.searchParams.set("pair", String(currentId));
    if (inUrl === null) window.history.replaceState(null, "", url);
    else window.history.pushState(null, "", url);
  }, [currentId]);
  useEffect(() => {
    const onPop = () => {
      const id = Number(new URL(window.location.href).searchParams.get("pair"));
      if (Number.isInteger(id) && id > 0) dispatch({ type: "show", id });
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  useEffect(() => {
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onKeyDown]);

  const atEnd = nav.pos >= nav.trail.length;
  const savingNow = current ? saving[current.id] : undefined;

  return (
    <div
      data-testid="review-screen"
      data-pair-id={current?.id ?? ""}
      data-version={current?.version ?? ""}
      data-status={current?.status ?? ""}
      data-ahead={nav.ahead.length ? "ready" : nav.loadingAhead ? "loading" : nav.exhausted ? "none" : "idle"}
      data-prefetched={nav.ahead.length}
      data-queued-keys={queuedCount}
    >
      <ReviewHeader
        datasetId={datasetId}
        datasetName={datasetName}
        nav={nav}
        counts={counts}
        current={current}
        savingNow={savingNow}
        mode={mode}
        reviewMode={reviewMode}
        onDecide={(decision) => decideCurrent(decision)}
        onMode={setMode}
        onSwap={swapCurrent}
        onNav={(action) => dispatch({ type: action })}
      />

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

      <GuidelinesPanel guidelines={guidelines} notice={guidelinesNotice} />
      {mode === "help" ? (
        <HelpPanel guidelines={guidelines} reviewMode={reviewMode} onClose={() => setMode("view")} />
      ) : null}
      {panels
        .filter((panel) => panel.id === openPanel)
        .map((panel) => (
          <div key={panel.id}>{panel.render({ pair: current, close: () => setOpenPanel(null) })}</div>
        ))}

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
            {mode !== "edit" && drafts[current.id]?.readOnly ? (
              <DraftReadOnly
                draft={drafts[current.id]!}
                onDiscard={() => {
                  forgetDraft(current.id);
                  void discardDraftAction({ datasetId, pairId: current.id }).catch(() => {});
                }}
              />
            ) : null}
            {mode === "edit" ? (
              <EditPanel
                key={`${current.id}`}
                pair={current}
                datasetId={datasetId}
                elapsed={() => Math.round(performance.now() - shownAt.current)}
                initialDraft={drafts[current.id]?.readOnly ? null : drafts[current.id]}
                onCancel={() => {
                  forgetDraft(current.id);
                  setMode("view");
                }}
                onSaved={(result, accepted) => {
                  forgetDraft(current.id);
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
            <CommentThread datasetId={datasetId} pairId={current.id} pairVersion={current.version} />
          </div>
        </div>
      )}
    </div>
  );
}

function ClaimNote({ pair }: { pair: PairView }) {
  return (
    <p className="text-xs text-slate-500">
      In {pair.claim!.user}’s queue until {new Date(pair.claim!.until).toLocaleTimeString()}.
    </p>
  );
}

const NO_PANELS: readonly ReviewPanel[] = [];
