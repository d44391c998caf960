import { REJECT_REASONS } from "@/lib/review/types";
import type { AbChoice, PairView, RejectReason } from "@/lib/review/types";

/**
 * The review screen's keyboard: which command a key press means in which mode. Pure, so it is
 * unit-tested apart from the screen. One table (VIEW_KEYS) drives both the handling and the help
 * panel; a panel plugged into the screen adds its key there (a "panel" command with its id).
 */

/** confirm: accepting asks first, because the chosen response fails a code-checked constraint. */
export type Mode = "view" | "reject" | "edit" | "help" | "confirm";

export type KeyCommand =
  | { type: "mode"; mode: Mode }
  | { type: "decide"; decision: "accept" | "reject" | "skip"; reason?: RejectReason }
  | { type: "swap" }
  | { type: "nav"; action: "forward" | "back" }
  | { type: "toggleDiff" }
  /** Opens or closes a panel plugged into the screen (see ReviewScreen's `panels`). */
  | { type: "panel"; id: string };

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

/** A key of the view mode. `needsPair`: does nothing (but is still the screen's) with no pair shown;
 * `once`: holding it down fires once (a decision must not decide a run of pairs). */
export type ViewKey = { command: KeyCommand; help: string; label?: string; needsPair?: boolean; once?: boolean };

export const VIEW_KEYS: Record<string, ViewKey> = {
  a: { command: { type: "decide", decision: "accept" }, help: "accept the pair", once: true },
  r: {
    command: { type: "mode", mode: "reject" },
    help: "reject: type a note, Alt+1–6 picks a reason, Enter rejects, Esc cancels",
    needsPair: true,
    once: true,
  },
  e: {
    command: { type: "mode", mode: "edit" },
    help: "edit the prompt, chosen or rejected (Ctrl+Enter: Save edit, the pair still awaits a vote; Ctrl+Shift+Enter: Save and accept; Esc cancels)",
    needsPair: true,
  },
  s: { command: { type: "decide", decision: "skip" }, help: "skip: leave it for someone else", once: true },
  x: { command: { type: "swap" }, help: "swap chosen and rejected", once: true },
  j: { command: { type: "nav", action: "forward" }, help: "next pair", label: "j / k" },
  k: { command: { type: "nav", action: "back" }, help: "previous pair (go back to pairs you decided)" },
  d: { command: { type: "toggleDiff" }, help: "show the word diff between the responses" },
  "?": { command: { type: "mode", mode: "help" }, help: "show or hide these keys" },
};

export type ReviewMode = PairView["reviewMode"];

/**
 * Keys of the labelled mode only. The A/B mode votes with its own keys (AB_KEYS) and never accepts,
 * rejects, edits or swaps (DESIGN.md "Blind and A/B"), so these are neither handled nor offered.
 */
export const LABELLED_ONLY_KEYS: readonly string[] = ["a", "r", "e", "x"];

/** The A/B vote's keys (handled by its panel): `1`–`4` vote, `m` toggles the strength. */
export const AB_KEYS: { choice: AbChoice; label: string; key: string }[] = [
  { choice: "a", label: "A better", key: "1" },
  { choice: "b", label: "B better", key: "2" },
  { choice: "tie", label: "Tie", key: "3" },
  { choice: "both_bad", label: "Both bad", key: "4" },
];
export const AB_STRENGTH_KEY = "m";

/**
 * The view mode's key table for a review mode, with the keys of plugged-in panels. A panel key
 * never replaces a screen key, nor takes one that the mode leaves out or the A/B vote uses.
 */
export function viewKeys(
  mode: ReviewMode,
  panels: readonly { id: string; key?: string; help: string }[] = [],
): Record<string, ViewKey> {
  const keys = { ...VIEW_KEYS };
  if (mode === "ab") for (const key of LABELLED_ONLY_KEYS) delete keys[key];
  const reserved = new Set([...Object.keys(VIEW_KEYS), ...AB_KEYS.map((k) => k.key), AB_STRENGTH_KEY]);
  for (const panel of panels)
    if (panel.key && !reserved.has(panel.key))
      keys[panel.key] = { command: { type: "panel", id: panel.id }, help: panel.help };
  return keys;
}

/** The help panel's list for a review mode: key (or label) and what it does. */
export function keyHelp(mode: ReviewMode): [string, string][] {
  const keys = viewKeys(mode);
  const vote: [string, string][] =
    mode === "ab"
      ? [
          ...AB_KEYS.map((k): [string, string] => [k.key, k.label]),
          [AB_STRENGTH_KEY, "strength of the vote: slight or clear"],
        ]
      : [];
  const table: [string, string][] = ["a", "r", "e", "s", "x"]
    .filter((key) => key in keys)
    .map((key) => [key, keys[key]!.help]);
  return [
    ...vote,
    ...table,
    ["j / k", "next / previous pair (go back to pairs you decided)"],
    ["d", keys.d!.help],
    ["?", keys["?"]!.help],
  ];
}

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
 * `keys`: the view mode's table (VIEW_KEYS plus the keys of plugged-in panels).
 */
export function keyCommand(
  press: KeyPress,
  mode: Mode,
  hasPair: boolean,
  keys: Record<string, ViewKey> = VIEW_KEYS,
): { command: KeyCommand | null; preventDefault: boolean } | null {
  if (press.defaultPrevented || press.metaKey || press.ctrlKey || press.altKey || isTyping(press.target)) return null;
  const key = press.key;
  const toView = { command: { type: "mode", mode: "view" } as const, preventDefault: false };
  // The edit panel handles its own Esc (it asks before discarding a changed draft).
  if (mode === "edit") return null;
  if (mode === "confirm") return key === "Escape" ? toView : null;
  if (mode === "help") return key === "Escape" || key === "?" ? toView : null;
  // The reject panel handles its own keys (rejectPanelKey), wherever the focus is.
  if (mode === "reject") return null;
  if (!Object.hasOwn(keys, key)) return null;
  const entry = keys[key]!;
  if (press.repeat && entry.once) return null;
  return { command: entry.needsPair && !hasPair ? null : entry.command, preventDefault: true };
}

export type RejectPanelCommand = { type: "reason"; reason: RejectReason } | { type: "save" } | { type: "cancel" };

/**
 * A key press while the reject panel is open (the focus is in its note, or on a reason). Plain
 * keys are the note's text, so a note may start with `r` or a digit; a reason is picked with
 * Alt+digit (or a click), Enter saves, Esc cancels (the panel asks first when a note was typed).
 */
export function rejectPanelKey(press: KeyPress & { isComposing?: boolean }): RejectPanelCommand | null {
  if (press.defaultPrevented || press.isComposing || press.metaKey || press.ctrlKey) return null;
  if (press.altKey) {
    // Alt+digit: `code` would be layout-proof, but `key` is what the tests and most layouts give.
    const index = Number(press.key) - 1;
    return Number.isInteger(index) && index >= 0 && index < REJECT_REASONS.length
      ? { type: "reason", reason: REJECT_REASONS[index]!.code }
      : null;
  }
  if (press.key === "Enter" && !press.repeat) return { type: "save" };
  if (press.key === "Escape") return { type: "cancel" };
  return null;
}
