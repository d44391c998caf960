import { describe, expect, it } from "vitest";
import OLD_REPAIRS from "./fixtures/old-repairs.json";
import { repair } from "./index";
import { insertedFragments, lostWords, repairDamage, requiredTexts, titleProblem } from "./preserve";

describe("the content check catches what the old repairs did", () => {
  it("flags the issue's examples of deleted words", () => {
    expect(
      lostWords(
        "John moved from China to study at Yale. He really enjoyed the food, the weather and the friendly locals.",
        "John China from Yale. He really enjoyed food and locals.",
      ),
    ).toEqual(["moved", "study", "weather", "friendly"]);
    expect(lostWords("Here's a simple recipe you can try", "Here's a simple you can try")).toEqual(["recipe"]);
    // Case, commas, markup and wrappers are not content.
    expect(lostWords("Dogs, cats and birds.", '"* DOGS CATS AND *BIRDS*."')).toEqual([]);
    expect(lostWords('He said "hi",\nthen left.', JSON.stringify({ response: 'He said "hi",\nthen left.' }))).toEqual(
      [],
    );
    // A repeated word counts: one of two occurrences gone is a loss.
    expect(lostWords("really big, really old", "really big, old")).toEqual(["really"]);
  });

  it("flags the issue's examples of glued fragments and cut titles", () => {
    const maximum = "To find the maximum, compare each value with the largest seen so far.";
    expect(insertedFragments(maximum, `Maximum ${maximum}`)).toEqual(['"Maximum": glued to existing text']);
    const person = "Due to privacy concerns, I cannot share that information.";
    expect(insertedFragments(person, `Person ${person}`)).toHaveLength(1);
    const rescue = "Helicopter rescue at flooded farm as water rises to the roofs. Crews worked late.";
    expect(insertedFragments(rescue, `<<Helicopter rescue at flooded farm as>>\n\n${rescue}`)).toEqual([
      '"<<Helicopter rescue at flooded farm as>>": the title ends in "as"',
    ]);
    expect(titleProblem("The sky looks", "The sky looks blue because of scattering.")).toBe(
      'the title cuts a phrase before "blue"',
    );
    expect(insertedFragments("Hi there.", "Hi there. (lantern)")).toEqual(['"(lantern)": glued to existing text']);
    expect(insertedFragments("Dear friend.", "Dear friend. [name] [date]")).toHaveLength(1);
    // Short lines too: a word glued onto a signature is not a label.
    expect(insertedFragments("Thanks,\nSam", "Thanks,\nMaximum Sam")).toEqual(['"Maximum": glued to existing text']);
  });

  it.each(OLD_REPAIRS)("catches the recorded old $constraintId repair ($caught)", (fixture) => {
    const damage = repairDamage(fixture.source, fixture.oldChosen);
    if (fixture.caught === "content_lost") expect(damage.lost.length).toBeGreaterThan(0);
    else expect(damage.fragments.length).toBeGreaterThan(0);
  });
});

describe("the content check accepts what a person would", () => {
  const text =
    "Rivers carry sediment from the mountains to the sea, and they shape valleys; floods move the most.\n\nOver time the valley widens.";

  it("accepts additions that are complete sentences or formatting elements", () => {
    const additions = [
      `<<Rivers carry sediment>>\n\n${text}`,
      `# Rivers\n\n${text}`,
      `${text}\n\nP.S. I hope this helps.`,
      `${text}\n\nKeywords: lantern and river.`,
      `${text}\n\nReplace [name] and [date] with your own details.`,
      `SECTION 1\n${text.replace("\n\n", "\n\nSECTION 2\n")}`,
      `* ${text.replace("\n\n", "\n\n* ")}`,
      text.replace("\n\n", "\n\n***\n\n"),
      text.replace("sediment", "*sediment*"),
      text.replace(", and they", ". And they").replace("; floods", ". Floods"),
      `"${text}"`,
      text.toUpperCase(),
      text.replaceAll(",", ""),
      JSON.stringify({ response: text }, null, 2),
      `${text} Is there anything else I can help with?`,
    ];
    for (const out of additions) expect(repairDamage(text, out), out).toEqual({ lost: [], fragments: [] });
  });

  it("accepts text the prompt requires verbatim (an end phrase, the repeated request)", () => {
    const constraints = [
      { id: "startend:end_checker" as const, kwargs: { end_phrase: "your love, and thanks." } },
      { id: "combination:repeat_prompt" as const, kwargs: { prompt_to_repeat: "input : Andorra" } },
    ];
    const required = requiredTexts(constraints);
    expect(insertedFragments(text, `input : Andorra\n\n${text}\n\nyour love, and thanks.`, required)).toEqual([]);
    // Without the constraints, the lowercase end phrase reads as an incomplete line.
    expect(insertedFragments(text, `input : Andorra\n\n${text}\n\nyour love, and thanks.`)).toEqual([
      '"your love, and thanks.": an incomplete line',
    ]);
  });

  it("passes what today's repairs make", () => {
    const edits: [Parameters<typeof repair>[0], Record<string, unknown>][] = [
      ["detectable_format:title", {}],
      ["keywords:existence", { keywords: ["lantern"] }],
      ["detectable_content:number_placeholders", { num_placeholders: 2 }],
      ["detectable_content:postscript", { postscript_marker: "P.S." }],
      ["detectable_format:number_highlighted_sections", { num_highlights: 2 }],
      ["detectable_format:multiple_sections", { section_spliter: "SECTION", num_sections: 2 }],
      ["length_constraints:number_sentences", { num_sentences: 4, relation: "at least" }],
      ["detectable_format:json_format", {}],
      ["startend:end_checker", { end_phrase: "Any other questions?" }],
    ];
    for (const [id, kwargs] of edits) {
      const result = repair(id, text, kwargs);
      expect(result.ok && result.changed, id).toBe(true);
      if (result.ok) expect(repairDamage(text, result.response), id).toEqual({ lost: [], fragments: [] });
    }
  });
});
