/**
 * Language identification that gives the same answers as Python's langdetect 1.0.9 with
 * `DetectorFactory.seed = 0` (the setting of the official IFEval evaluator).
 *
 * Method (Shuyo's naive-Bayes detector over character 1–3-grams):
 *  1. Text preparation: URLs and e-mail addresses become a space, Vietnamese base letter +
 *     combining tone mark pairs are composed, only the first 10,000 code points are kept and runs of
 *     spaces are collapsed. When non-Latin characters outnumber twice the ASCII letters, the
 *     characters between 'A' and 'z' are dropped.
 *  2. Every code point is normalised (ASCII non-letters and general punctuation to a space, kana,
 *     bopomofo and hangul to one representative each, kanji to the first member of its class, a few
 *     Romanian/Farsi/Vietnamese variants) and pushed into a 3-character window; the 1-, 2- and
 *     3-grams ending at that point are features when a profile knows them. Inside a word written
 *     in capitals (two upper-case characters in a row) nothing is collected.
 *  3. Seven trials, each from a uniform prior, smoothing alpha = 0.5 + N(0,1) * 0.05: repeatedly pick
 *     a random feature and multiply every language's score by (alpha / 10000 + P(feature | lang));
 *     every 5th step (step 0 included) renormalise and stop once a score exceeds 0.99999 or after step
 *     1000. The trial scores are averaged; the best language above 0.1 wins ("unknown" if none).
 *  4. Randomness is CPython's `random.Random` re-seeded with 0 for every detection, so a text always
 *     gets the same answer.
 *
 * The profiles are a static import (the module must work in the browser, without fs); they are
 * decoded into lookup tables on the first detection only.
 */

import {
  LANGDETECT_FREQ,
  LANGDETECT_KANJI,
  LANGDETECT_LANGS,
  LANGDETECT_NWORDS,
} from "./langdetect-profiles.generated";
import { bitLength, PyRandom } from "./py-random";

/** Raised when the text has no usable n-gram (langdetect's "No features in text."). */
export class LangDetectError extends Error {
  constructor(message = "No features in text.") {
    super(message);
    this.name = "LangDetectError";
  }
}

const SEED = 0;
const TRIALS = 7;
const ALPHA = 0.5;
const ALPHA_WIDTH = 0.05;
const ITERATION_LIMIT = 1000;
const PROB_THRESHOLD = 0.1;
const CONV_THRESHOLD = 0.99999;
const BASE_FREQ = 10000;
const MAX_TEXT_LENGTH = 10000;
const UNKNOWN = "unknown";

