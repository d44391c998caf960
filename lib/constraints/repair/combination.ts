/** Repairs for combination:* (two_responses, repeat_prompt). */
import { pyLStrip, pyStrip } from "../python";
import { fail, type Fixer } from "./types";

/** A line that is only a divider: `***`, `---`, `===`, `* * *`… */
const DIVIDER_LINE = /^[ \t]*(?:[*\-_=~][ \t]*){3,}$/gmu;
/** A label that opens a second answer: "Response 2", "**Answer B:**", "## Option two"… */
const SECOND_LABEL =
  /^[ \t]*(?:[#*_>]+[ \t]*)?(?:response|answer|option|version|alternative|reply)[ \t]*#?[ \t]*(?:2|two|b|ii)\b/gimu;

export const twoResponses: Fixer = (text) => {
  if (text.includes("******")) {
    return fail("the response already uses ****** but not as exactly two different non-blank responses");
  }
  const twoSides = (at: number, end: number) => pyStrip(text.slice(0, at)) !== "" && pyStrip(text.slice(end)) !== "";
  const dividers = [...text.matchAll(DIVIDER_LINE)];
  if (dividers.length === 1) {
    const d = dividers[0]!;
    if (twoSides(d.index, d.index + d[0].length))
      return `${text.slice(0, d.index)}******${text.slice(d.index + d[0].length)}`;
  }
  const labels = [...text.matchAll(SECOND_LABEL)];
  if (labels.length === 1 && dividers.length === 0) {
    const at = labels[0]!.index;
    if (twoSides(at, at)) return `${text.slice(0, at)}******\n${text.slice(at)}`;
  }
  return fail("cannot find where a second response starts; writing one needs a model");
};

export const repeatPrompt: Fixer = (text, kwargs) => {
  const prompt = pyStrip(String(kwargs.prompt_to_repeat ?? ""));
  if (!prompt) return fail("empty prompt_to_repeat");
  return `${prompt}\n\n${pyLStrip(text)}`;
};
