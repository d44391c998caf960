/**
 * `nltk.word_tokenize(text)` of NLTK 3.8 (language "english", preserve_line False): Punkt
 * sentences (./punkt.ts), each split by NLTK's improved Treebank tokenizer (NLTKWordTokenizer,
 * default options). IFEval's capital-word count uses it (spec §4.3).
 *
 * The Treebank tokenizer is a fixed sequence of regex rewrites that pad tokens with spaces, then a
 * whitespace split. Each rule below is the NLTK pattern rewritten for JavaScript with Python
 * semantics: `\w` = `[\p{L}\p{N}_]`, `\d` = `\p{Nd}`, `\s` = Python's whitespace set, `\b` as
 * lookarounds, and a non-MULTILINE `$` (end, or before a final newline) as `(?=\n?$)`.
 */
import { PY_SPACE_CLASS, sentTokenize } from "./punkt";

/**
 * A rewrite, and optionally the characters of which every match holds at least one: when the
 * text has none of them the rule cannot match and its scan is skipped (checked on the text as the
 * earlier rules left it, since they insert quotes and spaces).
 */
type Rule = readonly [RegExp, string, string?];

const W = "[\\p{L}\\p{N}_]";
const NOT_W_BEFORE = `(?<!${W})`;
const NOT_W_AFTER = `(?!${W})`;
const SPACE = `[${PY_SPACE_CLASS}]`;
/** Python's `$` without MULTILINE. */
const END = "(?=\\n?$)";

/** Opening quotes: curly/guillemet/backtick runs padded, `"` at the start and after an opener → ``. */
const STARTING_QUOTES: readonly Rule[] = [
  [/([«“‘„]|`+)/gu, " $1 ", "«“‘„`"],
  [/^"/u, "``", '"'],
  [/(``)/gu, " $1 ", "`"],
  [/([ ([{<])("|'')/gu, "$1 `` ", `"'`],
  [new RegExp(`(')(?!re|ve|ll|m|t|s|d|n)(${W})${NOT_W_AFTER}`, "giu"), "$1 $2", "'"],
];

/** Punctuation, including the sentence-final period (handled twice, as NLTK does). */
const PUNCTUATION: readonly Rule[] = [
  [new RegExp(`([^.])(\\.)([\\])}>"'»”’ ]*)${SPACE}*${END}`, "u"), "$1 $2 $3 ", "."],
  [/([:,])([^\p{Nd}])/gu, " $1 $2", ":,"],
  [new RegExp(`([:,])${END}`, "u"), " $1 ", ":,"],
  [/\.{2,}/gu, " $& ", "."],
  [/[;@#$%&]/gu, " $& ", ";@#$%&"],
  [new RegExp(`([^.])(\\.)([\\])}>"']*)${SPACE}*${END}`, "u"), "$1 $2$3 ", "."],
  [/[?!]/gu, " $& ", "?!"],
  [/([^'])' /gu, "$1 ' ", "'"],
  [/\*/gu, " $& ", "*"],
];

const PARENS_BRACKETS: Rule = [/[\][(){}<>]/gu, " $& ", "[](){}<>"];
const DOUBLE_DASHES: Rule = [/--/gu, " -- ", "-"];

/** Closing quotes become '' and clitics are split off before a space. */
const ENDING_QUOTES: readonly Rule[] = [
  [/([»”’])/gu, " $1 ", "»”’"],
  [/''/gu, " '' ", "'"],
  [/"/gu, " '' ", '"'],
  [/([^' ])('[sS]|'[mM]|'[dD]|') /gu, "$1 $2 ", "'"],
  [/([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) /gu, "$1 $2 ", "'"],
];

/** MacIntyre's contractions (cannot, d'ye, gimme, gonna, gotta, lemme, more'n, wanna; 'tis, 'twas). */
const CONTRACTIONS: readonly Rule[] = [
  ...[
    ["can", "not"],
    ["d", "'ye"],
    ["gim", "me"],
    ["gon", "na"],
    ["got", "ta"],
    ["lem", "me"],
    ["more", "'n"],
  ].map(([a, b]): Rule => [new RegExp(`${NOT_W_BEFORE}(${a})(${b})${NOT_W_AFTER}`, "giu"), " $1 $2 "]),
  [new RegExp(`${NOT_W_BEFORE}(wan)(na)(?=${SPACE})`, "giu"), " $1 $2 "],
  [new RegExp(` ('t)(is)${NOT_W_AFTER}`, "giu"), " $1 $2 ", "'"],
  [new RegExp(` ('t)(was)${NOT_W_AFTER}`, "giu"), " $1 $2 ", "'"],
];

const SPLIT_RE = new RegExp(`${SPACE}+`, "u");

function mayMatch(text: string, [, , needs]: Rule): boolean {
  if (needs === undefined) return true;
  for (const ch of needs) if (text.includes(ch)) return true;
  return false;
}

function applyRule(text: string, rule: Rule): string {
  return mayMatch(text, rule) ? text.replace(rule[0], rule[1]) : text;
}

function applyRules(text: string, rules: readonly Rule[]): string {
  let out = text;
  for (const rule of rules) out = applyRule(out, rule);
  return out;
}

/** NLTKWordTokenizer.tokenize for one sentence. */
export function treebankTokenize(sentence: string): string[] {
  let text = applyRules(sentence, STARTING_QUOTES);
  text = applyRules(text, PUNCTUATION);
  text = applyRule(text, PARENS_BRACKETS);
  text = applyRule(text, DOUBLE_DASHES);
  text = applyRules(` ${text} `, ENDING_QUOTES);
  text = applyRules(text, CONTRACTIONS);
  return text.split(SPLIT_RE).filter((t) => t !== "");
}

/** Tokens of `text`, equal to NLTK 3.8 `word_tokenize(text)`. */
export function wordTokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const sentence of sentTokenize(text)) {
    for (const t of treebankTokenize(sentence)) tokens.push(t);
  }
  return tokens;
}
