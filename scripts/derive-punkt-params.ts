/**
 * Derives lib/constraints/nlp/punkt-params.generated.ts from the Punkt English model parameters
 * (`punkt_english_params.json` in the shared IFEval data folder).
 *
 *   npx tsx scripts/derive-punkt-params.ts [path/to/punkt_english_params.json]
 *
 * Default input: $SHARED_DATA_DIR/ifeval/punkt_english_params.json, SHARED_DATA_DIR defaulting to
 * ../shared/data beside the repository. Only the fields the tokenizer reads are kept:
 * abbrev_types, collocations, sent_starters and ortho_context. ortho_context is grouped by flag
 * value; each group is a sorted, front-coded list (see encodeSorted below; punkt.ts decodes it).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

interface PunktParamsJson {
  source?: string;
  abbrev_types: string[];
  collocations: [string, string][];
  sent_starters: string[];
  ortho_context: Record<string, number>;
}

/** Base-36 digit giving how many leading characters an entry shares with the previous one. */
const PREFIX_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * Front coding: words sorted, each written as one base-36 digit (length of the prefix shared with
 * the previous word, at most 35) followed by the rest of the word; entries separated by one space.
 * Words must not contain whitespace.
 */
export function encodeSorted(words: string[]): string {
  const sorted = [...words].sort();
  const out: string[] = [];
  let prev = "";
  for (const w of sorted) {
    if (/\s/u.test(w) || w === "") throw new Error(`cannot front-code ${JSON.stringify(w)}`);
    let p = 0;
    const max = Math.min(prev.length, w.length, PREFIX_DIGITS.length - 1);
    while (p < max && prev[p] === w[p]) p++;
    out.push(PREFIX_DIGITS[p] + w.slice(p));
    prev = w;
  }
  return out.join(" ");
}

/** `// `-prefixed lines of at most about 100 characters. */
function wrapComment(text: string): string[] {
  const lines: string[] = [];
  let line = "//";
  for (const word of text.split(/\s+/u)) {
    if (line.length + 1 + word.length > 100 && line !== "//") {
      lines.push(line);
      line = "//";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

function main(): void {
  const repoRoot = path.resolve(import.meta.dirname, "..");
  const sharedDir = process.env.SHARED_DATA_DIR ?? path.resolve(repoRoot, "../shared/data");
  const input = process.argv[2] ?? path.join(sharedDir, "ifeval", "punkt_english_params.json");
  const output = path.join(repoRoot, "lib", "constraints", "nlp", "punkt-params.generated.ts");
  const params = JSON.parse(readFileSync(input, "utf8")) as PunktParamsJson;

  const groups = new Map<number, string[]>();
  for (const [type, flag] of Object.entries(params.ortho_context)) {
    if (!Number.isInteger(flag) || flag <= 0) continue; // 0 is the default for unseen types
    let list = groups.get(flag);
    if (!list) groups.set(flag, (list = []));
    list.push(type);
  }
  const flagLines = [...groups.keys()]
    .sort((a, b) => a - b)
    .map((flag) => `  ${flag}: ${JSON.stringify(encodeSorted(groups.get(flag) ?? []))},`);

  const sourceLines = wrapComment(`Model: ${params.source ?? "unknown"}`);
  const text = [
    "// GENERATED FILE, do not edit. Regenerate with: npx tsx scripts/derive-punkt-params.ts",
    "// Derived from the NLTK Punkt English model parameters, read from",
    "// shared/data/ifeval/punkt_english_params.json; only the fields the tokenizer reads.",
    ...sourceLines,
    "// ORTHO_CONTEXT maps a flag value to the word types carrying it, front-coded: sorted, space-",
    "// separated, each entry = one base-36 digit (prefix length shared with the previous entry) + rest.",
    "",
    `export const ABBREV_TYPES: readonly string[] = ${JSON.stringify([...params.abbrev_types].sort())};`,
    "",
    `export const COLLOCATIONS: readonly (readonly [string, string])[] = ${JSON.stringify(
      [...params.collocations].sort((a, b) => (a.join(" ") < b.join(" ") ? -1 : 1)),
    )};`,
    "",
    `export const SENT_STARTERS: readonly string[] = ${JSON.stringify([...params.sent_starters].sort())};`,
    "",
    "export const ORTHO_CONTEXT: Readonly<Record<number, string>> = {",
    ...flagLines,
    "};",
    "",
  ].join("\n");
  writeFileSync(output, text);
  const total = Object.keys(params.ortho_context).length;
  console.log(
    `wrote ${path.relative(repoRoot, output)} (${text.length} chars, ${total} ortho types, ${groups.size} flag groups)`,
  );
}

main();
