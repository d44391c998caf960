/**
 * Small text helpers shared by the pipelines and the roles: instruction comparison, template-word
 * leak detection, keywords from a seed's own words.
 */
import { TEMPLATE_MARKERS } from "./prompts";

/** Whitespace-collapsed, case-folded form used to compare instructions. */
export function normalizeInstruction(text: string): string {
  return text.replace(/\s+/gu, " ").trim().toLowerCase();
}

/**
 * The scaffolding words of our evolution prompt that appear in `candidate` but not in `parent`
 * (a seed may legitimately say "original instruction"; only new occurrences count as a leak).
 */
export function leakedTemplateWords(candidate: string, parent: string): string[] {
  const c = candidate.toLowerCase();
  const p = parent.toLowerCase();
  return TEMPLATE_MARKERS.filter((m) => c.includes(m) && !p.includes(m));
}

/** A short, single-line excerpt for log lines and reasons. */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

const STOPWORDS = new Set(
  (
    "about above after again against all also and any are because been before being below between both but " +
    "can could did does doing down during each few for from further had has have having her here hers herself " +
    "him himself his how into its itself just more most must myself nor not now off once only other our ours " +
    "ourselves out over own same she should some such than that the their theirs them themselves then there " +
    "these they this those through too under until very was were what when where which while who whom why " +
    "will with would you your yours yourself yourselves write give make explain describe list provide tell " +
    "please using use based following input output answer response question task text sentence words word " +
    "short long brief each like into one two three four five"
  ).split(" "),
);

/**
 * Keywords taken from the seed's own words (C2S keyword source in rule-based mode, and the
 * rule-based evolver's keyword pool): alphabetic words of 4+ letters, lowercased, minus common
 * function words and task verbs, first occurrence order, at most `max`.
 */
export function seedKeywords(text: string, max = 20): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(/\p{L}+/gu)) {
    const word = match[0].toLowerCase();
    if (Array.from(word).length < 4 || STOPWORDS.has(word) || seen.has(word)) continue;
    seen.add(word);
    out.push(word);
    if (out.length >= max) break;
  }
  return out;
}

/** How many words `child` adds to `parent` (whitespace-separated; never negative): the word budget's measure. */
export function addedWordCount(parent: string, child: string): number {
  const words = (text: string) => (text.trim() ? text.trim().split(/\s+/u).length : 0);
  return Math.max(0, words(child) - words(parent));
}
