/** startend:* and punctuation:no_comma (spec §2 rows 20, 24, 25). */
import { z } from "zod";
import { codePointLength, pyLower, pyStrip } from "../python";
import type { CheckDefinition } from "./types";

const noKwargs = z.strictObject({});

const endCheckerSchema = z.strictObject({ end_phrase: z.string() });

export const endChecker: CheckDefinition<z.infer<typeof endCheckerSchema>> = {
  id: "startend:end_checker",
  kwargsSchema: endCheckerSchema,
  check(text, { end_phrase }) {
    // Surrounding double quotes are removed first, so a closing quote after the phrase is fine.
    const value = pyLower(pyStrip(pyStrip(text), '"'));
    return value.endsWith(pyLower(pyStrip(end_phrase)));
  },
};

export const quotation: CheckDefinition<z.infer<typeof noKwargs>> = {
  id: "startend:quotation",
  kwargsSchema: noKwargs,
  check(text) {
    const value = pyStrip(text);
    return codePointLength(value) > 1 && value.startsWith('"') && value.endsWith('"');
  },
};

export const noComma: CheckDefinition<z.infer<typeof noKwargs>> = {
  id: "punctuation:no_comma",
  kwargsSchema: noKwargs,
  check(text) {
    // ASCII comma only; "，" and "،" are fine.
    return !text.includes(",");
  },
};
