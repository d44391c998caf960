/**
 * detectable_format:* — number_bullet_lists, constrained_response, number_highlighted_sections,
 * multiple_sections, json_format, title (spec §2 rows 12–17, §2.2, §2.3).
 */
import { z } from "zod";
import { pyFindAll, pyFindAllCount, pyJsonLoads, pyLStrip, pyRegex, pyRStrip, pySplitCount, pyStrip } from "../python";
import { countSchema, regexStringSchema } from "./shared";
import type { CheckDefinition } from "./types";

const noKwargs = z.strictObject({});

// `^\s*` may start on an earlier blank line and `[^\*]` may be a newline: copied as is.
const STAR_BULLET = pyRegex(String.raw`^\s*\*[^\*].*$`, { multiline: true });
const DASH_BULLET = pyRegex(String.raw`^\s*-.*$`, { multiline: true });

const bulletsSchema = z.strictObject({ num_bullets: countSchema });

export const numberBulletLists: CheckDefinition<z.infer<typeof bulletsSchema>> = {
  id: "detectable_format:number_bullet_lists",
  kwargsSchema: bulletsSchema,
  check(text, { num_bullets }) {
    // "* x" and "*x" lines plus every line starting with "-"; must be exactly N.
    return pyFindAllCount(STAR_BULLET, text) + pyFindAllCount(DASH_BULLET, text) === num_bullets;
  },
};

const CONSTRAINED_OPTIONS = ["My answer is yes.", "My answer is no.", "My answer is maybe."];

export const constrainedResponse: CheckDefinition<z.infer<typeof noKwargs>> = {
  id: "detectable_format:constrained_response",
  kwargsSchema: noKwargs,
  check(text) {
    // Case-sensitive containment, not equality.
    const value = pyStrip(text);
    return CONSTRAINED_OPTIONS.some((option) => value.includes(option));
  },
};

const SINGLE_HIGHLIGHT = pyRegex(String.raw`\*[^\n\*]*\*`);
const DOUBLE_HIGHLIGHT = pyRegex(String.raw`\*\*[^\n\*]*\*\*`);

/** IFEval's highlight count: non-blank `*x*` matches plus non-blank `**x**` matches. */
export function countHighlights(text: string): number {
  let count = 0;
  for (const h of pyFindAll(SINGLE_HIGHLIGHT, text)) if (pyStrip(pyStrip(h, "*"))) count++;
  for (const h of pyFindAll(DOUBLE_HIGHLIGHT, text)) if (pyStrip(h.slice(2, -2))) count++;
  return count;
}

const highlightsSchema = z.strictObject({ num_highlights: countSchema });

export const numberHighlightedSections: CheckDefinition<z.infer<typeof highlightsSchema>> = {
  id: "detectable_format:number_highlighted_sections",
  kwargsSchema: highlightsSchema,
  check(text, { num_highlights }) {
    return countHighlights(text) >= num_highlights;
  },
};

/** Spliter (stripped, unescaped regex) + optional whitespace + digits; not line-anchored. */
const sectionPattern = (spliter: string) => String.raw`\s?` + pyStrip(spliter) + String.raw`\s?\d+\s?`;

const sectionsSchema = z.strictObject({
  section_spliter: regexStringSchema(sectionPattern, {}),
  num_sections: countSchema,
});

export const multipleSections: CheckDefinition<z.infer<typeof sectionsSchema>> = {
  id: "detectable_format:multiple_sections",
  kwargsSchema: sectionsSchema,
  check(text, { section_spliter, num_sections }) {
    return pySplitCount(pyRegex(sectionPattern(section_spliter)), text) - 1 >= num_sections;
  },
};

function removePrefix(s: string, prefix: string): string {
  return s.startsWith(prefix) ? s.slice(prefix.length) : s;
}

export const jsonFormat: CheckDefinition<z.infer<typeof noKwargs>> = {
  id: "detectable_format:json_format",
  kwargsSchema: noKwargs,
  check(text) {
    let value = pyStrip(text);
    for (const prefix of ["```json", "```Json", "```JSON", "```"]) value = removePrefix(value, prefix);
    if (value.endsWith("```")) value = value.slice(0, -3);
    return pyJsonLoads(pyStrip(value)).ok;
  },
};

/** `<<...>>` within one line, greedy ("<<a>> and <<b>>" is one match). */
const TITLE = pyRegex("<<[^\\n]+>>");

export const title: CheckDefinition<z.infer<typeof noKwargs>> = {
  id: "detectable_format:title",
  kwargsSchema: noKwargs,
  check(text) {
    return pyFindAll(TITLE, text).some((t) => pyStrip(pyRStrip(pyLStrip(t, "<"), ">")) !== "");
  },
};