// ASCII-only patterns, so UTF-16 vs code point indexing makes no difference.
const URL_RE = /https?:\/\/[-_.?&~;+=/#0-9A-Za-z]{1,2076}/g;
const MAIL_RE = /[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}/g;

// Vietnamese: vowel (column) + combining mark (row) -> precomposed letter.
const VI_BASES = "AEIOUYaeiouy\u00c2\u00ca\u00d4\u00e2\u00ea\u00f4\u0102\u0103\u01a0\u01a1\u01af\u01b0";
const VI_MARKS = "\u0300\u0301\u0303\u0309\u0323";
const VI_COMPOSED: readonly string[] = [
  "\u00C0\u00C8\u00CC\u00D2\u00D9\u1EF2\u00E0\u00E8\u00EC\u00F2\u00F9\u1EF3\u1EA6\u1EC0\u1ED2\u1EA7\u1EC1\u1ED3\u1EB0\u1EB1\u1EDC\u1EDD\u1EEA\u1EEB",
  "\u00C1\u00C9\u00CD\u00D3\u00DA\u00DD\u00E1\u00E9\u00ED\u00F3\u00FA\u00FD\u1EA4\u1EBE\u1ED0\u1EA5\u1EBF\u1ED1\u1EAE\u1EAF\u1EDA\u1EDB\u1EE8\u1EE9",
  "\u00C3\u1EBC\u0128\u00D5\u0168\u1EF8\u00E3\u1EBD\u0129\u00F5\u0169\u1EF9\u1EAA\u1EC4\u1ED6\u1EAB\u1EC5\u1ED7\u1EB4\u1EB5\u1EE0\u1EE1\u1EEE\u1EEF",
  "\u1EA2\u1EBA\u1EC8\u1ECE\u1EE6\u1EF6\u1EA3\u1EBB\u1EC9\u1ECF\u1EE7\u1EF7\u1EA8\u1EC2\u1ED4\u1EA9\u1EC3\u1ED5\u1EB2\u1EB3\u1EDE\u1EDF\u1EEC\u1EED",
  "\u1EA0\u1EB8\u1ECA\u1ECC\u1EE4\u1EF4\u1EA1\u1EB9\u1ECB\u1ECD\u1EE5\u1EF5\u1EAC\u1EC6\u1ED8\u1EAD\u1EC7\u1ED9\u1EB6\u1EB7\u1EE2\u1EE3\u1EF0\u1EF1",
];
const VI_PAIR_RE = new RegExp(`([${VI_BASES}])([${VI_MARKS}])`, "g");

const UPPERCASE_RE = /^\p{Uppercase}$/u;

interface Tables {
  /** gramKey(gram) -> offset into `langIdx`/`probs` (see gramOffset); `ends[offset]` is the end of its run. */
  index: GramIndex;
  ends: Int32Array;
  langIdx: Uint8Array;
  probs: Float64Array;
  langs: readonly string[];
  /** CJK Unified Ideograph (code point - 0x4e00) -> the code of its class's first member, 0 for none. */
  kanji: Uint16Array;
}

let tables: Tables | null = null;

const KANJI_FIRST = 0x4e00;
const KANJI_LAST = 0x9fff;

/**
 * gramKey -> offset, an open-addressing hash table over typed arrays. A 1-3-gram of BMP code
 * units is one number (c1, c1*2^16+c2, (c1*2^16+c2)*2^16+c3): cheaper to look up than a freshly
 * concatenated string, and a Map with these keys (up to 48 bits, past the small-integer range)
 * would box every key it is asked for. No character of a window is U+0000 (it normalises to a
 * space), so keys of different lengths never collide.
 */
interface GramIndex {
  keys: Float64Array;
  offsets: Int32Array;
  mask: number;
}

function slotOf(key: number, mask: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) & mask;
}

function newGramIndex(size: number): GramIndex {
  let capacity = 1;
  while (capacity < size * 2) capacity *= 2;
  return { keys: new Float64Array(capacity).fill(-1), offsets: new Int32Array(capacity), mask: capacity - 1 };
}

/** The slot holding `key`, or the empty slot where it belongs. */
function slotFor(index: GramIndex, key: number): number {
  const { keys, mask } = index;
  let slot = slotOf(key, mask);
  while (keys[slot] !== key && keys[slot] !== -1) slot = (slot + 1) & mask;
  return slot;
}

/** The gram's offset, or -1 when no profile has it. */
function gramOffset(index: GramIndex, key: number): number {
  const { keys, mask } = index;
  for (let slot = slotOf(key, mask); ; slot = (slot + 1) & mask) {
    const k = keys[slot]!;
    if (k === key) return index.offsets[slot]!;
    if (k === -1) return -1;
  }
}

/** `UPPERCASE_RE.test(char)`, with ASCII decided without the regex and BMP answers cached (0 = not asked yet). */
const upperCache = new Int8Array(0x10000);
function isUppercase(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a;
  if (cp > 0xffff) return UPPERCASE_RE.test(String.fromCodePoint(cp));
  let known = upperCache[cp]!;
  if (known === 0) {
    known = UPPERCASE_RE.test(String.fromCharCode(cp)) ? 1 : 2;
    upperCache[cp] = known;
  }
  return known === 1;
}

/**
 * Decodes the generated profile strings into a sparse gram -> (language, probability) table: one
 * pass over the character codes (no substrings), then the entries grouped by gram, languages in
 * profile order.
 */
