/**
 * Instruction text for every constraint id.
 *
 * - `describeConstraint(id, kwargs)`: one canonical sentence with the same meaning as IFEval's
 *   description of the instruction (our own wording).
 * - `renderConstraint(id, kwargs, rng)`: one of 5–8 paraphrase templates (our own wording, spec
 *   §8.2) picked at random, with its `<argname>` slots filled from kwargs. Compose joins these
 *   into prompts, so templates carry no final period (compose appends ". ").
 *
 * Slot rules: `<language>` shows the language's English name; `<nth_paragraph>` shows an ordinal
 * ("first" … "fourth"); list kwargs (`keywords`, `forbidden_words`) show their words joined.
 * A `<<…>>` (title example) is never a slot.
 */
import type { ConstraintId, Kwargs } from "./ids";
import type { Rng } from "./rng";

/**
 * English names of the ISO 639-1 codes IFEval knows (the 22 composition codes among them). Kept
 * here, not imported from the checks, so rendering text does not pull in the language detector;
 * describe.test.ts asserts both tables agree.
 */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  ar: "Arabic",
  bg: "Bulgarian",
  bn: "Bengali",
  de: "German",
  en: "English",
  es: "Spanish",
  fa: "Persian",
  fi: "Finnish",
  fr: "French",
  gu: "Gujarati",
  he: "Hebrew",
  hi: "Hindi",
  it: "Italian",
  ja: "Japanese",
  kn: "Kannada",
  ko: "Korean",
  ml: "Malayalam",
  mr: "Marathi",
  ne: "Nepali",
  pa: "Punjabi",
  pl: "Polish",
  pt: "Portuguese",
  ru: "Russian",
  sw: "Swahili",
  ta: "Tamil",
  te: "Telugu",
  th: "Thai",
  uk: "Ukrainian",
  ur: "Urdu",
  vi: "Vietnamese",
};

const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/** 1 → "first" … 10 → "tenth"; larger numbers as "11th", "22nd", … */
export function ordinal(n: number): string {
  if (Number.isInteger(n) && n >= 1 && n <= ORDINALS.length) return ORDINALS[n - 1]!;
  const tens = Math.abs(n) % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][Math.abs(n) % 10] ?? "th");
  return `${n}${suffix}`;
}

/** The English name of an ISO 639-1 code IFEval knows (the code itself when unknown). */
export function languageName(code: unknown): string {
  const key = String(code ?? "");
  return Object.hasOwn(LANGUAGE_NAMES, key) ? LANGUAGE_NAMES[key]! : key;
}

function formatList(value: unknown): string {
  const items = Array.isArray(value) ? value.map((v) => String(v)) : [String(value ?? "")];
  if (items.length <= 1) return items[0] ?? "";
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

/** The text shown for each slot of an id's templates, derived from kwargs. */
export function slotValues(id: ConstraintId, kwargs: Kwargs): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    values[key] = Array.isArray(value) ? formatList(value) : str(value);
  }
  if (id === "language:response_language") values.language = languageName(kwargs.language);
  if (id === "length_constraints:nth_paragraph_first_word")
    values.nth_paragraph = ordinal(Number(kwargs.nth_paragraph));
  if (id === "keywords:frequency" || id === "detectable_format:multiple_sections") {
    // The checks strip these; show them stripped too.
    for (const key of ["keyword", "section_spliter"]) if (key in values) values[key] = values[key]!.trim();
  }
  return values;
}

/** A `<name>` slot: lowercase letters and underscores, not part of a `<<…>>` title example. */
export const SLOT_PATTERN = /(?<!<)<([a-z_]+)>(?!>)/g;

/** Replaces every `<name>` slot with `values[name]`; throws when a slot has no value. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(SLOT_PATTERN, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template slot <${name}> has no value in ${JSON.stringify(template)}`);
    return value;
  });
}

export interface ConstraintText {
  /** IFEval's meaning, in our words. */
  description(kwargs: Kwargs): string;
  /** Paraphrase templates with `<argname>` slots. */
  templates: readonly string[];
}

const OPTIONS = '"My answer is yes.", "My answer is no.", "My answer is maybe."';

