import { describe, expect, it } from "vitest";
import { check } from "./test-helpers";

const PLACEHOLDERS = "detectable_content:number_placeholders";
const POSTSCRIPT = "detectable_content:postscript";

describe("detectable_content:number_placeholders", () => {
  const atLeast = (n: number, text: string) => check(PLACEHOLDERS, { num_placeholders: n }, text);

  it("counts [..] spans (official cases, own text)", () => {
    const card =
      "Here is a contact card with five fields:\n[Name]\n[Email]\n[Phone]\n[Street]\n[City]\nUse it for invitations.";
    expect(atLeast(5, card)).toBe(true);
    expect(atLeast(7, "The [color] [animal] saw a [color] [object]. It [verb] and [verb].")).toBe(false);
    expect(atLeast(6, "The [color] [animal] saw a [color] [object]. It [verb] and [verb].")).toBe(true);
  });

  it("counts empty brackets and markdown links, shortest match, one line only", () => {
    expect(atLeast(1, "an empty [] pair")).toBe(true);
    expect(atLeast(1, "see [the docs](https://example.com)")).toBe(true);
    expect(atLeast(2, "[a] and [b]")).toBe(true);
    expect(atLeast(1, "[broken\nacross lines]")).toBe(false);
  });
});

describe("detectable_content:postscript", () => {
  const ps = (marker: string, text: string) => check(POSTSCRIPT, { postscript_marker: marker }, text);
  const letter = `
  I will answer every message as quickly as I can and keep my replies short. Please tell me if
  anything is unclear.

  P.S. Thanks for reading this far.`;

  it("official cases, own text", () => {
    expect(ps("P.S.", letter)).toBe(true);
    expect(ps("PS:", letter)).toBe(false);
    const pps =
      "\n  Here is my reply with a P.P.S.:\n\n  The meeting is at noon.\n\n  P.P.S. Bring snacks.\n\n  Any questions?";
    expect(ps("P.P.S", pps)).toBe(true);
    expect(
      ps("P.S.", "\n  A circle has no corners, so it cannot trip over anything. (same line) P.S. just kidding!"),
    ).toBe(true);
    expect(ps("P.P.S", "\n  Squares have four corners.\n  p.p.s what about lower case?\n  ")).toBe(true);
    expect(ps("P.S.", "\n  Time is strange.\n  P. S. Sometimes a space sits between P. and S..\n  ")).toBe(true);
  });

  it("searches anywhere, not only at a line start", () => {
    expect(ps("P.S.", "text p. s. hi")).toBe(true);
  });

  it("does not accept other spellings", () => {
    expect(ps("P.S.", "PS: see you")).toBe(false);
    expect(ps("P.P.S", "PPS see you")).toBe(false);
    expect(ps("P.S.", "no postscript here")).toBe(false);
  });

  it("uses other markers lowercased as unescaped regexes", () => {
    expect(ps("Note:", "NOTE: hi")).toBe(true);
    expect(ps("N.B.", "nxbx fine")).toBe(true);
  });
});