function buildTables(): Tables {
  const langs = LANGDETECT_LANGS;
  let total = 0;
  for (const s of LANGDETECT_FREQ) for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 44 /* , */) total++;

  const index = newGramIndex(total);
  const entryGram = new Int32Array(total);
  const entryLang = new Uint8Array(total);
  const entryProb = new Float64Array(total);
  const gramSize = new Int32Array(total);
  let grams = 0;
  let e = 0;
  for (let li = 0; li < langs.length; li++) {
    const s = LANGDETECT_FREQ[li]!;
    let pos = 0;
    while (pos < s.length) {
      // All profile grams are BMP-only, so UTF-16 length equals the code point count.
      let key = 0;
      let n = 0;
      let c = s.charCodeAt(pos);
      while (c < 48 || c > 57) {
        key = key * 65536 + c;
        n++;
        c = s.charCodeAt(++pos);
      }
      let count = 0; // exact: counts are safe integers
      while (c !== 44) {
        count = count * 10 + (c - 48);
        c = s.charCodeAt(++pos);
      }
      pos++;
      const slot = slotFor(index, key);
      if (index.keys[slot] === -1) {
        index.keys[slot] = key;
        index.offsets[slot] = grams++;
      }
      const gram = index.offsets[slot]!;
      entryGram[e] = gram;
      entryLang[e] = li;
      // Same double division as the reference: count / total of n-grams of that length.
      entryProb[e] = count / LANGDETECT_NWORDS[li * 3 + n - 1]!;
      gramSize[gram]!++;
      e++;
    }
  }

  const start = new Int32Array(grams + 1);
  for (let g = 0; g < grams; g++) start[g + 1] = start[g]! + gramSize[g]!;
  const next = start.slice(0, grams);
  const langIdx = new Uint8Array(total);
  const probs = new Float64Array(total);
  const ends = new Int32Array(total);
  for (let k = 0; k < total; k++) {
    const at = next[entryGram[k]!]!++;
    langIdx[at] = entryLang[k]!;
    probs[at] = entryProb[k]!;
  }
  for (let g = 0; g < grams; g++) ends[start[g]!] = start[g + 1]!;
  for (let slot = 0; slot < index.keys.length; slot++) {
    if (index.keys[slot] !== -1) index.offsets[slot] = start[index.offsets[slot]!]!;
  }

  const kanji = new Uint16Array(KANJI_LAST - KANJI_FIRST + 1);
  for (const cls of LANGDETECT_KANJI) {
    const representative = cls.charCodeAt(0);
    for (let i = 0; i < cls.length; i++) {
      const cp = cls.charCodeAt(i);
      if (cp >= KANJI_FIRST && cp <= KANJI_LAST) kanji[cp - KANJI_FIRST] = representative;
    }
  }
  return { index, ends, langIdx, probs, langs, kanji };
}

function getTables(): Tables {
  if (tables === null) tables = buildTables();
  return tables;
}

/** Builds the profile tables now (a worker thread can do it while its input is still being read). */
export function loadLanguageProfiles(): void {
  getTables();
}

/** Per-character normalisation of the n-gram window (blocks as in langdetect's table), on code points. */
function normalizeChar(cp: number, kanji: Uint16Array): number {
  if (cp <= 0x7f) {
    // Basic Latin: only letters survive
    return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ? cp : 0x20;
  }
  if (cp <= 0xff) return cp === 0xa0 || cp === 0xab || cp === 0xb0 || cp === 0xbb ? 0x20 : cp; // Latin-1 separators
  if (cp >= 0x180 && cp <= 0x24f) {
    // Latin Extended-B: Romanian comma-below letters -> cedilla forms
    if (cp === 0x219) return 0x15f;
    if (cp === 0x21b) return 0x163;
    return cp;
  }
  if (cp >= 0x600 && cp <= 0x6ff) return cp === 0x6cc ? 0x64a : cp; // Farsi yeh -> Arabic yeh
  if (cp >= 0x1e00 && cp <= 0x1eff) return cp >= 0x1ea0 ? 0x1ec3 : cp; // Latin Extended Additional
  if (cp >= 0x2000 && cp <= 0x206f) return 0x20; // General Punctuation
  if (cp >= 0x3040 && cp <= 0x309f) return 0x3042; // Hiragana
  if (cp >= 0x30a0 && cp <= 0x30ff) return 0x30a2; // Katakana
  if ((cp >= 0x3100 && cp <= 0x312f) || (cp >= 0x31a0 && cp <= 0x31bf)) return 0x3105; // Bopomofo (+ Extended)
  if (cp >= KANJI_FIRST && cp <= KANJI_LAST) return kanji[cp - KANJI_FIRST]! || cp; // CJK Unified Ideographs
  if (cp >= 0xac00 && cp <= 0xd7af) return 0xac00; // Hangul Syllables
  return cp;
}

