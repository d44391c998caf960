/** detectable_content:* — number_placeholders, postscript (spec §2 rows 10–11). */
import { z } from "zod";
import { pyFindAllCount, pyLower, pyRegex, pySearch, pyStrip } from "../python";
import { countSchema, regexStringSchema } from "./shared";
import type { CheckDefinition } from "./types";

/** `[...]` on one line, shortest match; `[]` and markdown links count too. */
const PLACEHOLDER = pyRegex(String.raw`\[.*?\]`);

const placeholdersSchema = z.strictObject({ num_placeholders: countSchema });

export const numberPlaceholders: CheckDefinition<z.infer<typeof placeholdersSchema>> = {
  id: "detectable_content:number_placeholders",
  kwargsSchema: placeholdersSchema,
  check(text, { num_placeholders }) {
    return pyFindAllCount(PLACEHOLDER, text) >= num_placeholders;
  },
};

const MULTILINE = { multiline: true } as const;

/** The pattern searched for (anywhere, MULTILINE) in the lowercased text. */
function postscriptPattern(marker: string): string {
  const m = pyStrip(marker);
  if (m === "P.P.S") return String.raw`\s*p\.\s?p\.\s?s.*$`;
  if (m === "P.S.") return String.raw`\s*p\.\s?s\..*$`;
  // Any other marker: lowercased and used as an unescaped regex.
  return String.raw`\s*` + pyLower(m) + ".*$";
}

const postscriptSchema = z.strictObject({
  postscript_marker: regexStringSchema(postscriptPattern, MULTILINE),
});

export const postscript: CheckDefinition<z.infer<typeof postscriptSchema>> = {
  id: "detectable_content:postscript",
  kwargsSchema: postscriptSchema,
  check(text, { postscript_marker }) {
    return pySearch(pyRegex(postscriptPattern(postscript_marker), MULTILINE), pyLower(text));
  },
};
