import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { describeWithSharedData, sharedDataPath } from "../../../test/shared-data";
import { countHighlights } from "../checks/index";
import { composeConstraints, sampleKwargs } from "../compose";
import { followsStrict } from "../evaluate";
import { CONSTRAINT_IDS, type ConstraintId, type Kwargs } from "../ids";
import { countSentences } from "../nlp/punkt";
import { pyJsonLoads } from "../python";
import { createRng, type Rng } from "../rng";
import {
  FIXERS,
  hasRepair,
  NO_REPAIR_REASONS,
  repair,
  repairAll,
  REPAIR_ORDER,
  type ConstraintSpec,
  type RepairResult,
} from "./index";
import { lostWords } from "./preserve";

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const SENTENCES = [
  "Dogs are loyal animals, and they love long walks in the park.",
  "Cats, on the other hand, tend to be more independent.",
  "Is there a best time of day to water a garden?",
  "Water early in the morning; the soil stays cool and less is lost to evaporation.",
  "Dr. Smith recommends at least 30 minutes of exercise a day.",
  "The meeting starts at 9 a.m. sharp!",
  "Prices rose by 3.5% last year, e.g. for rent and food.",
  "I think the answer is yes, but it depends on the budget.",
  "Rivers carry sediment from the mountains to the sea.",
  "The library opens at noon and closes at eight.",
  "Photosynthesis turns light, water and carbon dioxide into sugar.",
  "NASA launched the probe in 2021.",
  "You should check the map before the trip.",
  "Honestly, I don't know.",
  "A quiet lantern glowed in the window of the old tower.",
  "Each season brings a different harvest to the orchard.",
  "Write clearly, keep sentences short and avoid jargon.",
  "The U.S. economy grew faster than expected.",
  "Wait... what happened next?",
  "Mix the flour and butter, then add the eggs one at a time.",
];
const PHRASES = [
  "feed the cat",
  "water the plants",
  "pay the bills",
  "call mom",
  "buy milk",
  "read a book",
  "walk the dog",
];
const UNICODE = [
  "Café au lait — naïve résumé, déjà vu.",
  "東京は大きい都市です。",
  "Привет, мир! Как дела?",
  "नमस्ते दुनिया, यह एक परीक्षण है।",
  "Launch day 🚀🌟 went well.",
  "Straße und Größe: ß is lowercase.",
  "Zero-width\u200bspace and non\u00a0breaking space.",
];

function paragraph(rng: Rng): string {
  return Array.from({ length: rng.int(1, 4) }, () => rng.choice(SENTENCES)).join(" ");
}

function block(rng: Rng): string {
  switch (rng.int(0, 15)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return paragraph(rng);
    case 4:
      return Array.from(
        { length: rng.int(1, 5) },
        () => `${rng.choice(["-", "*", "  -"])} ${rng.choice(PHRASES)}`,
      ).join("\n");
    case 5:
      return Array.from({ length: rng.int(2, 4) }, (_, i) => `${i + 1}. ${rng.choice(PHRASES)}`).join("\n");
    case 6:
      return `${rng.choice(["#", "##", "###"])} ${rng.choice(["Overview", "Key Points", "Summary of the plan"])}`;
    case 7:
      return rng.choice([
        `**Note:** ${rng.choice(SENTENCES)}`,
        `This is *important* and **very bold** text.`,
        `***Bold italic*** opening.`,
        `A line with a lone * star.`,
      ]);
    case 8:
      return rng.choice([
        "```python\nprint('hello, world')\n```",
        '```json\n{"name": "Ada", "age": 36}\n```',
        '{"a": [1, 2, 3]}',
      ]);
    case 9:
      return rng.choice(["<<A Short Title>>", "<<poem of joy>>", "<< >>"]);
    case 10:
      return rng.choice(["P.S. Thanks for reading.", "p.s. call me later", "P.P.S don't forget"]);
    case 11:
      return rng.choice(["***", "---", "* * *", "******"]);
    case 12:
      return rng.choice(UNICODE);
    case 13:
      return rng.choice(["SECTION 1\nIntro text.", "Section 2: Details here.", "Day 1 was fun."]);
    case 14:
      return rng.choice(["My answer is yes.", "my answer is no", "Yes, definitely.", "Maybe later."]);
    default:
      return `> ${rng.choice(SENTENCES)}`;
  }
}