/** repeat_prompt templates for position "start": shown before the request, each ends with "\n". */
export const REPEAT_PROMPT_START_TEMPLATES: readonly string[] = [
  "Before answering, repeat the request below word for word without any change, then give your answer. Do not write anything before the repeated request.\n",
  "First copy the following request exactly as it is and only then respond to it; nothing may come before the copied request.\n",
  "Start your reply by repeating the request below verbatim (do not alter a single word), then answer it.\n",
  "Repeat the request that follows exactly, without changing any word, and then give your response. Say nothing before the repetition.\n",
];

/** repeat_prompt templates for position "end": shown after the request, each begins with "\n". */
export const REPEAT_PROMPT_END_TEMPLATES: readonly string[] = [
  "\nBefore you answer, repeat the request above word for word and then respond. Do not say anything before repeating it.",
  "\nFirst restate the request above exactly as written, without changing any word, and then answer it.",
  "\nYour reply must begin with the request above copied verbatim; after that, give your answer.",
  "\nRepeat the text above exactly (no changes and nothing before it) and then write your response.",
];

/** Where a repeat_prompt template puts itself relative to the request it asks to repeat. */
export function repeatPromptPosition(template: string): "start" | "end" {
  return template.startsWith("\n") ? "end" : "start";
}

export const TEXTS: { readonly [I in ConstraintId]: ConstraintText } = {
  "keywords:existence": {
    description: (k) => `Include the keywords ${formatList(k.keywords)} in your response.`,
    templates: [
      "Be sure to use the word <keywords> somewhere in your response",
      "Your response has to include the keyword <keywords>",
      "Work the word <keywords> into your answer",
      "Somewhere in your reply you must use the term <keywords>",
      "The keyword <keywords> needs to appear in your response",
      "Include the word <keywords> at least once in what you write",
      "Your answer should contain the word <keywords>",
      "Mention <keywords> in your response",
    ],
  },
  "keywords:frequency": {
    description: (k) =>
      `The word ${str(k.keyword).trim()} should appear ${str(k.relation)} ${str(k.frequency)} times in your response.`,
    templates: [
      "The word <keyword> should appear <relation> <frequency> times in your response",
      "Use the keyword <keyword> <relation> <frequency> times",
      "In your answer the term <keyword> must occur <relation> <frequency> times",
      "Make sure <keyword> shows up <relation> <frequency> times in your reply",
      "Your response needs to contain the word <keyword> <relation> <frequency> times",
      "Count your uses of <keyword>: it has to appear <relation> <frequency> times",
      "Mention <keyword> <relation> <frequency> times in what you write",
      "Across your whole response the word <keyword> should be used <relation> <frequency> times",
    ],
  },
  "keywords:forbidden_words": {
    description: (k) => `Do not include the keywords ${formatList(k.forbidden_words)} in your response.`,
    templates: [
      "Do not use the word <forbidden_words> anywhere in your response",
      "Avoid the word <forbidden_words> in your answer",
      "Your reply must not contain the word <forbidden_words>",
      "Never write the word <forbidden_words> in your response",
      "Keep the word <forbidden_words> out of your answer entirely",
      "The word <forbidden_words> is not allowed in your response",
      "Answer without using the word <forbidden_words>",
      "Refrain from including the word <forbidden_words> in what you write",
    ],
  },
  "keywords:letter_frequency": {
    description: (k) =>
      `The letter ${str(k.letter)} should appear ${str(k.let_relation)} ${str(k.let_frequency)} times in your response.`,
    templates: [
      "The letter <letter> should appear <let_relation> <let_frequency> times in your response",
      "Make sure the letter <letter> occurs <let_relation> <let_frequency> times in your answer",
      "In your reply use the letter <letter> <let_relation> <let_frequency> times",
      "Your response must contain the letter <letter> <let_relation> <let_frequency> times",
      "Count the letter <letter> in your answer: it has to appear <let_relation> <let_frequency> times",
      "Write your response so that the letter <letter> shows up <let_relation> <let_frequency> times",
      "Across your whole answer the letter <letter> must be used <let_relation> <let_frequency> times",
      "Ensure that the character <letter> appears <let_relation> <let_frequency> times in what you write",
    ],
  },
  "language:response_language": {
    description: (k) =>
      `Your entire response must be written in the ${languageName(k.language)} language; no other language is allowed.`,
    templates: [
      "Your whole response must be written in <language> and in no other language",
      "Answer only in <language>; do not use any other language",
      "Write your entire reply in the <language> language",
      "Respond exclusively in <language>",
      "Use <language> for your complete answer and no other language",
    ],
  },
  "length_constraints:number_sentences": {
    description: (k) => `Your response should contain ${str(k.relation)} ${str(k.num_sentences)} sentences.`,
    templates: [
      "Your response should have <relation> <num_sentences> sentences",
      "Write <relation> <num_sentences> sentences in your answer",
      "The number of sentences in your reply must be <relation> <num_sentences>",
      "Make your answer <relation> <num_sentences> sentences long",
      "Use <relation> <num_sentences> sentences in your response",
      "Your answer needs to contain <relation> <num_sentences> sentences",
      "Keep the sentence count of your response <relation> <num_sentences>",
      "Compose your reply with <relation> <num_sentences> sentences",
    ],
  },
  "length_constraints:number_paragraphs": {
    description: (k) =>
      `Your response should have ${str(k.num_paragraphs)} paragraphs. Separate the paragraphs from each other with the markdown divider: ***`,
    templates: [
      "Your response must have exactly <num_paragraphs> paragraphs separated by the markdown divider ***",
      "Write exactly <num_paragraphs> paragraphs and put the divider *** between them",
      "Split your answer into exactly <num_paragraphs> paragraphs using *** as the separator",
      "Use *** to separate the paragraphs of your reply; there must be exactly <num_paragraphs> paragraphs",
      "Organise your response into exactly <num_paragraphs> paragraphs divided from each other by ***",
      "Your answer should consist of exactly <num_paragraphs> paragraphs; separate them with the markdown divider ***",
      "Give exactly <num_paragraphs> paragraphs in your response and mark each break between paragraphs with ***",
    ],
  },
  "length_constraints:number_words": {
    description: (k) => `Answer using ${str(k.relation)} ${str(k.num_words)} words.`,
    templates: [
      "Answer with <relation> <num_words> words",
      "Your response should contain <relation> <num_words> words",
      "Use <relation> <num_words> words in your reply",
      "Make your answer <relation> <num_words> words long",
      "The word count of your response must be <relation> <num_words>",
      "Write <relation> <num_words> words",
      "Your reply needs to be <relation> <num_words> words long",
      "In total your answer should have <relation> <num_words> words",
    ],
  },
  "length_constraints:nth_paragraph_first_word": {
    description: (k) =>
      `Your response should have ${str(k.num_paragraphs)} paragraphs. Paragraphs, and only paragraphs, are separated from each other by two newlines, as if it were '\\n\\n' in Python. Paragraph ${str(k.nth_paragraph)} must begin with the word ${str(k.first_word)}.`,
    templates: [
      "Write exactly <num_paragraphs> paragraphs separated from each other by two new lines; the <nth_paragraph> paragraph must begin with the word <first_word>",
      "Your response should have <num_paragraphs> paragraphs divided by blank lines (two newline characters) and the <nth_paragraph> paragraph has to start with <first_word>",
      "Use exactly <num_paragraphs> paragraphs separated by an empty line; start the <nth_paragraph> paragraph with the word <first_word>",
      "There must be <num_paragraphs> paragraphs separated by two line breaks and the first word of the <nth_paragraph> paragraph must be <first_word>",
      "Structure your answer as <num_paragraphs> paragraphs with a blank line between each; begin the <nth_paragraph> paragraph with <first_word>",
      "Give <num_paragraphs> paragraphs in total separated by double newlines; the <nth_paragraph> one should open with the word <first_word>",
      "Your reply needs exactly <num_paragraphs> paragraphs split by two newlines and its <nth_paragraph> paragraph must start with the word <first_word>",
    ],
  },
  "detectable_content:number_placeholders": {
    description: (k) =>
      `Your response must contain at least ${str(k.num_placeholders)} placeholders written in square brackets, such as [address].`,
    templates: [
      "Include at least <num_placeholders> placeholders in square brackets such as [address]",
      "Your response must contain no fewer than <num_placeholders> placeholders written in square brackets like [name]",
      "Use at least <num_placeholders> bracketed placeholders (for example [date]) in your answer",
      "Put at least <num_placeholders> placeholders in square brackets into your reply, e.g. [location]",
      "Add a minimum of <num_placeholders> placeholders enclosed in square brackets such as [company]",
      "Your answer needs at least <num_placeholders> placeholders represented with square brackets like [phone number]",
      "Leave at least <num_placeholders> placeholders in square brackets (such as [your name]) in your response",
      "Make sure there are at least <num_placeholders> square-bracket placeholders like [email] in what you write",
    ],
  },
  "detectable_content:postscript": {
    description: (k) =>
      `At the end of your response, explicitly add a postscript that starts with ${str(k.postscript_marker)}`,
    templates: [
      "At the end of your response add a postscript that starts with <postscript_marker>",
      "Finish your answer with a postscript beginning with <postscript_marker>",
      "Add a postscript starting with <postscript_marker> at the end of your reply",
      "Close your response with a postscript that opens with <postscript_marker>",
      "Include a postscript at the end introduced by <postscript_marker>",
      "End your answer with a note that begins with <postscript_marker>",
      "After your main answer write a postscript starting with <postscript_marker>",
      "Your response should end with a postscript marked <postscript_marker>",
    ],
  },
  "detectable_format:number_bullet_lists": {
    description: (k) =>
      `Your answer must contain exactly ${str(k.num_bullets)} bullet points. Use markdown bullet points, for example:\n* This is point 1.\n* This is point 2`,
    templates: [
      "Your answer must contain exactly <num_bullets> bullet points written as markdown bullets such as * This is a point",
      "Include exactly <num_bullets> markdown bullet points (lines starting with * ) in your response",
      "Use exactly <num_bullets> bullet points in markdown format, for example:\n* First point\n* Second point",
      "Present your answer as exactly <num_bullets> markdown bullet points",
      "Your reply should have exactly <num_bullets> bullet points marked with an asterisk like * item",
      "Give exactly <num_bullets> bullet points using markdown list syntax such as * point",
      "Structure your response around exactly <num_bullets> markdown bullet points",
      "There must be exactly <num_bullets> bullet points in your answer (use markdown bullets like * this)",
    ],
  },
  "detectable_format:constrained_response": {
    description: () => `Answer with one of these options: ${OPTIONS}`,
    templates: [
      `Answer with one of these exact options: ${OPTIONS}`,
      'Your response must contain one of the following phrases exactly as written: "My answer is yes.", "My answer is no." or "My answer is maybe."',
      'Reply using one of these options: "My answer is yes." / "My answer is no." / "My answer is maybe."',
      'Choose one of "My answer is yes.", "My answer is no." and "My answer is maybe." and include it in your response word for word',
      `Give your answer as one of the following: ${OPTIONS}`,
      `Respond with exactly one of these sentences: ${OPTIONS}`,
      'Your reply has to include one of the options "My answer is yes.", "My answer is no." or "My answer is maybe."',
      'Pick from "My answer is yes.", "My answer is no." and "My answer is maybe." and use that sentence in your response',
    ],
  },
  "detectable_format:number_highlighted_sections": {
    description: (k) =>
      `Highlight at least ${str(k.num_highlights)} sections of your answer with markdown, i.e. *highlighted section*.`,
    templates: [
      "Highlight at least <num_highlights> sections of your answer with markdown such as *highlighted section*",
      "Use markdown to emphasise at least <num_highlights> parts of your response, e.g. *important part*",
      "Mark at least <num_highlights> passages in your reply as highlighted using asterisks like *this*",
      "Your response should contain at least <num_highlights> highlighted sections written as *highlighted text*",
      "Emphasise no fewer than <num_highlights> sections with markdown highlighting, for example *key point*",
      "Include at least <num_highlights> highlighted sections in markdown (wrap each in single asterisks like *this*)",
      "Highlight a minimum of <num_highlights> text sections using markdown, i.e. *highlighted section*",
      "In your answer put at least <num_highlights> sections in markdown highlight like *this one*",
    ],
  },
  "detectable_format:multiple_sections": {
    description: (k) => {
      const s = str(k.section_spliter).trim();
      return `Your response must have ${str(k.num_sections)} sections. Mark the start of each section with ${s} X, for example:\n${s} 1\n[content of section 1]\n${s} 2\n[content of section 2]`;
    },
    templates: [
      "Your response must have <num_sections> sections; begin each section with <section_spliter> X where X is its number, e.g. <section_spliter> 1",
      "Divide your answer into <num_sections> sections and mark the start of each one with <section_spliter> followed by its number (<section_spliter> 1, <section_spliter> 2 and so on)",
      "Organise your reply in <num_sections> sections labelled <section_spliter> 1, <section_spliter> 2 and so on",
      "Split your response into <num_sections> parts, each introduced by <section_spliter> X with X the section number",
      "Write <num_sections> sections and start each with the label <section_spliter> X, such as <section_spliter> 1",
      "Your answer should consist of <num_sections> sections, each headed by <section_spliter> and its number",
      "Structure your response as <num_sections> numbered sections that begin with <section_spliter> 1, <section_spliter> 2 and so on",
      "Use <num_sections> sections in your reply and mark the beginning of every section with <section_spliter> X (X being the number)",
    ],
  },
  "detectable_format:json_format": {
    description: () => "Wrap your entire output in JSON format. You may use markdown ticks such as ```.",
    templates: [
      "Wrap your entire output in JSON format; you may use markdown ticks such as ```",
      "Your whole response must be valid JSON (markdown code fences like ``` are allowed)",
      "Format the entire answer as JSON; a markdown code block with ``` is fine",
      "Return your complete reply in JSON format",
      "Give the whole response as JSON, optionally inside ``` fences",
      "Make sure your entire output is JSON and nothing else",
      "Present all of your answer in JSON format; you can wrap it in ```json ticks",
      "Your reply should be written entirely in JSON",
    ],
  },
  "detectable_format:title": {
    description: () => "Your answer must contain a title, wrapped in double angular brackets, such as <<poem of joy>>.",
    templates: [
      "Your answer must include a title wrapped in double angular brackets such as <<poem of joy>>",
      "Give your response a title enclosed in double angle brackets like <<my title>>",
      "Add a title to your reply and put it inside double angular brackets for example <<a good title>>",
      "Include a title in double angle brackets (e.g. <<title of the answer>>) in your response",
      "Put a title in double angle brackets like <<an example title>> in your answer",
      "Your response needs a title surrounded by double angular brackets such as <<summer days>>",
      "Write a title for your answer and wrap it in double angle brackets like <<title here>>",
      "Provide a title inside double angular brackets (for instance <<my answer>>)",
    ],
  },
  "combination:two_responses": {
    description: () =>
      "Give two different responses. Separate the two responses, and only the responses, with 6 asterisk symbols: ******.",
    templates: [
      "Provide two different responses and separate them with six asterisks: ******",
      "Write two distinct answers separated only by a line of 6 asterisks (******)",
      "Give two different replies; put ****** (six asterisks) between them and nowhere else",
      "Your response should contain two different answers divided by the separator ******",
      "Answer twice in two different ways and separate the two answers with ******",
      "Offer two distinct responses with exactly six asterisks ****** between them",
      "Produce two different responses separated by 6 asterisk symbols: ******",
      "Give two alternative answers that differ from each other; separate them with ******",
    ],
  },
  "combination:repeat_prompt": {
    description: () =>
      "First repeat the request word for word without any change, then give your answer (1. say no words or characters before repeating the request; 2. the request to repeat does not include this sentence).",
    templates: [...REPEAT_PROMPT_START_TEMPLATES, ...REPEAT_PROMPT_END_TEMPLATES],
  },
  "startend:end_checker": {
    description: (k) =>
      `End your response with this exact phrase: ${str(k.end_phrase)} No other words should come after this phrase.`,
    templates: [
      'Finish your response with the exact phrase "<end_phrase>" and write nothing after it',
      'The last words of your answer must be exactly "<end_phrase>" with nothing following',
      'End your reply with the phrase "<end_phrase>"; no other words should come after it',
      'Conclude your response with the exact sentence "<end_phrase>" and add nothing afterwards',
      'Your answer has to end with "<end_phrase>" and nothing may follow this phrase',
      'Close your response with exactly this phrase: "<end_phrase>" (no further words after it)',
      'Make "<end_phrase>" the very last thing in your answer',
      'Wrap up your reply with the exact phrase "<end_phrase>" and stop there',
    ],
  },
  "change_case:capital_word_frequency": {
    description: (k) =>
      `In your response, words written in all capital letters should appear ${str(k.capital_relation)} ${str(k.capital_frequency)} times.`,
    templates: [
      "Words written entirely in capital letters should appear <capital_relation> <capital_frequency> times in your response",
      "Use <capital_relation> <capital_frequency> words in all capital letters in your answer",
      "Your reply must contain <capital_relation> <capital_frequency> fully capitalised words",
      "Include all-caps words (every letter capitalised) <capital_relation> <capital_frequency> times",
      "The number of words in all caps in your response has to be <capital_relation> <capital_frequency>",
      "Write <capital_relation> <capital_frequency> words entirely in uppercase letters",
      "Make sure words in all capital letters occur <capital_relation> <capital_frequency> times in your answer",
    ],
  },
  "change_case:english_capital": {
    description: () => "Your entire response should be in English and in all capital letters.",
    templates: [
      "Your entire response must be in English and in capital letters only",
      "Write your whole answer in English using only uppercase letters",
      "Respond in English with every letter capitalised",
      "Your reply should be in English and entirely in capital letters",
      "Use English and all capital letters for the complete response",
      "Answer in English; every letter of your response has to be uppercase",
      "Make your whole response English text written in all caps",
      "Give your answer in English with no lowercase letters at all",
    ],
  },
  "change_case:english_lowercase": {
    description: () =>
      "Your entire response should be in English and in all lowercase letters. No capital letters are allowed.",
    templates: [
      "Your entire response must be in English and in lowercase letters only; no capital letters are allowed",
      "Write your whole answer in English using only lowercase letters",
      "Respond in English without any capital letters",
      "Your reply should be in English and entirely in lowercase",
      "Use English and lowercase letters only for the complete response",
      "Answer in English; not a single letter of your response may be uppercase",
      "Make your whole response English text written in all lowercase letters",
      "Give your answer in English with no uppercase letters at all",
    ],
  },
  "punctuation:no_comma": {
    description: () => "Do not use any commas anywhere in your response.",
    templates: [
      "Do not use any commas in your response",
      "Your answer must not contain a single comma",
      "Write your reply without using commas",
      "Avoid commas entirely in your response",
      "Refrain from using any commas anywhere in your answer",
      "No commas are allowed in your reply",
      "Make sure your response contains no commas at all",
      "Leave out every comma in what you write",
    ],
  },
  "startend:quotation": {
    description: () => "Wrap your entire response in double quotation marks.",
    templates: [
      "Wrap your entire response in double quotation marks",
      "Put your whole answer inside double quotes",
      "Enclose the complete reply in double quotation marks",
      "Your response must begin and end with a double quotation mark",
      "Surround your entire answer with double quotes",
      "Place the full response between a pair of double quotation marks",
      'Make sure your whole reply is enclosed in "double quotes"',
      'Quote your entire response: start and end it with the character "',
    ],
  },
};

/** The canonical instruction sentence for `id` with `kwargs` (IFEval's meaning). */
export function describeConstraint(id: ConstraintId, kwargs: Kwargs): string {
  return TEXTS[id].description(kwargs);
}

/** The templates of `id`. */
export function constraintTemplates(id: ConstraintId): readonly string[] {
  return TEXTS[id].templates;
}

/** Renders one template of `id` (chosen with `rng`, or the given index) with kwargs filled in. */
export function renderConstraint(id: ConstraintId, kwargs: Kwargs, rng: Rng, templateIndex?: number): string {
  const templates = TEXTS[id].templates;
  const template =
    templateIndex === undefined
      ? rng.choice(templates)
      : (templates[templateIndex] ??
        (() => {
          throw new RangeError(`${id} has no template ${templateIndex}`);
        })());
  return fillTemplate(template, slotValues(id, kwargs));
}
