/**
 * language:response_language and change_case:* (spec §2 rows 5, 21–23). Detection follows Python's
 * langdetect (seed 0); when it cannot decide ("no features", e.g. only digits or punctuation) the
 * instruction counts as followed, as in the reference.
 */
import { z } from "zod";
import { detectLanguage, LangDetectError } from "../nlp/langdetect";
import { wordTokenize } from "../nlp/word-tokenize";
import { pyIsLower, pyIsUpper } from "../python";
import { compare, countSchema, relationSchema } from "./shared";
import type { CheckDefinition } from "./types";

/** The ISO 639-1 codes the reference knows (its build step looks the language name up). */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  en: "English",
  es: "Spanish",
  pt: "Portuguese",
  ar: "Arabic",
  hi: "Hindi",
  fr: "French",
  ru: "Russian",
  de: "German",
  ja: "Japanese",
  it: "Italian",
  bn: "Bengali",
  uk: "Ukrainian",
  th: "Thai",
  ur: "Urdu",
  ta: "Tamil",
  te: "Telugu",
  bg: "Bulgarian",
  ko: "Korean",
  pl: "Polish",
  he: "Hebrew",
  fa: "Persian",
  vi: "Vietnamese",
  ne: "Nepali",
  sw: "Swahili",
  kn: "Kannada",
  mr: "Marathi",
  gu: "Gujarati",
  pa: "Punjabi",
  ml: "Malayalam",
  fi: "Finnish",
};

/** `detect(text) === language`, or true when detection raises. */
function detectedAs(text: string, language: string): boolean {
  try {
    return detectLanguage(text) === language;
  } catch (err) {
    if (err instanceof LangDetectError) return true;
    throw err;
  }
}

const responseLanguageSchema = z.strictObject({
  language: z.string().refine((code) => Object.hasOwn(LANGUAGE_NAMES, code), "unknown language code"),
});

export const responseLanguage: CheckDefinition<z.infer<typeof responseLanguageSchema>> = {
  id: "language:response_language",
  kwargsSchema: responseLanguageSchema,
  check(text, { language }) {
    return detectedAs(text, language);
  },
};

const capitalWordFrequencySchema = z.strictObject({
  capital_frequency: countSchema,
  capital_relation: relationSchema,
});

export const capitalWordFrequency: CheckDefinition<z.infer<typeof capitalWordFrequencySchema>> = {
  id: "change_case:capital_word_frequency",
  kwargsSchema: capitalWordFrequencySchema,
  check(text, { capital_frequency, capital_relation }) {
    // NLTK word_tokenize tokens whose isupper() holds ("I'M" is "I" + "'M": two).
    let count = 0;
    for (const token of wordTokenize(text)) if (pyIsUpper(token)) count++;
    return compare(count, capital_relation, capital_frequency);
  },
};

const noKwargs = z.strictObject({});

export const englishCapital: CheckDefinition<z.infer<typeof noKwargs>> = {
  id: "change_case:english_capital",
  kwargsSchema: noKwargs,
  check(text) {
    // Detection runs only when the case test passed.
    return pyIsUpper(text) && detectedAs(text, "en");
  },
};

export const englishLowercase: CheckDefinition<z.infer<typeof noKwargs>> = {
  id: "change_case:english_lowercase",
  kwargsSchema: noKwargs,
  check(text) {
    return pyIsLower(text) && detectedAs(text, "en");
  },
};
