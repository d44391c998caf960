/**
 * Decontamination: is an instruction a benchmark prompt (or a light rewrite of one)?
 *
 * Both sides are normalised (Unicode NFKC, lower case, punctuation removed, whitespace collapsed)
 * and constraint boilerplate is removed first: the registry's constraint templates
 * (lib/constraints) and every word 13-gram that occurs in more than 1% of the set's prompts (IFEval's
 * own constraint phrasings repeat across its prompts). What remains is compared: equal remainders,
 * or a shared word 13-gram (as in the GPT-3 and lm-evaluation-harness checks). A remainder of fewer
 * than 5 words matches only when the whole normalised prompt is equal. Pure: no I/O.
 */
import { CONSTRAINT_IDS } from "../constraints/ids.ts";
import { constraintTemplates, SLOT_PATTERN } from "../constraints/describe.ts";

export const NGRAM = 13;
/** A 13-gram in more than this share of a set's prompts is boilerplate. */
export const BOILERPLATE_SHARE = 0.01;
export const MIN_REMAINDER_WORDS = 5;

/** Printable ASCII and ASCII whitespace only: NFKC leaves such text alone. */
const ASCII = /^[\x09-\x0d\x20-\x7e]*$/;

export function normalisePrompt(text: string): string {
  // The fast path for ASCII text gives the same result: every ASCII character that is not a letter,
  // a digit or whitespace is punctuation or a symbol (\p{P} or \p{S}).
  if (ASCII.test(text))
    return text
      .toLowerCase()
      .replace(/[!-/:-@[-`{-~]+/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
}

const SLOT = "ecdslotmarker";

/** A template pattern and its longest fixed word: a text without that word cannot match (a cheap pre-check). */
type TemplatePattern = { pattern: RegExp; word: string };

/** The registry's constraint templates as patterns over normalised text (slots match 1–8 words). */
function templatePatterns(): TemplatePattern[] {
  const sources = new Map<string, string>();
  for (const id of CONSTRAINT_IDS)
    for (const template of constraintTemplates(id)) {
      const normal = normalisePrompt(template.replace(SLOT_PATTERN, ` ${SLOT} `));
      if (normal.split(" ").filter((w) => w !== SLOT).length < 3) continue; // too little fixed text to be safe
      const fixed = normal.split(" ").filter((w) => w !== SLOT);
      sources.set(
        normal
          .split(" ")
          .map((w) => (w === SLOT ? "\\S+(?: \\S+){0,7}?" : w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
          .join(" "),
        fixed.reduce((a, b) => (b.length > a.length ? b : a)),
      );
    }
  // Longest first, so a template is not half-removed by a shorter one.
  return [...sources.entries()]
    .sort((a, b) => b[0].length - a[0].length)
    .map(([source, word]) => ({ pattern: new RegExp(`(?:^| )${source}(?= |$)`, "gu"), word }));
}

let patterns: TemplatePattern[] | null = null;
/** For each template's longest fixed word, the indexes (in `patterns`) of the templates that need it. */
let patternsByWord: Map<string, number[]> | null = null;

function patternIndex(): { patterns: TemplatePattern[]; byWord: Map<string, number[]> } {
  patterns ??= templatePatterns();
  if (!patternsByWord) {
    patternsByWord = new Map();
    patterns.forEach(({ word }, i) => {
      const list = patternsByWord!.get(word);
      if (list) list.push(i);
      else patternsByWord!.set(word, [i]);
    });
  }
  return { patterns, byWord: patternsByWord };
}

/** The templates that may occur in a normalised sentence (their fixed word is one of its words), longest first. */
function candidatePatterns(sentence: string, byWord: ReadonlyMap<string, number[]>): number[] {
  let out: number[] | null = null;
  for (const word of sentence.split(" ")) {
    const list = byWord.get(word);
    if (list) (out ??= []).push(...list);
  }
  if (!out) return [];
  // Longest first, each once (a word may occur twice in the sentence).
  return out.length > 1 ? [...new Set(out)].sort((a, b) => a - b) : out;
}

/** A text's sentences, normalised (the split that both the instruction and its own constraint texts get). */
function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?:;])\s+|\n+/u).map(normalisePrompt);
}

/** A word and the sentence it belongs to. */
type Word = { w: string; sentence: number };

type Prepared = { normal: string; segments: Word[][]; segmentGrams?: string[][] };

/**
 * Normalised words, with the registry's constraint sentences cut out (a cut splits the text into
 * segments) and each word's sentence; numbers become "0" so "exactly 3 paragraphs" and "exactly 4
 * paragraphs" are the same boilerplate.
 */

function prepare(text: string, constraintTexts: readonly string[] = []): Prepared {
  const { patterns, byWord } = patternIndex();
  // The instruction's own stated constraints (e.g. a composed prompt's constraint sentences) are cut
  // too, sentence by sentence as the text is: a constraint may span sentences ("Include a title
  // wrapped in double angular brackets, i.e. <<title>>" splits after "i.e."). A piece may start
  // inside a word: composed prompts glue a constraint onto the task ("...word: summerYour answer
  // must..."). A short piece is cut only where it is a whole sentence, never as a word of the task.
  const own = constraintTexts
    .flatMap(sentencesOf)
    .filter((t) => t)
    .sort((a, b) => b.length - a.length)
    .map((t) => ({ t, long: t.split(" ").length >= 3 }));
  const normal = normalisePrompt(text);
  // Segments run on across sentences (a 13-gram may span two); only a template cut splits them.
  const segments: Word[][] = [[]];
  sentencesOf(text).forEach((sentence, index) => {
    let cut = ` ${sentence} `;
    for (const { t, long } of own)
      if (long) cut = cut.split(`${t} `).join(" | ");
      else if (sentence === t) cut = " | ";
    // Only templates whose longest fixed word is still in the sentence can match (the regex decides).
    for (const i of candidatePatterns(cut, byWord)) cut = cut.replace(patterns[i]!.pattern, " | ");
    cut.split("|").forEach((part, k) => {
      if (k > 0) segments.push([]);
      for (const w of part.trim().split(" "))
        if (w) segments[segments.length - 1]!.push({ w: isNumber(w) ? "0" : w, sentence: index });
    });
  });
  return { normal, segments: segments.filter((seg) => seg.length > 0) };
}

/** A run of ASCII digits (what `/^\d+$/` tests, without a regex per word). */
function isNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return word.length > 0;
}

function gramsOf(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + NGRAM <= words.length; i++) out.push(words.slice(i, i + NGRAM).join(" "));
  return out;
}

/**
 * Words left after removing boilerplate, as runs: every sentence that holds a boilerplate 13-gram
 * goes (a constraint sentence's variable parts go with it); a removed sentence splits a run.
 */
function remainderRuns(segments: Word[][], boilerplate: ReadonlySet<string>): string[][] {
  const removedSentences = new Set<number>();
  if (boilerplate.size)
    for (const seg of segments) {
      const words = seg.map((x) => x.w);
      for (let i = 0; i + NGRAM <= words.length; i++)
        if (boilerplate.has(words.slice(i, i + NGRAM).join(" ")))
          for (let j = i; j < i + NGRAM; j++) removedSentences.add(seg[j]!.sentence);
    }
  const runs: string[][] = [];
  for (const seg of segments) {
    let run: string[] = [];
    for (const x of seg) {
      if (removedSentences.has(x.sentence)) {
        if (run.length) runs.push(run);
        run = [];
      } else run.push(x.w);
    }
    if (run.length) runs.push(run);
  }
  return runs;
}

export type BenchmarkPromptRef = { position: number; prompt: string };

export type DecontamMatch = {
  set: string;
  position: number;
  prompt: string;
  /** Shared 13-grams ÷ the instruction's 13-grams (1 for an equal remainder or an equal prompt). */
  overlap: number;
  reason: "equal" | "ngram";
};

/** One benchmark set, indexed for checking instructions against it. */
export class BenchmarkIndex {
  readonly boilerplate: ReadonlySet<string>;
  private readonly byGram = new Map<string, number[]>();
  private readonly byRemainder = new Map<string, number>();
  private readonly byNormal = new Map<string, number>();

  constructor(
    readonly set: string,
    private readonly prompts: readonly BenchmarkPromptRef[],
  ) {
    const prepared = prompts.map((p) => prepare(p.prompt));
    const df = new Map<string, number>();
    for (const p of prepared) {
      const seen = new Set(p.segments.flatMap((seg) => gramsOf(seg.map((x) => x.w))));
      for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1);
    }
    // A 13-gram of a single prompt is never boilerplate (in a set under 100 prompts, 1% is less than one).
    const limit = Math.max(1, prompts.length * BOILERPLATE_SHARE);
    this.boilerplate = new Set([...df].filter(([, n]) => n > limit).map(([g]) => g));
    prepared.forEach((p, i) => {
      this.byNormal.set(p.normal, i);
      const runs = remainderRuns(p.segments, this.boilerplate);
      const remainder = runs.map((r) => r.join(" ")).join(" ");
      if (remainder.split(" ").length >= MIN_REMAINDER_WORDS) this.byRemainder.set(remainder, i);
      for (const g of new Set(runs.flatMap(gramsOf))) {
        const list = this.byGram.get(g);
        if (list) list.push(i);
        else this.byGram.set(g, [i]);
      }
    });
  }

  get size(): number {
    return this.prompts.length;
  }

  /** The best match of an instruction in this set, or null. */
  check(instruction: string, constraintTexts: readonly string[] = []): DecontamMatch | null {
    return this.checkPrepared(prepare(instruction, constraintTexts));
  }

  /** check(), on an instruction already prepared (prepare() does not depend on the set). */
  checkPrepared(p: Prepared): DecontamMatch | null {
    const match = (i: number, overlap: number, reason: DecontamMatch["reason"]): DecontamMatch => ({
      set: this.set,
      position: this.prompts[i]!.position,
      prompt: this.prompts[i]!.prompt,
      overlap,
      reason,
    });
    const equal = this.byNormal.get(p.normal);
    if (equal !== undefined) return match(equal, 1, "equal");
    // Each segment's 13-grams are built once (most instructions hold no boilerplate: then the
    // remainder is the segments themselves, and so are its 13-grams).
    p.segmentGrams ??= p.segments.map((seg) => gramsOf(seg.map((x) => x.w)));
    const clean = !p.segmentGrams.some((grams) => grams.some((g) => this.boilerplate.has(g)));
    const runs = clean ? p.segments.map((seg) => seg.map((x) => x.w)) : remainderRuns(p.segments, this.boilerplate);
    const words = runs.reduce((n, r) => n + r.length, 0);
    if (words < MIN_REMAINDER_WORDS) return null;
    const sameRemainder = this.byRemainder.get(runs.map((r) => r.join(" ")).join(" "));
    if (sameRemainder !== undefined) return match(sameRemainder, 1, "equal");
    const grams = [...new Set(clean ? p.segmentGrams.flat() : runs.flatMap(gramsOf))];
    if (grams.length === 0) return null;
    const shared = new Map<number, number>();
    for (const g of grams) for (const i of this.byGram.get(g) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
    let best = -1;
    let bestCount = 0;
    for (const [i, n] of shared) if (n > bestCount || (n === bestCount && i < best)) [best, bestCount] = [i, n];
    return best < 0 ? null : match(best, bestCount / grams.length, "ngram");
  }

  /** The 13-grams an instruction shares with a prompt of the set (what makes a match real). */
  sharedText(instruction: string, position: number, constraintTexts: readonly string[] = []): string[] {
    const i = this.prompts.findIndex((p) => p.position === position);
    if (i < 0) return [];
    const mine = new Set(
      remainderRuns(prepare(instruction, constraintTexts).segments, this.boilerplate).flatMap(gramsOf),
    );
    return [...mine].filter((g) => this.byGram.get(g)?.includes(i));
  }
}

/** Checks an instruction against every set; the matches, one per set at most. */
export function checkInstruction(
  indexes: readonly BenchmarkIndex[],
  instruction: string,
  constraintTexts: readonly string[] = [],
): DecontamMatch[] {
  if (indexes.length === 0) return [];
  const prepared = prepare(instruction, constraintTexts);
  return indexes.flatMap((index) => index.checkPrepared(prepared) ?? []);
}
