import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REJECT_REASONS } from "@/lib/review/types";
import {
  AB_KEYS,
  keyCommand,
  keyHelp,
  rejectPanelKey,
  VIEW_KEYS,
  viewKeys,
  type KeyPress,
  type Mode,
} from "./review-keys";

/** A plain key press (no modifier, on the page). */
const keyPress = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  repeat: false,
  metaKey: false,
  ctrlKey: false,
  altKey: false,
  defaultPrevented: false,
  target: null,
  ...extra,
});

describe("keyCommand", () => {
  const press = keyPress;
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

  it("in the reject mode no shortcut of the screen fires: the panel owns the keys", () => {
    for (const key of ["a", "r", "s", "x", "j", "1", "Enter", "Escape"]) expect(command(key, "reject")).toBeNull();
  });

  it("confirm and help only close (help also with ?); edit leaves every key to its panel", () => {
    for (const key of ["a", "r", "s", "x", "j", "1", "Escape"]) expect(command(key, "edit")).toBeNull();
    for (const mode of ["confirm", "help"] as const) {
      expect(command("Escape", mode)?.command).toEqual({ type: "mode", mode: "view" });
      for (const key of ["a", "r", "s", "x", "j", "1"]) expect(command(key, mode)).toBeNull();
    }
    expect(command("?", "help")?.command).toEqual({ type: "mode", mode: "view" });
    expect(command("?", "edit")).toBeNull();
  });

  it("a plugged-in panel's key is added to the view mode's table", () => {
    const keys = { ...VIEW_KEYS, g: { command: { type: "panel", id: "guidelines" } as const, help: "guidelines" } };
    expect(keyCommand(press("g"), "view", true, keys)?.command).toEqual({ type: "panel", id: "guidelines" });
    expect(command("g")).toBeNull();
    expect(keyCommand(press("g"), "reject", true, keys)).toBeNull();
  });

  it("the A/B mode neither handles nor offers accept, reject, edit or swap; the rest stays", () => {
    const ab = viewKeys("ab");
    for (const key of ["a", "r", "e", "x"]) expect(keyCommand(press(key), "view", true, ab)).toBeNull();
    expect(keyCommand(press("s"), "view", true, ab)?.command).toEqual({ type: "decide", decision: "skip" });
    expect(keyCommand(press("j"), "view", true, ab)?.command).toEqual({ type: "nav", action: "forward" });
    expect(keyCommand(press("?"), "view", true, ab)?.command).toEqual({ type: "mode", mode: "help" });
    expect(viewKeys("labelled")).toEqual(VIEW_KEYS);
    const help = (mode: "ab" | "labelled") => keyHelp(mode).map(([key]) => key);
    expect(help("ab")).toEqual(["1", "2", "3", "4", "m", "s", "j / k", "d", "?"]);
    expect(help("labelled")).toEqual(["a", "r", "e", "s", "x", "j / k", "d", "?"]);
    expect(AB_KEYS.map((k) => k.key)).toEqual(["1", "2", "3", "4"]);
  });

  it("a panel's key never takes a screen key or an A/B vote key, in either mode", () => {
    const panels = [
      { id: "p-a", key: "a", help: "" },
      { id: "p-1", key: "1", help: "" },
      { id: "p-m", key: "m", help: "" },
      { id: "p-g", key: "g", help: "guidelines" },
    ];
    for (const mode of ["ab", "labelled"] as const) {
      const keys = viewKeys(mode, panels);
      expect(keyCommand(press("g"), "view", true, keys)?.command).toEqual({ type: "panel", id: "p-g" });
      for (const key of ["1", "m"]) expect(keyCommand(press(key), "view", true, keys)).toBeNull();
      expect(keyCommand(press("a"), "view", true, keys)?.command ?? null).toEqual(
        mode === "ab" ? null : { type: "decide", decision: "accept" },
      );
    }
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

describe("rejectPanelKey", () => {
  const press = (key: string, extra: Partial<KeyPress & { isComposing: boolean }> = {}) =>
    rejectPanelKey({ ...keyPress(key), ...extra });

  it("plain letters and digits are the note's text: a note may start with r or a digit", () => {
    for (const key of ["r", "a", "1", "6", "x", " "]) expect(press(key)).toBeNull();
  });

  it("Alt+digit picks the reason of that number; other Alt keys do nothing", () => {
    REJECT_REASONS.forEach((reason, i) =>
      expect(press(String(i + 1), { altKey: true })).toEqual({ type: "reason", reason: reason.code }),
    );
    expect(press("0", { altKey: true })).toBeNull();
    expect(press(String(REJECT_REASONS.length + 1), { altKey: true })).toBeNull();
    expect(press("r", { altKey: true })).toBeNull();
  });

  it("Enter saves, Escape cancels; a held Enter, an IME composition or Ctrl/Meta do not", () => {
    expect(press("Enter")).toEqual({ type: "save" });
    expect(press("Escape")).toEqual({ type: "cancel" });
    expect(press("Enter", { repeat: true })).toBeNull();
    expect(press("Enter", { isComposing: true })).toBeNull();
    expect(press("Enter", { ctrlKey: true })).toBeNull();
    expect(press("Enter", { defaultPrevented: true })).toBeNull();
  });
});
