/**
 * Does a verifiable constraint's written text say what its kwargs say? An LLM evolver may write
 * "Answer in under 100 words" and report `relation: "less than", num_words: 50`; the responder
 * reads the text, the checker reads the kwargs, so such a candidate teaches a wrong lesson.
 *
 * The check is deliberately narrow (it only flags what it can read for certain): every number
 * in the kwargs must be written in the text (digits, a number word or an ordinal), every word
 * or phrase the kwargs name (keyword, letter, end phrase, …) must appear in it, and a relation
 * ("less than" / "at least") must not be contradicted by the text's wording.
 */
import type { Constraint } from "./types";

type Verifiable = Extract<Constraint, { kind: "verifiable" }>;

const NUMBER_WORDS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
  "twenty",
];
const ORDINAL_WORDS = [
  "zeroth",
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
];
const TENS: Record<string, number> = {
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
};

/** The numbers a text writes: digits ("1,000", "3rd"), number words and ordinals. */
export function numbersIn(text: string): Set<number> {
  const found = new Set<number>();
  const lower = text.toLowerCase();
  for (const m of lower.matchAll(/\d[\d,]*/gu)) found.add(Number(m[0].replaceAll(",", "")));
  for (const m of lower.matchAll(/\p{L}+/gu)) {
    const word = m[0];
    const n = NUMBER_WORDS.indexOf(word);
    if (n >= 0) found.add(n);
    const o = ORDINAL_WORDS.indexOf(word);
    if (o >= 0) found.add(o);
    if (Object.hasOwn(TENS, word)) found.add(TENS[word]!);
  }
  // "a single paragraph", "a hundred words"
  if (/\b(?:a|one) single\b/u.test(lower)) found.add(1);
  if (/\ba hundred\b/u.test(lower)) found.add(100);
  return found;
}

type RelationWording = "less than" | "at least";

/** The relation a text's wording implies, or null when it implies none or both. */
function relationWording(text: string): RelationWording | null {
  let rest = text.toLowerCase();
  const atLeast = /\b(?:at least|or more|no (?:fewer|less) than|not (?:fewer|less) than|minimum of|more than)\b/u;
  const hasAtLeast = atLeast.test(rest);
  rest = rest.replace(new RegExp(atLeast.source, "gu"), " ");
  const hasLess =
    /\b(?:less than|fewer than|under|below|at most|no more than|not more than|maximum of|shorter than|or fewer|or less)\b/u.test(
      rest,
    );
  if (hasAtLeast === hasLess) return null;
  return hasAtLeast ? "at least" : "less than";
}

const RELATION_KWARGS = ["relation", "let_relation", "capital_relation"] as const;
const PHRASE_KWARGS = [
  "keyword",
  "letter",
  "end_phrase",
  "first_word",
  "postscript_marker",
  "section_spliter",
] as const;
const LIST_KWARGS = ["keywords", "forbidden_words"] as const;

/** Numeric kwargs whose value the text must write (IFEval's kwargs names). */
const NUMBER_KWARGS = [
  "num_words",
  "num_sentences",
  "num_paragraphs",
  "num_bullets",
  "num_highlights",
  "num_placeholders",
  "num_sections",
  "frequency",
  "let_frequency",
  "capital_frequency",
  "nth_paragraph",
] as const;

/**
 * Why `text` disagrees with the constraint's kwargs, or null when it agrees as far as can be
 * read. `relations` false skips the relation check (an instruction with several constraints
 * may use both wordings).
 */
export function kwargsDisagreement(
  constraint: Verifiable,
  text: string,
  options: { relations?: boolean } = {},
): string | null {
  const kwargs = constraint.kwargs as Record<string, unknown>;
  const numbers = numbersIn(text);
  for (const name of NUMBER_KWARGS) {
    const value = kwargs[name];
    if (typeof value === "number" && !numbers.has(value))
      return `${constraint.id}: ${name} is ${value} but the text does not say ${value}`;
  }
  const lower = text.toLowerCase();
  for (const name of PHRASE_KWARGS) {
    const value = kwargs[name];
    if (typeof value === "string" && value.trim() && !lower.includes(value.trim().toLowerCase()))
      return `${constraint.id}: ${name} is ${JSON.stringify(value)} but the text does not name it`;
  }
  for (const name of LIST_KWARGS) {
    const value = kwargs[name];
    if (!Array.isArray(value)) continue;
    const missing = value.filter((w) => typeof w === "string" && !lower.includes(w.toLowerCase()));
    if (missing.length)
      return `${constraint.id}: ${name} include ${missing.map((w) => JSON.stringify(w)).join(", ")} but the text does not name them`;
  }
  if (options.relations !== false) {
    const wording = relationWording(text);
    for (const name of RELATION_KWARGS) {
      const value = kwargs[name];
      if (typeof value === "string" && wording && wording !== value)
        return `${constraint.id}: ${name} is "${value}" but the text says "${wording}"`;
    }
  }
  return null;
}