// Scratch buffers of one detection (detections run one at a time per thread).
const textBuffer = new Int32Array(MAX_TEXT_LENGTH);
const featureBuffer = new Int32Array(MAX_TEXT_LENGTH * 3);

/** Step 1: the code points the detector works on (a view of a scratch buffer). */
function prepareText(text: string): Int32Array {
  let t = text;
  // The patterns need these substrings; skipping a scan that cannot match changes nothing.
  if (t.includes("http")) t = t.replace(URL_RE, " ");
  if (t.includes("@")) t = t.replace(MAIL_RE, " ");
  t = t.replace(
    VI_PAIR_RE,
    (_m, base: string, mark: string) => VI_COMPOSED[VI_MARKS.indexOf(mark)]![VI_BASES.indexOf(base)]!,
  );

  const out = textBuffer;
  let n = 0;
  let prev = -1;
  let taken = 0;
  for (let i = 0; i < t.length;) {
    if (taken++ >= MAX_TEXT_LENGTH) break;
    const cp = t.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    if (cp !== 0x20 || prev !== 0x20) out[n++] = cp;
    prev = cp;
  }

  // Latin vs non-Latin census. In the reference, the test meant to exempt Latin Extended Additional
  // compares a block number to a block name and so never exempts anything: every code point from
  // U+0300 up counts as non-Latin.
  let latin = 0;
  let nonLatin = 0;
  for (let i = 0; i < n; i++) {
    const cp = out[i]!;
    if (cp >= 0x41 && cp <= 0x7a) latin++;
    else if (cp >= 0x300) nonLatin++;
  }
  if (latin * 2 < nonLatin) {
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const cp = out[i]!;
      if (cp < 0x41 || cp > 0x7a) out[kept++] = cp;
    }
    n = kept;
  }
  return out.subarray(0, n);
}

/** Step 2: feature n-grams (offsets into the tables), in text order (a view of a scratch buffer). */
function extractFeatures(chars: Int32Array, t: Tables): Int32Array {
  const features = featureBuffer;
  let count = 0;
  const { index, kanji } = t;
  // The window of up to three characters as BMP code units (k1 is the oldest; -1 for a non-BMP
  // character, which no profile has). It starts as a single space.
  let length = 1;
  let k1 = 32;
  let k2 = -1;
  let k3 = -1;
  let last = 32;
  let lastUpper = false;
  let capitalWord = false;
  for (let i = 0; i < chars.length; i++) {
    const cp = normalizeChar(chars[i]!, kanji);
    const code = cp > 0xffff ? -1 : cp;
    if (last === 32) {
      length = 1;
      k1 = 32;
      capitalWord = false;
      if (code === 32) continue; // window stays " ": nothing to collect
    } else if (length >= 3) {
      length = 2;
      k1 = k2;
      k2 = k3;
    }
    length++;
    if (length === 2) k2 = code;
    else k3 = code;
    last = code;
    const upper = isUppercase(cp);
    if (upper) {
      if (lastUpper) capitalWord = true;
    } else {
      capitalWord = false;
    }
    lastUpper = upper;
    if (capitalWord || code < 0) continue;

    if (code !== 32) {
      const at = gramOffset(index, code);
      if (at >= 0) features[count++] = at;
    }
    const prev = length === 2 ? k1 : k2;
    if (prev < 0) continue;
    const at2 = gramOffset(index, prev * 65536 + code);
    if (at2 >= 0) features[count++] = at2;
    if (length >= 3 && k1 >= 0) {
      const at3 = gramOffset(index, (k1 * 65536 + k2) * 65536 + code);
      if (at3 >= 0) features[count++] = at3;
    }
  }
  return features.subarray(0, count);
}

/** Renormalises in place (plain left-to-right sum) and returns the largest value. */
function normalize(prob: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < prob.length; i++) sum += prob[i]!;
  let max = 0;
  for (let i = 0; i < prob.length; i++) {
    const p = prob[i]! / sum;
    if (max < p) max = p;
    prob[i] = p;
  }
  return max;
}

// Per-detection work arrays (one entry per language; sized on first use).
let work = { prob: new Float64Array(0), result: new Float64Array(0), updated: new Float64Array(0) };

