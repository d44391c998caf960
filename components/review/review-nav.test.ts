import { describe, expect, it } from "vitest";
import { initialNav, navReducer, PREFETCH, shownPair, wantsAhead, type Nav, type NavAction } from "./review-nav";

const run = (state: Nav, ...actions: NavAction[]) => actions.reduce(navReducer, state);
const shown = shownPair;

describe("initialNav", () => {
  it("shows the loaded pair after the earlier decisions, once", () => {
    const nav = initialNav(7, [3, 7, 5]);
    expect(nav.trail).toEqual([3, 5, 7]);
    expect(shown(nav)).toBe(7);
    expect(nav.exhausted).toBe(false);
  });

  it("with no pair to load, stands at the end and counts the queue as empty", () => {
    const nav = initialNav(null, [3, 5]);
    expect(nav).toEqual({ trail: [3, 5], pos: 2, ahead: [], loadingAhead: false, exhausted: true });
    expect(shown(nav)).toBeNull();
  });
});

describe("navReducer", () => {
  it("advances onto the pair loaded ahead and frees the slot for the next claim", () => {
    const nav = run(initialNav(1, []), { type: "aheadLoading" }, { type: "aheadLoaded", id: 2 });
    expect(nav).toMatchObject({ ahead: [2], loadingAhead: false });
    const next = navReducer(nav, { type: "advance" });
    expect(next).toMatchObject({ trail: [1, 2], pos: 1, ahead: [] });
  });

  it("advance with nothing ahead goes to the end; the pair arriving then is shown at once", () => {
    const waiting = run(initialNav(1, []), { type: "aheadLoading" }, { type: "advance" });
    expect(shown(waiting)).toBeNull();
    const arrived = navReducer(waiting, { type: "aheadLoaded", id: 2 });
    expect(shown(arrived)).toBe(2);
    expect(arrived.ahead).toEqual([]);
  });

  it("forward (j) at the last pair waits for the ahead pair unless the queue is empty", () => {
    const last = initialNav(1, []);
    const loading = navReducer({ ...last, exhausted: false, loadingAhead: true }, { type: "forward" });
    expect(loading.pos).toBe(0);
    const empty = navReducer({ ...last, exhausted: true }, { type: "forward" });
    expect(shown(empty)).toBeNull();
  });

  it("forward at the end of an empty queue asks again (retry)", () => {
    const end = initialNav(null, [1]);
    expect(navReducer(end, { type: "forward" }).exhausted).toBe(false);
    expect(navReducer(end, { type: "retry" }).exhausted).toBe(false);
  });

  it("back (k) and forward walk the trail without leaving it", () => {
    const nav = initialNav(3, [1, 2]);
    const back2 = run(nav, { type: "back" }, { type: "back" });
    expect(shown(back2)).toBe(1);
    expect(navReducer(back2, { type: "back" })).toBe(back2);
    expect(shown(run(back2, { type: "forward" }, { type: "forward" }))).toBe(3);
  });

  it("back from the end shows the last pair", () => {
    expect(shown(navReducer(initialNav(null, [1, 2]), { type: "back" }))).toBe(2);
  });

  it("goto jumps to a pair on the trail and ignores others", () => {
    const nav = initialNav(3, [1, 2]);
    expect(shown(navReducer(nav, { type: "goto", id: 1 }))).toBe(1);
    expect(navReducer(nav, { type: "goto", id: 99 })).toBe(nav);
  });

  it("a claimed pair already on the trail is not added twice", () => {
    const nav = run(initialNav(1, []), { type: "aheadLoading" }, { type: "aheadLoaded", id: 1 });
    expect(nav).toMatchObject({ trail: [1], ahead: [], loadingAhead: false });
  });

  it("an empty queue stops loading and marks the queue exhausted", () => {
    const nav = run(initialNav(1, []), { type: "aheadLoading" }, { type: "aheadEmpty" });
    expect(nav).toMatchObject({ loadingAhead: false, exhausted: true });
  });

  it("keeps up to three pairs loaded ahead, in the order they came, and walks onto them in order", () => {
    let nav = initialNav(1, []);
    const loaded: number[] = [];
    for (let id = 2; wantsAhead(nav); id += 1) {
      nav = run(nav, { type: "aheadLoading" }, { type: "aheadLoaded", id });
      loaded.push(id);
    }
    expect(loaded).toHaveLength(PREFETCH);
    expect(nav.ahead).toEqual([2, 3, 4]);
    nav = run(nav, { type: "advance" }, { type: "advance" });
    expect(shown(nav)).toBe(3);
    expect(nav.ahead).toEqual([4]);
    expect(wantsAhead(nav)).toBe(true);
    expect(run(nav, { type: "aheadLoading" }, { type: "aheadLoaded", id: 3 }).ahead).toEqual([4]);
  });

  it("show (Back/Forward in the browser) goes to a pair on the trail, or puts an unknown one next", () => {
    const nav = initialNav(3, [1, 2]);
    expect(shown(navReducer(nav, { type: "show", id: 1 }))).toBe(1);
    const back = navReducer(nav, { type: "back" });
    const opened = navReducer(back, { type: "show", id: 9 });
    expect(opened.trail).toEqual([1, 2, 9, 3]);
    expect(shown(opened)).toBe(9);
    const fromAhead = navReducer({ ...nav, ahead: [7, 8] }, { type: "show", id: 8 });
    expect(fromAhead).toMatchObject({ trail: [1, 2, 3, 8], ahead: [7] });
  });
});
