/**
 * The review screen's state that needs no React: where the reviewer is on the trail of pairs
 * (the keys are in review-keys.ts). Pure, so it is unit-tested apart from the screen.
 *
 * The trail holds the pairs decided earlier (oldest first), then the pairs the queue handed out;
 * `pos === trail.length` is the "end" past the last pair. `ahead` holds the next queue pairs
 * (up to PREFETCH), claimed and loaded in the background so a decision moves the screen at once.
 */
export const PREFETCH = 3;

export type Nav = { trail: number[]; pos: number; ahead: number[]; loadingAhead: boolean; exhausted: boolean };
export type NavAction =
  | { type: "advance" }
  | { type: "back" }
  | { type: "forward" }
  | { type: "goto"; id: number }
  /** Shows a pair (from the URL: Back/Forward): on the trail it is a goto, else it is put next. */
  | { type: "show"; id: number }
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
    ahead: [],
    loadingAhead: false,
    exhausted: initialId === null,
  };
}

/** The pair on screen, or null at the end of the trail. */
export const shownPair = (nav: Nav): number | null => (nav.pos < nav.trail.length ? nav.trail[nav.pos]! : null);

/** Whether another queue pair should be claimed in the background now. */
export const wantsAhead = (nav: Nav): boolean => nav.ahead.length < PREFETCH && !nav.loadingAhead && !nav.exhausted;

export function navReducer(state: Nav, action: NavAction): Nav {
  const last = state.trail.length - 1;
  switch (action.type) {
    case "advance":
    case "forward": {
      if (state.pos < last) return { ...state, pos: state.pos + 1 };
      if (state.pos === last && state.ahead.length)
        return { ...state, trail: [...state.trail, state.ahead[0]!], pos: state.pos + 1, ahead: state.ahead.slice(1) };
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
    case "show": {
      const index = state.trail.indexOf(action.id);
      if (index >= 0) return { ...state, pos: index };
      const at = Math.min(state.pos + 1, state.trail.length);
      return {
        ...state,
        trail: [...state.trail.slice(0, at), action.id, ...state.trail.slice(at)],
        pos: at,
        ahead: state.ahead.filter((id) => id !== action.id),
      };
    }
    case "aheadLoading":
      return { ...state, loadingAhead: true };
    case "aheadLoaded":
      if (state.trail.includes(action.id) || state.ahead.includes(action.id)) return { ...state, loadingAhead: false };
      // Someone is waiting at the end of the trail: show it at once.
      if (state.pos === state.trail.length)
        return { ...state, trail: [...state.trail, action.id], loadingAhead: false };
      return { ...state, ahead: [...state.ahead, action.id], loadingAhead: false };
    case "aheadEmpty":
      return { ...state, loadingAhead: false, exhausted: true };
    case "retry":
      return { ...state, exhausted: false };
  }
}