/**
 * Averaged language probabilities (same order as the profile list) of a non-empty feature list;
 * the array is reused by the next call.
 */
function languageProbabilities(features: Int32Array, t: Tables): Float64Array {
  const n = features.length;
  const nLang = t.langs.length;
  if (work.prob.length !== nLang) {
    work = { prob: new Float64Array(nLang), result: new Float64Array(nLang), updated: new Float64Array(nLang) };
  }
  const { prob, result, updated } = work;
  result.fill(0);
  const { ends, langIdx, probs } = t;
  const rng = seededRandom();
  const bits = bitLength(n);
  for (let trial = 0; trial < TRIALS; trial++) {
    prob.fill(1 / nLang);
    const alpha = ALPHA + rng.gauss(0, 1) * ALPHA_WIDTH;
    const weight = alpha / BASE_FREQ;
    for (let i = 0; ; i++) {
      // rng.choice(features): CPython's _randbelow(n), k-bit draws until one is below n
      let r = rng.getrandbits(bits);
      while (r >= n) r = rng.getrandbits(bits);
      const at = features[r]!;
      // prob[j] *= weight + P(gram | lang), where P = 0 (so the factor is exactly weight) for
      // languages that lack the gram: those of its run first, then every other language.
      const end = ends[at]!;
      for (let k = at; k < end; k++) updated[k - at] = prob[langIdx[k]!]! * (weight + probs[k]!);
      for (let j = 0; j < nLang; j++) prob[j] = prob[j]! * weight;
      for (let k = at; k < end; k++) prob[langIdx[k]!] = updated[k - at]!;
      if (i % 5 === 0 && (normalize(prob) > CONV_THRESHOLD || i >= ITERATION_LIMIT)) break;
    }
    for (let j = 0; j < nLang; j++) result[j] = result[j]! + prob[j]! / TRIALS;
  }
  return result;
}

export interface LanguageScore {
  lang: string;
  prob: number;
}

/**
 * The detections made so far inside `withDetectionMemo`, by feature list. The scores depend on
 * the features only (the generator is re-seeded for every detection), and texts that differ only
 * in what normalises to a space (a response and its copy without `*`) often share them.
 */
let memo: { features: Int32Array; scores: LanguageScore[] }[] | null = null;

function sameFeatures(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Runs `run` with detections remembered until it returns: for the texts of ONE response (its
 * loose variants, several instructions). Deliberately not a cache across responses.
 */
export function withDetectionMemo<T>(run: () => T): T {
  const outer = memo;
  memo = [];
  try {
    return run();
  } finally {
    memo = outer;
  }
}

/** A generator in the state of `new PyRandom(SEED)`, copied from a template (seeding costs more than copying). */
let seededTemplate: PyRandom | null = null;
function seededRandom(): PyRandom {
  seededTemplate ??= new PyRandom(SEED);
  return seededTemplate.clone();
}

/**
 * langdetect's `detect_langs`: languages with probability above 0.1, best first (ties keep profile
 * order). Throws LangDetectError when the text has no features.
 */
export function detectLanguageProbabilities(text: string): LanguageScore[] {
  const t = getTables();
  const features = extractFeatures(prepareText(text), t);
  if (features.length === 0) throw new LangDetectError();
  const known = memo?.find((detection) => sameFeatures(detection.features, features));
  if (known) return known.scores.map((score) => ({ ...score }));

  const prob = languageProbabilities(features, t);
  const out: LanguageScore[] = [];
  for (let i = 0; i < t.langs.length; i++)
    if (prob[i]! > PROB_THRESHOLD) out.push({ lang: t.langs[i]!, prob: prob[i]! });
  out.sort((a, b) => b.prob - a.prob); // stable: equal scores keep profile order
  memo?.push({ features: features.slice(), scores: out.map((score) => ({ ...score })) });
  return out;
}

/**
 * langdetect's `detect` with seed 0: the code of the most probable language ("en", "zh-cn", …), or
 * "unknown" when no language scores above 0.1. Throws LangDetectError when the text has no
 * features (e.g. only digits, punctuation or URLs).
 */
export function detectLanguage(text: string): string {
  return detectLanguageProbabilities(text)[0]?.lang ?? UNKNOWN;
}
