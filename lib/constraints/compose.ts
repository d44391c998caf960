/**
 * Composing verifiable constraints onto a seed instruction (FCI's "complex to simple" step,
 * spec §8.2–§8.4).
 *
 * Algorithm (per seed, deterministic for a given rng seed):
 * 1. target = uniform integer in count (default 3..5). Draw ids uniformly from the allowed ids:
 *    a first draw of constrained_response stops at that one id; a first draw of json_format adds
 *    one of {forbidden_words, existence} and stops; any other draw that conflicts with an id
 *    already chosen is redrawn (more than 1000 redraws: stop with what is chosen); else appended,
 *    until target.
 * 2. Values come from the spec's pools; keywords (existence, frequency, forbidden_words,
 *    nth_paragraph_first_word) come from the caller's `keywordSource(seedText)`: a random entry,
 *    its first space-separated token. When the source yields nothing usable, three random words
 *    of our built-in list stand in.
 * 3. Each id gets one random template with its slots filled.
 * 4. prompt = seedText + Σ(text + ". ") in chosen order. With repeat_prompt, that body (without the
 *    repeat sentence) becomes `prompt_to_repeat` and the repeat template is put before it
 *    (position start; the template ends with "\n") or after it (position end; begins with "\n").
 *
 * `seedText` is used as given: FCI's released data joined instruction and input with no separator.
 *
 * ECD Studio addition (`avoidContradictions`, on by default): FCI's table lets through some
 * combinations that no response can satisfy. With the option on, composition also treats
 * english_lowercase × multiple_sections (the spliters are capitalised) and, when the seed text
 * holds a comma, repeat_prompt × no_comma as conflicts, and redraws a value that contradicts
 * another constraint's fixed text: a forbidden word that an existence/frequency keyword, the first
 * word, the end phrase, the postscript marker or a section label contains; a "less than" letter or
 * keyword count already reached by that fixed text; a "less than" capital-word count reached by
 * all-caps section labels; a "Section" spliter next to english_capital. Pass `false` for FCI's
 * exact behaviour.
 */
import { conflictsWithAny } from "./conflicts";
import { renderConstraint, repeatPromptPosition } from "./describe";
import { CONSTRAINT_IDS, isConstraintId, type ConstraintId, type Kwargs } from "./ids";
import { pyFindAllCount, pyIsUpper, pyLower, pyRegex, pySearch, pyStrip } from "./python";
import { createRng, type Rng } from "./rng";

// ---------------------------------------------------------------------------------------------
// Value pools (spec §8.2)
// ---------------------------------------------------------------------------------------------

export const RELATIONS = ["at least", "less than"] as const;
export type Relation = (typeof RELATIONS)[number];

export const VALUE_POOLS = {
  keywordFrequency: [2, 3, 4],
  letters: ["t", "o", "c", "e", "p", "l", "j", "q", "n", "a", "y", "i", "w", "m"],
  letterFrequency: { min: 3, max: 8 },
  languages: [
    "bn",
    "kn",
    "pa",
    "mr",
    "fa",
    "vi",
    "ko",
    "sw",
    "ru",
    "hi",
    "bg",
    "pt",
    "te",
    "it",
    "ar",
    "ta",
    "fi",
    "ne",
    "ur",
    "th",
    "gu",
    "de",
  ],
  numSentences: [3, 4, 5],
  numParagraphs: [2, 3, 4],
  numWords: { "at least": { min: 10, max: 25 }, "less than": { min: 30, max: 100 } },
  nthNumParagraphs: [2, 3, 4],
  numPlaceholders: [1, 2, 3],
  postscriptMarkers: ["P.P.S", "P.S."],
  numBullets: [2, 3, 4],
  numHighlights: [1, 2, 3],
  sectionSpliters: ["SECTION", "Section"],
  numSections: [3, 4, 5],
  endPhrases: [
    "Is there anything else I can help with?",
    "Hope you agree with me.",
    "Let me know if you have additional questions.",
    "your love, and thanks.",
    "That is all you need!",
  ],
  capitalFrequency: [1, 2, 3, 4],
} as const;

/**
 * Our fallback keyword list (used when the keyword source gives nothing usable): plain, common,
 * regex-safe English words.
 */
