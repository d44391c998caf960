import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REJECT_REASONS } from "@/lib/review/types";
import { initialNav, keyCommand, navReducer, type KeyPress, type Mode, type Nav, type NavAction } from "./review-nav";

const run = (state: Nav, ...actions: NavAction[]) => actions.reduce(navReducer, state);
/** The pair on screen, or null at the end of the trail. */
const shown = (state: Nav) => (state.pos < state.trail.length ? state.trail[state.pos]! : null);

describe("initialNav", () => {
  it("shows the loaded pair after the earlier decisions, once", () => {
    const nav = initialNav(7, [3, 7, 5]);
    expect(nav.trail).toEqual([3, 5, 7]);
    expect(shown(nav)).toBe(7);
    expect(nav.exhausted).toBe(false);
  });

  it("with no pair to load, stands at the end and counts the queue as empty", () => {
    const nav = initialNav(null, [3, 5]);
    expect(nav).toEqual({ trail: [3, 5], pos: 2, ahead: null, loadingAhead: false, exhausted: true });
    expect(shown(nav)).toBeNull();
  });
});

describe("navReducer", () => {
  it("advances onto the pair loaded ahead and frees the slot for the next claim", () => {
    const nav = run(initialNav(1, []), { type: "aheadLoading" }, { type: "aheadLoaded", id: 2 });
    expect(nav).toMatchObject({ ahead: 2, loadingAhead: false });
    const next = navReducer(nav, { type: "advance" });
    expect(next).toMatchObject({ trail: [1, 2], pos: 1, ahead: null });
  });

  it("advance with nothing ahead goes to the end; the pair arriving then is shown at once", () => {
    const waiting = run(initialNav(1, []), { type: "aheadLoading" }, { type: "advance" });
    expect(shown(waiting)).toBeNull();
    const arrived = navReducer(waiting, { type: "aheadLoaded", id: 2 });
    expect(shown(arrived)).toBe(2);
    expect(arrived.ahead).toBeNull();
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
    expect(nav).toMatchObject({ trail: [1], ahead: null, loadingAhead: false });
  });

  it("an empty queue stops loading and marks the queue exhausted", () => {
    const nav = run(initialNav(1, []), { type: "aheadLoading" }, { type: "aheadEmpty" });
    expect(nav).toMatchObject({ loadingAhead: false, exhausted: true });
  });
});

describe("keyCommand", () => {
  const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
    key,
    repeat: false,
    metaKey: false,
    ctrlKey: false,
    altKey: false,
    defaultPrevented: false,
    target: null,
    ...extra,
  });
  const command = (key: string, mode: Mode = "view", hasPair = true, extra: Partial<KeyPress> = {}) =>
    keyCommand(press(key, extra), mode, hasPair);

  it("maps each key of the view mode to its command", () => {
    expect(command("a")).toEqual({ command: { type: "decide", decision: "accept" }, preventDefault: true });
    expect(command("s")?.command).toEqual({ type: "decide", decision: "skip" });
    expect(command("r")?.command).toEqual({ type: "mode", mode: "reject" });
    expect(command("e")?.command).toEqual({ type: "mode", mode: "edit" });
    expect(command("x")?.command).toEqual({ type: "swap" });
    expect(command("j")?.command).toEqual({ type: "nav", action: "forward" });
    expect(command("k")?.command).toEqual({ type: "nav", action: "back" });
    expect(command("?")?.command).toEqual({ type: "mode", mode: "help" });
    expect(command("d")?.command).toEqual({ type: "toggleDiff" });
    expect(command("q")).toBeNull();
    expect(command("Enter")).toBeNull();
  });

  it("reject and edit need a pair on screen, but the key is still the screen's", () => {
    expect(command("r", "view", false)).toEqual({ command: null, preventDefault: true });
    expect(command("e", "view", false)).toEqual({ command: null, preventDefault: true });
  });

  it("a held-down decision key decides once; navigation keys repeat", () => {
    for (const key of ["a", "r", "s", "x"]) expect(command(key, "view", true, { repeat: true })).toBeNull();
    expect(command("j", "view", true, { repeat: true })?.command).toEqual({ type: "nav", action: "forward" });
  });

  it("with a modifier or an already handled event nothing fires", () => {
    for (const extra of [{ ctrlKey: true }, { metaKey: true }, { altKey: true }, { defaultPrevented: true }])
      expect(command("a", "view", true, extra)).toBeNull();
  });

  it("in the reject mode digits pick a reason, Enter or r rejects without one, Escape goes back", () => {
    REJECT_REASONS.forEach((reason, i) =>
      expect(command(String(i + 1), "reject")).toEqual({
        command: { type: "decide", decision: "reject", reason: reason.code },
        preventDefault: true,
      }),
    );
    expect(command("0", "reject")).toBeNull();
    expect(command(String(REJECT_REASONS.length + 1), "reject")).toBeNull();
    expect(command("Enter", "reject")?.command).toEqual({ type: "decide", decision: "reject" });
    expect(command("r", "reject")?.command).toEqual({ type: "decide", decision: "reject" });
    expect(command("Escape", "reject")).toEqual({ command: { type: "mode", mode: "view" }, preventDefault: false });
    expect(command("a", "reject")).toBeNull();
  });

  it("edit, confirm and help only close (help also with ?); no decision key works there", () => {
    for (const mode of ["edit", "confirm", "help"] as const) {
      expect(command("Escape", mode)?.command).toEqual({ type: "mode", mode: "view" });
      for (const key of ["a", "r", "s", "x", "j", "1"]) expect(command(key, mode)).toBeNull();
    }
    expect(command("?", "help")?.command).toEqual({ type: "mode", mode: "view" });
    expect(command("?", "edit")).toBeNull();
  });

  describe("while typing", () => {
    // The test runs without a DOM: a stand-in HTMLElement is enough for the instanceof check.
    class FakeElement {
      constructor(
        readonly tagName: string,
        readonly isContentEditable = false,
      ) {}
    }
    beforeEach(() => vi.stubGlobal("HTMLElement", FakeElement));
    afterEach(() => vi.unstubAllGlobals());

    it("no shortcut fires from an input, a textarea, a select or an editable element", () => {
      const targets = [
        new FakeElement("INPUT"),
        new FakeElement("TEXTAREA"),
        new FakeElement("SELECT"),
        new FakeElement("DIV", true),
      ];
      for (const target of targets)
        for (const mode of ["view", "reject", "edit", "help"] as const)
          for (const key of ["a", "r", "s", "x", "j", "k", "?", "1", "Escape", "Enter"])
            expect(command(key, mode, true, { target: target as unknown as EventTarget })).toBeNull();
    });

    it("keys on other elements (a button, the page) still work", () => {
      const target = new FakeElement("BUTTON") as unknown as EventTarget;
      expect(command("a", "view", true, { target })?.command).toEqual({ type: "decide", decision: "accept" });
    });
  });
});
