/**
 * The review screen's state that needs no React: where the reviewer is on the trail of pairs
 * (the keys are in review-keys.ts). Pure, so it is unit-tested apart from the screen.
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