export const FALLBACK_WORDS: readonly string[] = [
  "garden",
  "river",
  "window",
  "market",
  "winter",
  "bridge",
  "candle",
  "forest",
  "harbor",
  "island",
  "journey",
  "kitchen",
  "ladder",
  "meadow",
  "needle",
  "orange",
  "pencil",
  "planet",
  "rocket",
  "saddle",
  "silver",
  "spring",
  "statue",
  "summer",
  "ticket",
  "tunnel",
  "valley",
  "violin",
  "wallet",
  "wizard",
  "anchor",
  "basket",
  "butter",
  "camera",
  "canyon",
  "castle",
  "cotton",
  "desert",
  "dragon",
  "engine",
  "feather",
  "finger",
  "flower",
  "galaxy",
  "guitar",
  "hammer",
  "helmet",
  "jungle",
  "kettle",
  "lemon",
  "magnet",
  "mirror",
  "monkey",
  "mountain",
  "museum",
  "napkin",
  "ocean",
  "office",
  "palace",
  "parrot",
  "pepper",
  "pillow",
  "puzzle",
  "rabbit",
  "rainbow",
  "ribbon",
  "school",
  "shadow",
  "shovel",
  "signal",
  "spider",
  "stone",
  "sunset",
  "tablet",
  "teacher",
  "thunder",
  "tomato",
  "tower",
  "travel",
  "turtle",
  "village",
  "voyage",
  "water",
  "weather",
  "whistle",
  "wonder",
  "yellow",
  "zebra",
  "cloud",
  "copper",
  "lantern",
  "compass",
  "harvest",
  "horizon",
  "library",
  "marble",
  "orchard",
  "paper",
  "pocket",
  "season",
];

/** Ids whose kwargs carry a word from the keyword source. */
const KEYWORD_IDS: ReadonlySet<ConstraintId> = new Set<ConstraintId>([
  "keywords:existence",
  "keywords:frequency",
  "keywords:forbidden_words",
  "length_constraints:nth_paragraph_first_word",
]);

/** Ids without drawn values (repeat_prompt's value is the prompt body, filled in at the end). */
const FIXED_VALUE_IDS: ReadonlySet<ConstraintId> = new Set<ConstraintId>([
  "detectable_format:constrained_response",
  "detectable_format:json_format",
  "detectable_format:title",
  "combination:two_responses",
  "combination:repeat_prompt",
  "change_case:english_capital",
  "change_case:english_lowercase",
  "punctuation:no_comma",
  "startend:quotation",
]);

const JSON_COMPANIONS: readonly ConstraintId[] = ["keywords:forbidden_words", "keywords:existence"];
const MAX_REDRAWS = 1000;
const MAX_VALUE_RETRIES = 50;
const MAX_VALUE_RESTARTS = 20;

// ---------------------------------------------------------------------------------------------
// Keywords
// ---------------------------------------------------------------------------------------------

