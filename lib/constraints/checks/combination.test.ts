import { describe, expect, it } from "vitest";
import { parseKwargs } from "./index";
import { check } from "./test-helpers";

const TWO = "combination:two_responses";
const REPEAT = "combination:repeat_prompt";

describe("combination:two_responses", () => {
  const two = (text: string) => check(TWO, {}, text);

  it("official cases, own text", () => {
    expect(two("\n  Answer one.\n  ******\n  Answer two.\n  ")).toBe(true);
    expect(two("\n  Answer one.\n  ******\n  Answer one.\n  ")).toBe(false);
    expect(two("\n  Answer one.\n  ******\n  Answer two.\n  ******\n  Answer three.\n  ")).toBe(false);
    expect(two("\n  ******\n  Reply 1.\n  ******\n  ******\n  Reply 2.\n  ******\n  ")).toBe(false);
    expect(two("\n  ******\n  Reply 1\n  ******\n  Reply 2\n  ******\n  ")).toBe(true);
  });

  it("lets a seventh star join a piece", () => {
    expect(two("A\n*******\nB")).toBe(true);
  });

  it("compares the two pieces after stripping", () => {
    expect(two("same \n******\n  same")).toBe(false);
  });
});

describe("combination:repeat_prompt", () => {
  const prompt = "Draft a short release note.";

  it("official cases, own text", () => {
    expect(
      check(REPEAT, { prompt_to_repeat: prompt }, "Draft a short release note. Hello team,\n  version 2 is out.\n  "),
    ).toBe(true);
    expect(check(REPEAT, { prompt_to_repeat: prompt }, "Hello team. Draft a short release note. Thanks.\n  ")).toBe(
      false,
    );
  });

  it("strips and lowercases both sides, otherwise exact", () => {
    expect(check(REPEAT, { prompt_to_repeat: "  Write it. " }, "\n WRITE IT. ok")).toBe(true);
    expect(check(REPEAT, { prompt_to_repeat: "Don't stop" }, "Don’t stop now")).toBe(false);
    expect(check(REPEAT, { prompt_to_repeat: "Write it." }, '"Write it." ok')).toBe(false);
  });

  it("requires a prompt to repeat", () => {
    expect(() => parseKwargs(REPEAT, { prompt_to_repeat: "" })).toThrow(/prompt_to_repeat/);
    expect(() => parseKwargs(REPEAT, {})).toThrow(/prompt_to_repeat/);
  });
});
