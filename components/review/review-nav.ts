import { REJECT_REASONS, type RejectReason } from "@/lib/review/types";

/**
 * The review screen's state that needs no React: where the reviewer is on the trail of pairs,
 * and which command a key press means. Pure, so it is unit-tested apart from the screen.
 *
 * The trail holds the pairs decided earlier (oldest first), then the pairs the queue handed out;
 * `pos === trail.length` is the "end" past the last pair. `ahead` is the next queue pair, claimed
 * and loaded in the background so a decision moves the screen at once.
 */
export type Nav = { trail: number[]; pos: number; ahead: number | null; loadingAhead: boolean; exhausted: boolean };
export type NavAction =
  | { type: "advance" }
  | { type: "back" }
  | { type: "forward" }
  | { type: "goto"; id: number }
  | { type: "aheadLoading" }
  | { type: "aheadLoaded"; id: number }
  | { type: "aheadEmpty" }
  | { type: "retry" };

/** The opening state: earlier decisions, then the pair the page loaded (shown), if any. */
export function initialNav(initialId: number | null, history: number[]): Nav {
  const trail = initialId !== null ? [...history.filter((id) => id !== initialId), initialId] : history;
  return {
    trail,
    pos: initialId !== null ? trail.length - 1 : trail.length,
    ahead: null,
    loadingAhead: false,
    exhausted: initialId === null,
  };
}

export function navReducer(state: Nav, action: NavAction): Nav {
  const last = state.trail.length - 1;
  switch (action.type) {
    case "advance":
    case "forward": {
      if (state.pos < last) return { ...state, pos: state.pos + 1 };
      if (state.pos === last && state.ahead !== null)
        return { ...state, trail: [...state.trail, state.ahead], pos: state.pos + 1, ahead: null };
      if (state.pos === last && (action.type === "advance" || state.exhausted))
        return { ...state, pos: state.trail.length };
      if (state.pos === state.trail.length && state.exhausted) return { ...state, exhausted: false };
      return state;
    }
    case "back":
      return state.pos > 0 ? { ...state, pos: Math.min(state.pos, state.trail.length) - 1 } : state;
    case "goto": {
      const index = state.trail.indexOf(action.id);
      return index >= 0 ? { ...state, pos: index } : state;
    }
    case "aheadLoading":
      return { ...state, loadingAhead: true };
    case "aheadLoaded":
      if (state.trail.includes(action.id)) return { ...state, loadingAhead: false };
      // Someone is waiting at the end of the trail: show it at once.
      if (state.pos === state.trail.length)
        return { ...state, trail: [...state.trail, action.id], loadingAhead: false };
      return { ...state, ahead: action.id, loadingAhead: false };
    case "aheadEmpty":
      return { ...state, loadingAhead: false, exhausted: true };
    case "retry":
      return { ...state, exhausted: false };
  }
}

/** confirm: accepting asks first, because the chosen response fails a code-checked constraint. */
export type Mode = "view" | "reject" | "edit" | "help" | "confirm";

export type KeyCommand =
  | { type: "mode"; mode: Mode }
  | { type: "decide"; decision: "accept" | "reject" | "skip"; reason?: RejectReason }
  | { type: "swap" }
  | { type: "nav"; action: "forward" | "back" }
  | { type: "toggleDiff" };

/** What the screen needs to know of a key press (a DOM KeyboardEvent has all of it). */
export type KeyPress = {
  key: string;
  repeat: boolean;
  metaKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | null;
};

/** Keys typed into a field belong to the field, never to the shortcuts. */
export const isTyping = (target: EventTarget | null) =>
  typeof HTMLElement !== "undefined" &&
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target.tagName === "INPUT" ||
    target.tagName === "TEXTAREA" ||
    target.tagName === "SELECT");

/**
 * The command a key press means in `mode`, or null for none. `preventDefault`: the key is the
 * screen's (even when it does nothing, as `r` with no pair shown). `hasPair`: a pair is on screen.
 */
export function keyCommand(
  press: KeyPress,
  mode: Mode,
  hasPair: boolean,
): { command: KeyCommand | null; preventDefault: boolean } | null {
  if (press.defaultPrevented || press.metaKey || press.ctrlKey || press.altKey || isTyping(press.target)) return null;
  const key = press.key;
  const toView = { command: { type: "mode", mode: "view" } as const, preventDefault: false };
  if (mode === "edit" || mode === "confirm") return key === "Escape" ? toView : null;
  if (mode === "help") return key === "Escape" || key === "?" ? toView : null;
  if (mode === "reject") {
    if (key === "Escape") return toView;
    const index = Number(key) - 1;
    if (Number.isInteger(index) && index >= 0 && index < REJECT_REASONS.length)
      return {
        command: { type: "decide", decision: "reject", reason: REJECT_REASONS[index]!.code },
        preventDefault: true,
      };
    if (key === "Enter" || key === "r")
      return { command: { type: "decide", decision: "reject" }, preventDefault: true };
    return null;
  }
  // Holding a decision key down must not decide a run of pairs.
  if (press.repeat && "arsx".includes(key)) return null;
  const commands: Record<string, KeyCommand | null> = {
    a: { type: "decide", decision: "accept" },
    r: hasPair ? { type: "mode", mode: "reject" } : null,
    e: hasPair ? { type: "mode", mode: "edit" } : null,
    s: { type: "decide", decision: "skip" },
    x: { type: "swap" },
    j: { type: "nav", action: "forward" },
    k: { type: "nav", action: "back" },
    "?": { type: "mode", mode: "help" },
    d: { type: "toggleDiff" },
  };
  return Object.hasOwn(commands, key) ? { command: commands[key] ?? null, preventDefault: true } : null;
}