/** Characters a keyword may not contain: the checks use keywords as unescaped regexes. */
const UNSAFE_KEYWORD = /[\\^$.|?*+()[\]{},<>"]/;
/** Quotes and brackets around a token, and sentence punctuation after it. */
const EDGE_PUNCTUATION = /^["'“”‘’«»([{]+|["'“”‘’«»)\]}.,;:!?]+$/gu;

/**
 * FCI keeps the first space-separated token of a keyword entry. We also trim punctuation from its
 * ends and refuse tokens that are not plain words (a keyword is an unescaped regex for the
 * checker, so "C++" or "U.S." would break or change meaning). Returns null when unusable.
 */
export function keywordToken(entry: string, forFirstWord = false): string | null {
  if (typeof entry !== "string") return null;
  const first = entry.trim().split(" ")[0] ?? "";
  const token = first.replace(EDGE_PUNCTUATION, "");
  if (!token || /\s/u.test(token) || UNSAFE_KEYWORD.test(token)) return null;
  // At least two characters and a letter: "C" or "42" would match almost any answer.
  if (Array.from(token).length < 2 || !/\p{L}/u.test(token)) return null;
  // nth_paragraph_first_word stops the first word at ' and " (spec §2.1), so such a word could never match.
  if (forFirstWord && token.includes("'")) return null;
  return token;
}

class KeywordPicker {
  private fallback: string[] | null = null;
  constructor(
    private readonly entries: readonly string[],
    private readonly rng: Rng,
  ) {}

  /** One keyword: a random usable entry's token, else one of three random fallback words. */
  pick(forFirstWord: boolean): string {
    if (this.entries.length > 0) {
      // Up to a few random entries first (the common case: the first one is fine).
      for (let i = 0; i < Math.max(3, this.entries.length); i++) {
        const token = keywordToken(this.rng.choice(this.entries), forFirstWord);
        if (token) return token;
      }
    }
    this.fallback ??= this.rng.shuffle(FALLBACK_WORDS).slice(0, 3);
    return this.rng.choice(this.fallback);
  }
}

// ---------------------------------------------------------------------------------------------
// Kwargs sampling
// ---------------------------------------------------------------------------------------------

/**
 * Draws kwargs for one id from the spec's pools, exactly as the checker consumes them.
 * `word` supplies keywords; `promptToRepeat` is repeat_prompt's value (compose fills it later).
 */
export function sampleKwargs(
  id: ConstraintId,
  rng: Rng,
  word: (forFirstWord: boolean) => string,
  promptToRepeat = "",
): Kwargs {
  const P = VALUE_POOLS;
  switch (id) {
    case "keywords:existence":
      return { keywords: [word(false)] };
    case "keywords:frequency":
      return { keyword: word(false), frequency: rng.choice(P.keywordFrequency), relation: rng.choice(RELATIONS) };
    case "keywords:forbidden_words":
      return { forbidden_words: [word(false)] };
    case "keywords:letter_frequency":
      return {
        letter: rng.choice(P.letters),
        let_frequency: rng.int(P.letterFrequency.min, P.letterFrequency.max),
        let_relation: rng.choice(RELATIONS),
      };
    case "language:response_language":
      return { language: rng.choice(P.languages) };
    case "length_constraints:number_sentences":
      return { num_sentences: rng.choice(P.numSentences), relation: rng.choice(RELATIONS) };
    case "length_constraints:number_paragraphs":
      return { num_paragraphs: rng.choice(P.numParagraphs) };
    case "length_constraints:number_words": {
      const relation = rng.choice(RELATIONS);
      const range = P.numWords[relation];
      return { num_words: rng.int(range.min, range.max), relation };
    }
    case "length_constraints:nth_paragraph_first_word": {
      const num = rng.choice(P.nthNumParagraphs);
      return { num_paragraphs: num, nth_paragraph: rng.int(1, num), first_word: word(true) };
    }
    case "detectable_content:number_placeholders":
      return { num_placeholders: rng.choice(P.numPlaceholders) };
    case "detectable_content:postscript":
      return { postscript_marker: rng.choice(P.postscriptMarkers) };
    case "detectable_format:number_bullet_lists":
      return { num_bullets: rng.choice(P.numBullets) };
    case "detectable_format:number_highlighted_sections":
      return { num_highlights: rng.choice(P.numHighlights) };
    case "detectable_format:multiple_sections":
      return { section_spliter: rng.choice(P.sectionSpliters), num_sections: rng.choice(P.numSections) };
    case "combination:repeat_prompt":
      return { prompt_to_repeat: promptToRepeat };
    case "startend:end_checker":
      return { end_phrase: rng.choice(P.endPhrases) };
    case "change_case:capital_word_frequency":
      return { capital_frequency: rng.choice(P.capitalFrequency), capital_relation: rng.choice(RELATIONS) };
    case "detectable_format:constrained_response":
    case "detectable_format:json_format":
    case "detectable_format:title":
    case "combination:two_responses":
    case "change_case:english_capital":
    case "change_case:english_lowercase":
    case "punctuation:no_comma":
    case "startend:quotation":
      return {};
  }
}

// ---------------------------------------------------------------------------------------------
// Contradictions (ECD Studio addition, see the header)
// ---------------------------------------------------------------------------------------------

interface Item {
  id: ConstraintId;
  kwargs: Kwargs;
}

/** Pairs that no response can satisfy whatever the values (beyond FCI's table). */
export function contradictoryPair(a: ConstraintId, b: ConstraintId, seedText: string): boolean {
  const has = (x: ConstraintId, y: ConstraintId) => (a === x && b === y) || (a === y && b === x);
  if (has("change_case:english_lowercase", "detectable_format:multiple_sections")) return true;
  if (has("combination:repeat_prompt", "punctuation:no_comma") && seedText.includes(",")) return true;
  return false;
}

/** Text the response must contain because of this constraint (compared case-insensitively). */
function requiredTexts(item: Item): string[] {
  const k = item.kwargs;
  switch (item.id) {
    case "keywords:existence":
      return (k.keywords as string[]).slice();
    case "keywords:frequency":
      return k.relation === "at least" ? Array<string>(Number(k.frequency)).fill(pyStrip(String(k.keyword))) : [];
    case "length_constraints:nth_paragraph_first_word":
      return [String(k.first_word)];
    case "startend:end_checker":
      return [String(k.end_phrase)];
    case "detectable_content:postscript":
      return [String(k.postscript_marker)];
    case "detectable_format:multiple_sections":
      return Array.from({ length: Number(k.num_sections) }, (_, i) => `${String(k.section_spliter)} ${i + 1}`);
    default:
      return [];
  }
}

function contradicts(item: Item, others: readonly Item[]): boolean {
  const othersRequired = others.flatMap(requiredTexts);
  const k = item.kwargs;
  switch (item.id) {
    case "keywords:forbidden_words": {
      const words = k.forbidden_words as string[];
      return words.some((w) => othersRequired.some((t) => pySearch(pyRegex(`\\b${w}\\b`, { ignoreCase: true }), t)));
    }
    case "keywords:letter_frequency": {
      if (k.let_relation !== "less than") return false;
      const letter = pyLower(String(k.letter));
      let count = 0;
      for (const t of othersRequired) for (const ch of pyLower(t)) if (ch === letter) count++;
      return count >= Number(k.let_frequency);
    }
    case "keywords:frequency": {
      if (k.relation !== "less than") return false;
      const p = pyRegex(pyStrip(String(k.keyword)), { ignoreCase: true });
      let count = 0;
      for (const t of othersRequired) count += pyFindAllCount(p, t);
      return count >= Number(k.frequency);
    }
    case "change_case:capital_word_frequency": {
      if (k.capital_relation !== "less than") return false;
      const labels = others
        .filter((o) => o.id === "detectable_format:multiple_sections" && pyIsUpper(String(o.kwargs.section_spliter)))
        .reduce((n, o) => n + Number(o.kwargs.num_sections), 0);
      return labels >= Number(k.capital_frequency);
    }
    case "punctuation:no_comma":
      // e.g. the end phrase "your love, and thanks." must appear verbatim, comma included.
      return othersRequired.some((t) => t.includes(","));
    case "detectable_format:multiple_sections":
      return !pyIsUpper(String(k.section_spliter)) && others.some((o) => o.id === "change_case:english_capital");
    default:
      return false;
  }
}

/** True when some constraint of the set contradicts the fixed text of the others. */
export function hasContradiction(items: readonly Item[]): boolean {
  return items.some((item, i) =>
    contradicts(
      item,
      items.filter((_, j) => j !== i),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Composition
// ---------------------------------------------------------------------------------------------

export interface ComposeOptions {
  /** The seed instruction (FCI: instruction + input, joined as the caller wants). */
  seedText: string;
  /** A generator to draw from; or give `seed`. */
  rng?: Rng;
  seed?: number | string;
  /** Bounds of the target number of constraints (default 3..5, both inclusive). */
  count?: { min: number; max: number };
  /**
   * Keyword suggestions for the seed (FCI asks an LLM and parses the list after "keywords:").
   * Called at most once per composition, and only when a chosen id needs a word; an empty or
   * unusable list falls back to built-in words; a thrown error propagates to the caller.
   */
  keywordSource: (seedText: string) => readonly string[] | Promise<readonly string[]>;
  /** Only draw from these ids (default: all 25). */
  ids?: readonly ConstraintId[];
  /** Refuse combinations no response can satisfy (default true; false = FCI's exact behaviour). */
  avoidContradictions?: boolean;
}

export interface ComposedConstraints {
  prompt: string;
  instruction_id_list: ConstraintId[];
  /** kwargs[i] for instruction_id_list[i], exactly as the checker consumes them. */
  kwargs: Kwargs[];
  /** The rendered instruction text of each constraint (shown to the teacher). */
  constraints: string[];
}

/** Step 1 of §8.4: which ids, in which order. */
export function drawConstraintIds(
  rng: Rng,
  options: {
    count?: { min: number; max: number };
    ids?: readonly ConstraintId[];
    clash?: (a: ConstraintId, b: ConstraintId) => boolean;
  } = {},
): ConstraintId[] {
  const allowed = options.ids ? [...new Set(options.ids)] : [...CONSTRAINT_IDS];
  if (allowed.length === 0) throw new Error("composeConstraints: no constraint ids allowed");
  for (const id of allowed) if (!isConstraintId(id)) throw new Error(`composeConstraints: unknown constraint id ${id}`);
  const { min, max } = options.count ?? { min: 3, max: 5 };
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) {
    throw new Error(`composeConstraints: count must satisfy 1 <= min <= max (got ${min}..${max})`);
  }
  const clash = (id: ConstraintId, chosen: readonly ConstraintId[]) =>
    conflictsWithAny(id, chosen) || (options.clash ? chosen.some((c) => options.clash!(id, c)) : false);

  const target = rng.int(min, max);
  const chosen: ConstraintId[] = [];
  let redraws = 0;
  while (chosen.length < target) {
    // When nothing allowed can be added any more, FCI's loop would burn its 1000 redraws and stop
    // with the same list; stop now.
    if (chosen.length > 0 && allowed.every((id) => clash(id, chosen))) break;
    const id = rng.choice(allowed);
    if (chosen.length === 0) {
      if (id === "detectable_format:constrained_response") {
        chosen.push(id);
        break;
      }
      if (id === "detectable_format:json_format") {
        chosen.push(id);
        const companions = JSON_COMPANIONS.filter((c) => allowed.includes(c));
        if (companions.length > 0 && max >= 2) chosen.push(rng.choice(companions));
        break;
      }
    }
    if (clash(id, chosen)) {
      redraws++;
      if (redraws > MAX_REDRAWS) break;
      continue;
    }
    chosen.push(id);
  }
  return chosen;
}

/** Composes constraints onto a seed instruction (spec §8.4). Deterministic for a given seed. */
export async function composeConstraints(options: ComposeOptions): Promise<ComposedConstraints> {
  const { seedText, keywordSource } = options;
  if (typeof seedText !== "string" || pyStrip(seedText) === "") {
    throw new TypeError("composeConstraints: seedText must be a non-blank string");
  }
  const rng = options.rng ?? (options.seed !== undefined ? createRng(options.seed) : undefined);
  if (!rng) throw new Error("composeConstraints: give either rng or seed");
  const guard = options.avoidContradictions ?? true;

  const ids = drawConstraintIds(rng, {
    count: options.count,
    ids: options.ids,
    clash: guard ? (a, b) => contradictoryPair(a, b, seedText) : undefined,
  });

  // Keywords: one call to the source, only when some chosen id needs a word.
  let entries: readonly string[] = [];
  if (ids.some((id) => KEYWORD_IDS.has(id))) {
    const got = await keywordSource(seedText);
    entries = Array.isArray(got) ? got.filter((e): e is string => typeof e === "string") : [];
  }
  const picker = new KeywordPicker(entries, rng);
  const word = (forFirstWord: boolean) => picker.pick(forFirstWord);

  // Values. Parameterless ids first so that a contradiction is always resolved by redrawing a
  // parameterised one; the output keeps the chosen order.
  const kwargs: Kwargs[] = ids.map(() => ({}));
  const order = ids
    .map((id, index) => ({ id, index, fixed: FIXED_VALUE_IDS.has(id) }))
    .sort((a, b) => Number(b.fixed) - Number(a.fixed) || a.index - b.index);
  // A value no redraw can reconcile with an earlier one (e.g. a "less than 3" letter "c" drawn
  // before four "SECTION" labels) restarts the value phase.
  for (let restart = 0; restart < MAX_VALUE_RESTARTS; restart++) {
    const valued: Item[] = [];
    let consistent = true;
    for (const { id, index } of order) {
      let value = sampleKwargs(id, rng, word);
      if (guard) {
        for (
          let attempt = 0;
          attempt < MAX_VALUE_RETRIES && hasContradiction([...valued, { id, kwargs: value }]);
          attempt++
        ) {
          value = sampleKwargs(id, rng, word);
        }
        if (hasContradiction([...valued, { id, kwargs: value }])) consistent = false;
      }
      kwargs[index] = value;
      valued.push({ id, kwargs: value });
      // On the last round keep going: every id must end up with values.
      if (!consistent && restart < MAX_VALUE_RESTARTS - 1) break;
    }
    if (consistent) break;
  }

  // Texts, in chosen order.
  const constraints = ids.map((id, i) => renderConstraint(id, kwargs[i]!, rng));

  let body = seedText;
  ids.forEach((id, i) => {
    if (id !== "combination:repeat_prompt") body += `${constraints[i]}. `;
  });
  let prompt = body;
  const repeatIndex = ids.indexOf("combination:repeat_prompt");
  if (repeatIndex >= 0) {
    const template = constraints[repeatIndex]!;
    kwargs[repeatIndex] = { prompt_to_repeat: body };
    prompt = repeatPromptPosition(template) === "start" ? template + body : body + template;
  }

  return { prompt, instruction_id_list: ids, kwargs, constraints };
}