/** Varied response texts: paragraphs, lists, markdown, JSON, unicode, wrappers, empty-ish. */
function generateResponse(rng: Rng): string {
  const kind = rng.int(0, 19);
  if (kind === 0) return rng.choice(["", " ", "\n\n", " \t\n"]);
  if (kind === 1) return rng.choice(["ok", "Yes", "42", "!!!", "hello", "a"]);
  const blocks = Array.from({ length: rng.int(1, 6) }, () => block(rng));
  let text = blocks.join(rng.choice(["\n\n", "\n\n", "\n", "\n\n\n"]));
  if (kind === 2) text = text.toUpperCase();
  if (kind === 3) text = text.toLowerCase();
  if (kind === 4) text = `"${text}"`;
  if (kind === 5) text = `  ${text}\n`;
  if (kind === 6) text = `Sure! Here is my answer.\n\n${text}\n\nHope you agree with me.`;
  if (kind === 7) text = `${paragraph(rng)}\n******\n${paragraph(rng)}`;
  return text;
}

const WORDS = ["garden", "water", "dogs", "the", "river", "lantern", "harvest", "Jay-Z", "zebra", "map", "a"];

/** kwargs from the composition pools, and some wider values to reach the failure paths. */
function generateKwargs(id: ConstraintId, rng: Rng, response: string): Kwargs {
  const word = () => rng.choice(WORDS);
  const k = sampleKwargs(id, rng, word, rng.choice([paragraph(rng), response.slice(0, 80) || "Say hi."]));
  if (rng.next() < 0.3) {
    switch (id) {
      case "keywords:letter_frequency":
        return { ...k, letter: rng.choice(["#", "!", "z", "e", "é"]), let_frequency: rng.int(0, 30) };
      case "keywords:frequency":
        return { ...k, frequency: rng.int(0, 8) };
      case "length_constraints:number_sentences":
        return { ...k, num_sentences: rng.int(1, 12) };
      case "length_constraints:number_words":
        return { ...k, num_words: rng.int(1, 200) };
      case "length_constraints:number_paragraphs":
        return { num_paragraphs: rng.int(1, 7) };
      case "length_constraints:nth_paragraph_first_word": {
        const n = rng.int(1, 6);
        return { num_paragraphs: n, nth_paragraph: rng.int(1, n), first_word: rng.choice(["dogs", "however", "x"]) };
      }
      case "detectable_format:number_bullet_lists":
        return { num_bullets: rng.int(0, 8) };
      case "detectable_format:number_highlighted_sections":
        return { num_highlights: rng.int(0, 6) };
      case "detectable_format:multiple_sections":
        return { section_spliter: rng.choice(["SECTION", "Section", "Day", "PARAGRAPH"]), num_sections: rng.int(1, 7) };
      case "detectable_content:number_placeholders":
        return { num_placeholders: rng.int(0, 6) };
      case "change_case:capital_word_frequency":
        return { ...k, capital_frequency: rng.int(0, 25) };
      case "keywords:existence":
        return { keywords: rng.choice([[word(), word()], ["colou?r"], ["cat|dog"], ["ü"]]) };
      case "keywords:forbidden_words":
        return { forbidden_words: [word(), "the", "and"] };
      case "startend:end_checker":
        return {
          end_phrase: rng.choice([
            "Cheers -- (the end) [ok]?",
            "Done",
            "That's it.",
            "¡Adiós!",
            "Is there anything else I can help with?",
          ]),
        };
      case "detectable_content:postscript":
        return { postscript_marker: rng.choice(["P.S.", "P.P.S", "Note:", "PS"]) };
      case "combination:repeat_prompt":
        return {
          prompt_to_repeat: rng.choice([
            'Say "hi", then (briefly) explain.\nThanks!',
            "Tell me about İstanbul.",
            "  padded prompt  ",
          ]),
        };
      default:
        return k;
    }
  }
  return k;
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

function assertHonest(id: ConstraintId, kwargs: Kwargs, response: string, result: RepairResult): void {
  const where = `${id} ${JSON.stringify(kwargs)} on ${JSON.stringify(response.slice(0, 300))}`;
  if (result.ok) {
    expect(
      followsStrict(id, kwargs, result.response),
      `false success: ${where} → ${JSON.stringify(result.response)}`,
    ).toBe(true);
    if (!result.changed) expect(result.response, where).toBe(response);
    else expect(result.response, where).not.toBe(response);
    // Repairs add, wrap, re-case or restructure; they never delete a word.
    expect(lostWords(response, result.response), `content lost: ${where}`).toEqual([]);
  } else {
    expect(result.reason.length, where).toBeGreaterThan(0);
    expect(result.reason, where).not.toMatch(/internal error/);
  }
}

const TEXTS_PER_ID = 400;
const KWARGS_PER_TEXT = 3;

describe("repair never claims a false success (property)", () => {
  const stats = new Map<ConstraintId, { ok: number; changed: number; failed: number }>();

  for (const id of CONSTRAINT_IDS) {
    it(`${id}: ${TEXTS_PER_ID} responses × ${KWARGS_PER_TEXT} kwargs`, () => {
      const rng = createRng(`property-${id}`);
      const s = { ok: 0, changed: 0, failed: 0 };
      for (let t = 0; t < TEXTS_PER_ID; t++) {
        const response = generateResponse(rng);
        for (let k = 0; k < KWARGS_PER_TEXT; k++) {
          const kwargs = generateKwargs(id, rng, response);
          const result = repair(id, response, kwargs);
          assertHonest(id, kwargs, response, result);
          if (result.ok) {
            s.ok++;
            if (result.changed) s.changed++;
          } else s.failed++;
        }
      }
      stats.set(id, s);
      // Every id with a fixer repairs at least some failing responses.
      if (hasRepair(id)) expect(s.changed, `${id} never repaired anything`).toBeGreaterThan(0);
      else expect(s.changed).toBe(0);
    });
  }

  it("reports the volume", () => {
    const total = [...stats.values()].reduce((n, s) => n + s.ok + s.failed, 0);
    if (process.env.REPAIR_STATS) console.table(Object.fromEntries(stats));
    expect(total).toBe(CONSTRAINT_IDS.length * TEXTS_PER_ID * KWARGS_PER_TEXT);
  });
});

describe("repairAll (property)", () => {
  it("reports exactly what the strict checks say, and never ends worse than it started", async () => {
    const rng = createRng("repair-all");
    let allFollowed = 0;
    for (let i = 0; i < 300; i++) {
      const composed = await composeConstraints({
        seedText: "Write about gardens and rivers.",
        seed: i,
        keywordSource: () => ["garden", "river water", "lantern"],
      });
      const constraints: ConstraintSpec[] = composed.instruction_id_list.map((id, j) => ({
        id,
        kwargs: composed.kwargs[j]!,
      }));
      const response = generateResponse(rng);
      const result = repairAll(response, constraints);
      const before = constraints.filter((c) => followsStrict(c.id, c.kwargs, response)).length;
      const after = constraints.map((c) => followsStrict(c.id, c.kwargs, result.response));
      expect(result.followed).toEqual(after);
      expect(after.filter(Boolean).length).toBeGreaterThanOrEqual(before);
      expect(result.allFollowed).toBe(after.every(Boolean));
      expect(result.unsatisfied.map((u) => u.index)).toEqual(after.flatMap((f, j) => (f ? [] : [j])));
      for (const u of result.unsatisfied) expect(u.reason).not.toMatch(/internal error/);
      expect(result.changed).toBe(result.response !== response);
      if (result.allFollowed) allFollowed++;
    }
    // Sanity: the rules do get whole prompts through (not just single constraints).
    expect(allFollowed).toBeGreaterThan(30);
  });

  it("single repairs stay honest when they see the other constraints of the prompt", async () => {
    const rng = createRng("repair-context");
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const composed = await composeConstraints({
        seedText: "Explain how rivers shape valleys, briefly.",
        seed: `ctx-${i}`,
        keywordSource: () => ["river", "valley erosion", "water"],
      });
      const constraints: ConstraintSpec[] = composed.instruction_id_list.map((id, j) => ({
        id,
        kwargs: composed.kwargs[j]!,
      }));
      const response = generateResponse(rng);
      constraints.forEach((c, j) => {
        const context = constraints.filter((_, k) => k !== j);
        assertHonest(c.id, c.kwargs, response, repair(c.id, response, c.kwargs, { context }));
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("handles a blank response and invalid kwargs without throwing", () => {
    const r = repairAll("  ", [{ id: "punctuation:no_comma", kwargs: {} }]);
    expect(r.allFollowed).toBe(false);
    expect(r.unsatisfied[0]!.reason).toMatch(/blank/);
    const bad = repairAll("Hello, world.", [
      { id: "keywords:frequency", kwargs: { keyword: "x" } },
      { id: "punctuation:no_comma", kwargs: {} },
    ]);
    expect(bad.followed).toEqual([false, true]);
    expect(bad.unsatisfied[0]!.reason).toMatch(/invalid kwargs/);
    expect(bad.response).toBe("Hello world.");
  });

  it("orders repairs so the later ones keep the earlier ones", () => {
    const response = "Dogs are loyal, friendly animals.\n\nThey love walks.";
    const r = repairAll(response, [
      { id: "startend:quotation", kwargs: {} },
      { id: "startend:end_checker", kwargs: { end_phrase: "Hope you agree with me." } },
      { id: "keywords:existence", kwargs: { keywords: ["lantern"] } },
      { id: "punctuation:no_comma", kwargs: {} },
      { id: "detectable_format:number_highlighted_sections", kwargs: { num_highlights: 1 } },
    ]);
    expect(r.allFollowed).toBe(true);
    expect(r.response.startsWith('"')).toBe(true);
    expect(r.response).toMatch(/Hope you agree with me\."$/);
    expect(r.applied.map((a) => a.id)).toEqual([
      "keywords:existence",
      "detectable_format:number_highlighted_sections",
      "startend:end_checker",
      "punctuation:no_comma",
      "startend:quotation",
    ]);
  });

  it("keeps a repeated prompt in front", () => {
    const prompt = "Describe a garden. Include a title.";
    const r = repairAll("Roses grow by the wall.", [
      { id: "combination:repeat_prompt", kwargs: { prompt_to_repeat: prompt } },
      { id: "detectable_format:title", kwargs: {} },
      { id: "keywords:existence", kwargs: { keywords: ["tulip"] } },
    ]);
    expect(r.allFollowed).toBe(true);
    expect(r.response.startsWith(prompt)).toBe(true);
    expect(r.response.split(prompt).length).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// The edits are small
// ---------------------------------------------------------------------------------------------

function ok(result: RepairResult): string {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.response;
}

describe("repair edits are small", () => {
  const text =
    "Dogs are loyal animals, and they love people.\n\nThey need exercise; walks help. Cats, however, are independent.";

  it("returns the response unchanged when it already passes", () => {
    expect(repair("punctuation:no_comma", "No commas here.", {})).toEqual({
      ok: true,
      response: "No commas here.",
      changed: false,
    });
  });

  it("no_comma removes only the commas", () => {
    const out = ok(repair("punctuation:no_comma", text, {}));
    expect(out).toBe(text.replaceAll(",", ""));
    expect(ok(repair("punctuation:no_comma", "1,000 and 2，000", {}))).toBe("1000 and 2，000");
  });

  it("quotation only wraps (or straightens typographic quotes)", () => {
    expect(ok(repair("startend:quotation", text, {}))).toBe(`"${text}"`);
    expect(ok(repair("startend:quotation", "  padded\n", {}))).toBe('  "padded"\n');
    expect(ok(repair("startend:quotation", "“curly”", {}))).toBe('"curly"');
    expect(ok(repair("startend:quotation", '"only opening', {}))).toBe('""only opening"');
  });

  it("existence adds a keyword line for the missing keywords only", () => {
    const out = ok(repair("keywords:existence", text, { keywords: ["lantern", "dogs", "river"] }));
    expect(out).toBe(`${text}\n\nKeywords: lantern and river.`);
  });

  it("existence and placeholders go inside a closing quote and before an end phrase", () => {
    expect(ok(repair("keywords:existence", '"Hello there."', { keywords: ["lantern"] }))).toBe(
      '"Hello there.\n\nKeywords: lantern."',
    );
    const context = [{ id: "startend:end_checker" as const, kwargs: { end_phrase: "Hope you agree with me." } }];
    expect(
      ok(
        repair(
          "detectable_content:number_placeholders",
          "Hi. Hope you agree with me.",
          { num_placeholders: 1 },
          { context },
        ),
      ),
    ).toBe("Hi.\n\nReplace [name] with your own details.\n\nHope you agree with me.");
  });

  it("existence inside valid JSON adds a note, keeping it JSON", () => {
    const out = ok(repair("keywords:existence", '{"a": 1}', { keywords: ["lantern"] }));
    // All-lowercase JSON: the added line follows its case.
    expect(out).toBe('{"a": 1, "note": "keywords: lantern."}');
  });

  it("frequency adds one missing occurrence as a keyword line, and never deletes", () => {
    expect(ok(repair("keywords:frequency", "A dog.", { keyword: "dog", frequency: 2, relation: "at least" }))).toBe(
      "A dog.\n\nKeywords: dog.",
    );
    expect(repair("keywords:frequency", "A dog.", { keyword: "dog", frequency: 3, relation: "at least" })).toEqual({
      ok: false,
      reason: expect.stringMatching(/missing 2 times/),
    });
    const less = repair("keywords:frequency", "war and warfare and war", {
      keyword: "war",
      frequency: 2,
      relation: "less than",
    });
    expect(less).toEqual({ ok: false, reason: expect.stringMatching(/never deletes/) });
  });

  it("constraints only deletion could meet have no repair, and say why", () => {
    const cases: [ConstraintSpec, string][] = [
      [{ id: "keywords:forbidden_words", kwargs: { forbidden_words: ["really"] } }, "I really like really big dogs."],
      [
        { id: "keywords:letter_frequency", kwargs: { letter: "y", let_frequency: 1, let_relation: "less than" } },
        "apples and bananas are tasty today",
      ],
      [
        { id: "keywords:letter_frequency", kwargs: { letter: "z", let_frequency: 2, let_relation: "at least" } },
        "Hi there.",
      ],
      [
        { id: "length_constraints:number_words", kwargs: { num_words: 3, relation: "less than" } },
        "one two three four",
      ],
      [
        { id: "length_constraints:number_sentences", kwargs: { num_sentences: 2, relation: "less than" } },
        "One. Two. Three.",
      ],
    ];
    for (const [c, response] of cases) {
      const result = repair(c.id, response, c.kwargs);
      expect(result, c.id).toEqual({ ok: false, reason: expect.stringMatching(/never deletes|deleting|cutting/) });
    }
  });

  it("end_checker appends the phrase, or trims what follows it", () => {
    expect(ok(repair("startend:end_checker", "Done.", { end_phrase: "That is all you need!" }))).toBe(
      "Done.\n\nThat is all you need!",
    );
    expect(
      ok(repair("startend:end_checker", "Done. That is all you need!!", { end_phrase: "That is all you need!" })),
    ).toBe("Done. That is all you need!");
    expect(
      ok(repair("startend:end_checker", "Done. Hope you agree with me", { end_phrase: "Hope you agree with me." })),
    ).toBe("Done. Hope you agree with me.");
    // Any phrase, regex characters and hyphens included.
    const odd = "Cheers -- (the end) [ok]?";
    expect(ok(repair("startend:end_checker", "Done.", { end_phrase: odd }))).toBe(`Done.\n\n${odd}`);
    const context = [{ id: "startend:end_checker" as const, kwargs: { end_phrase: odd } }];
    expect(ok(repair("keywords:existence", `Done. ${odd}`, { keywords: ["tea"] }, { context }))).toBe(
      `Done.\n\nKeywords: tea.\n\n${odd}`,
    );
    expect(ok(repair("startend:end_checker", '"Done."', { end_phrase: "Hope you agree with me." }))).toBe(
      '"Done.\n\nHope you agree with me."',
    );
  });

  it("postscript appends a P.S. paragraph, or carries an end phrase", () => {
    expect(ok(repair("detectable_content:postscript", "Hello.", { postscript_marker: "P.S." }))).toBe(
      "Hello.\n\nP.S. I hope this helps.",
    );
    const context = [{ id: "startend:end_checker" as const, kwargs: { end_phrase: "Hope you agree with me." } }];
    expect(
      ok(
        repair(
          "detectable_content:postscript",
          "Hello. Hope you agree with me.",
          { postscript_marker: "P.P.S" },
          { context },
        ),
      ),
    ).toBe("Hello.\n\nP.P.S Hope you agree with me.");
  });

  it("title turns a heading into a title or builds one from the content, never cut mid-phrase", () => {
    expect(ok(repair("detectable_format:title", "# My Trip\n\nIt was fun.", {}))).toBe("<<My Trip>>\n\nIt was fun.");
    expect(ok(repair("detectable_format:title", "Rivers carry sediment, slowly. More text.", {}))).toBe(
      "<<Rivers carry sediment>>\n\nRivers carry sediment, slowly. More text.",
    );
    // A long first clause is cut before a function word, and never ends on one.
    const rescue =
      "Helicopter rescue at flooded farm as water rises to the roofs of the barns overnight. Crews worked late.";
    expect(ok(repair("detectable_format:title", rescue, {}))).toBe(
      `<<Helicopter rescue at flooded farm>>\n\n${rescue}`,
    );
    // Greetings and pleasantries name no topic: the first sentence that does gives the title.
    const letter = "Dear Maria,\n\nThank you for watering my plants. The basil has doubled in size!";
    expect(ok(repair("detectable_format:title", letter, {}))).toBe(`<<The basil has doubled in size>>\n\n${letter}`);
    const polyps = "Sure, I'd be happy to help! Colon polyps are growths. Screening finds them early.";
    expect(ok(repair("detectable_format:title", polyps, {}))).toBe(`<<Colon polyps are growths>>\n\n${polyps}`);
  });

  it("placeholders come in a sentence; highlights and bullets add only markup", () => {
    expect(ok(repair("detectable_content:number_placeholders", "Dear friend.", { num_placeholders: 2 }))).toBe(
      "Dear friend.\n\nReplace [name] and [date] with your own details.",
    );
    const hl = ok(
      repair("detectable_format:number_highlighted_sections", "Dogs love long walks.\nCats sleep all day.", {
        num_highlights: 2,
      }),
    );
    expect(hl.replaceAll("*", "")).toBe("Dogs love long walks.\nCats sleep all day.");
    expect(countHighlights(hl)).toBe(2);
    const bl = ok(
      repair("detectable_format:number_bullet_lists", "Intro.\nFirst point\nSecond point", { num_bullets: 2 }),
    );
    expect(bl).toBe("Intro.\n* First point\n* Second point");
    expect(ok(repair("detectable_format:number_bullet_lists", "- a\n- b\n- c", { num_bullets: 2 }))).toBe(
      "- a\n- b\nc",
    );
  });

  it("paragraphs and sections regroup the existing blocks", () => {
    const three = "One.\n\nTwo.\n\nThree.";
    expect(ok(repair("length_constraints:number_paragraphs", three, { num_paragraphs: 3 }))).toBe(
      "One.\n\n***\n\nTwo.\n\n***\n\nThree.",
    );
    expect(ok(repair("length_constraints:number_paragraphs", three, { num_paragraphs: 2 }))).toBe(
      "One.\n\nTwo.\n\n***\n\nThree.",
    );
    expect(
      ok(repair("detectable_format:multiple_sections", three, { section_spliter: "SECTION", num_sections: 3 })),
    ).toBe("SECTION 1\nOne.\n\nSECTION 2\nTwo.\n\nSECTION 3\nThree.");
    expect(repair("length_constraints:number_paragraphs", "Only one.", { num_paragraphs: 3 }).ok).toBe(false);
  });

  it("nth_paragraph_first_word regroups by blank lines and puts the word in front", () => {
    const out = ok(
      repair("length_constraints:nth_paragraph_first_word", "Cats sleep.\n\nDogs run.\n\nBirds sing.", {
        num_paragraphs: 2,
        nth_paragraph: 2,
        first_word: "birds",
      }),
    );
    expect(out).toBe("Cats sleep.\nDogs run.\n\nBirds sing.");
    expect(
      ok(
        repair("length_constraints:nth_paragraph_first_word", "Cats sleep.\n\n**Dogs** run.", {
          num_paragraphs: 2,
          nth_paragraph: 2,
          first_word: "dogs",
        }),
      ),
    ).toBe("Cats sleep.\n\nDogs run.");
    // Putting a word in front of a sentence would glue a fragment ("However Cats sleep."): no repair.
    expect(
      repair("length_constraints:nth_paragraph_first_word", "Cats sleep.", {
        num_paragraphs: 1,
        nth_paragraph: 1,
        first_word: "however",
      }),
    ).toEqual({ ok: false, reason: expect.stringMatching(/fragment/) });
  });

  it("number_sentences (at least) splits existing clauses and ends lines", () => {
    const out = ok(
      repair("length_constraints:number_sentences", "We ate; we left, and it rained", {
        num_sentences: 3,
        relation: "at least",
      }),
    );
    expect(out).toBe("We ate. We left. And it rained");
    expect(countSentences(out)).toBe(3);
    expect(
      ok(
        repair("length_constraints:number_sentences", "milk\neggs\nbread", { num_sentences: 3, relation: "at least" }),
      ),
    ).toBe("milk.\neggs.\nbread");
  });

  it("case repairs change only the case", () => {
    expect(ok(repair("change_case:english_capital", "The quick brown fox jumps over the lazy dog.", {}))).toBe(
      "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG.",
    );
    expect(ok(repair("change_case:english_lowercase", "The Quick Brown Fox jumps over the lazy dog.", {}))).toBe(
      "the quick brown fox jumps over the lazy dog.",
    );
    const up = ok(
      repair("change_case:capital_word_frequency", "the quick brown fox jumps", {
        capital_frequency: 2,
        capital_relation: "at least",
      }),
    );
    expect(up.toLowerCase()).toBe("the quick brown fox jumps");
    const down = ok(
      repair("change_case:capital_word_frequency", "NASA and the ESA met in PARIS.", {
        capital_frequency: 1,
        capital_relation: "less than",
      }),
    );
    expect(down).toBe("Nasa and the Esa met in Paris.");
  });

  it("repeat_prompt prefixes the request; two_responses marks the one divider", () => {
    expect(ok(repair("combination:repeat_prompt", "  Answer here.", { prompt_to_repeat: "Say hi. " }))).toBe(
      "Say hi.\n\nAnswer here.",
    );
    expect(ok(repair("combination:two_responses", "First take.\n\n---\n\nSecond take.", {}))).toBe(
      "First take.\n\n******\n\nSecond take.",
    );
    expect(ok(repair("combination:two_responses", "Response 1: yes.\nResponse 2: no.", {}))).toBe(
      "Response 1: yes.\n******\nResponse 2: no.",
    );
    expect(repair("combination:two_responses", "Just one answer.", {}).ok).toBe(false);
  });

  it("json_format wraps the whole answer as a JSON string, lead-in included", () => {
    const fenced = 'Here you go:\n```json\n{"a": 1}\n```\nEnjoy!';
    const all = pyJsonLoads(ok(repair("detectable_format:json_format", fenced, {})));
    expect(all.ok && (all.value as { response: string }).response).toBe(fenced);
    const wrapped = ok(repair("detectable_format:json_format", 'He said "hi",\nthen left.', {}));
    const parsed = pyJsonLoads(wrapped);
    expect(parsed.ok && (parsed.value as { response: string }).response).toBe('He said "hi",\nthen left.');
  });

  it("constrained_response fixes a near miss or states an opening yes/no", () => {
    expect(ok(repair("detectable_format:constrained_response", "Well, my answer is Yes", {}))).toBe(
      "Well, My answer is yes.",
    );
    expect(ok(repair("detectable_format:constrained_response", "No. It will not rain.", {}))).toBe(
      "No. It will not rain.\n\nMy answer is no.",
    );
    expect(repair("detectable_format:constrained_response", "It depends.", {}).ok).toBe(false);
  });

  it("answers ok:false honestly where no rule can help", () => {
    const lang = repair("language:response_language", "Hello there, friend.", { language: "de" });
    expect(lang).toEqual({ ok: false, reason: expect.stringMatching(/model/) });
    expect(repair("punctuation:no_comma", "   ", {})).toEqual({ ok: false, reason: expect.stringMatching(/blank/) });
    expect(repair("keywords:frequency", "text", { keyword: "a" })).toEqual({
      ok: false,
      reason: expect.stringMatching(/invalid kwargs/),
    });
  });

  it("has a fixer for every id but those only a model or a deletion could meet, and an order covering all ids", () => {
    const without = CONSTRAINT_IDS.filter((id) => !FIXERS[id]);
    expect(without.sort()).toEqual([
      "keywords:forbidden_words",
      "keywords:letter_frequency",
      "language:response_language",
      "length_constraints:number_words",
    ]);
    for (const id of without) expect(NO_REPAIR_REASONS[id]).toBeTruthy();
    expect([...REPAIR_ORDER].sort()).toEqual([...CONSTRAINT_IDS].sort());
  });
});

// ---------------------------------------------------------------------------------------------
// Real student responses
// ---------------------------------------------------------------------------------------------

describeWithSharedData("repair on FCI's Llama-2 responses", () => {
  interface Checked {
    instruction_id_list: ConstraintId[];
    kwargs: Kwargs[];
    response: string;
    follow_instruction_list: boolean[];
  }
  // Read when the tests run, not while they are collected: without the data the suite skips.
  let sample: Checked[] = [];
  beforeAll(() => {
    sample = readFileSync(sharedDataPath("fci", "checked_res_llama2.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Checked)
      .filter((_, i) => i % 5 === 0);
  });

  it("never claims a false success on a real failed constraint", () => {
    let repaired = 0;
    let tried = 0;
    for (const r of sample) {
      r.instruction_id_list.forEach((id, i) => {
        if (r.follow_instruction_list[i]) return;
        const kwargs = r.kwargs[i]!;
        const context = r.instruction_id_list
          .map((cid, j) => ({ id: cid, kwargs: r.kwargs[j]! }))
          .filter((_, j) => j !== i);
        const result = repair(id, r.response, kwargs, { context });
        assertHonest(id, kwargs, r.response, result);
        tried++;
        if (result.ok) repaired++;
      });
    }
    expect(tried).toBeGreaterThan(500);
    expect(repaired / tried).toBeGreaterThan(0.4);
  });

  it("repairAll reports exactly the strict verdicts of its output", () => {
    let all = 0;
    for (const r of sample) {
      const constraints = r.instruction_id_list.map((id, j) => ({ id, kwargs: r.kwargs[j]! }));
      const result = repairAll(r.response, constraints);
      expect(result.followed).toEqual(constraints.map((c) => followsStrict(c.id, c.kwargs, result.response)));
      if (result.allFollowed) all++;
    }
    expect(all).toBeGreaterThan(sample.length * 0.2);
  });
});
