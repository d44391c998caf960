/** combination:* — two_responses, repeat_prompt (spec §2 rows 18–19). */
import { z } from "zod";
import { pyLower, pyStrip } from "../python";
import type { CheckDefinition } from "./types";

const noKwargs = z.strictObject({});

export const twoResponses: CheckDefinition<z.infer<typeof noKwargs>> = {
  id: "combination:two_responses",
  kwargsSchema: noKwargs,
  check(text) {
    const pieces = text.split("******");
    const valid: string[] = [];
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (pyStrip(piece)) valid.push(piece);
      // A blank piece is allowed only first or last.
      else if (i !== 0 && i !== pieces.length - 1) return false;
    }
    return valid.length === 2 && pyStrip(valid[0]!) !== pyStrip(valid[1]!);
  },
};

const repeatPromptSchema = z.strictObject({ prompt_to_repeat: z.string().min(1) });

export const repeatPrompt: CheckDefinition<z.infer<typeof repeatPromptSchema>> = {
  id: "combination:repeat_prompt",
  kwargsSchema: repeatPromptSchema,
  check(text, { prompt_to_repeat }) {
    // Case-insensitive prefix after stripping both; otherwise exact (quote styles matter).
    return pyLower(pyStrip(text)).startsWith(pyLower(pyStrip(prompt_to_repeat)));
  },
};
