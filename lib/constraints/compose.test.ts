import { describe, expect, it, vi } from "vitest";
import { parseKwargs } from "./checks/index";
import {
  composeConstraints,
  contradictoryPair,
  drawConstraintIds,
  FALLBACK_WORDS,
  hasContradiction,
  keywordToken,
  type ComposedConstraints,
  type ComposeOptions,
} from "./compose";
import { conflicts } from "./conflicts";
import { repeatPromptPosition, TEXTS } from "./describe";
import { CONSTRAINT_IDS, type ConstraintId } from "./ids";
import { createRng } from "./rng";

const SEEDS = [
  "Write a short story about a lighthouse keeper who finds a message in a bottle. ",
  "In this task, you are given a sentence. Classify its sentiment as positive or negative.\ninput : The food was cold and the staff was rude.",
  "Explain how photosynthesis works to a ten-year-old",
  "Give me three ideas for a weekend trip near the mountains.",
];
const KEYWORDS = ["lighthouse keeper", "bottle", "message", "ocean waves", "photosynthesis", "trip"];

const keywordSource = (seed: string) => (seed.includes("sentiment") ? [] : KEYWORDS);

async function compose(seed: number, extra: Partial<ComposeOptions> = {}): Promise<ComposedConstraints> {
  return composeConstraints({ seedText: SEEDS[seed % SEEDS.length]!, seed, keywordSource, ...extra });
}

const N = 2000;

describe("composeConstraints (spec §8.4)", async () => {
  const results = await Promise.all(Array.from({ length: N }, (_, s) => compose(s)));

  it("is deterministic for a given seed", async () => {
    for (let s = 0; s < 50; s++) expect(await compose(s)).toEqual(results[s]);
    expect(await composeConstraints({ seedText: SEEDS[0]!, rng: createRng(7), keywordSource })).toEqual(
      await composeConstraints({ seedText: SEEDS[0]!, seed: 7, keywordSource }),
    );
    const distinct = new Set(results.slice(0, 100).map((r) => JSON.stringify(r)));
    expect(distinct.size).toBeGreaterThan(95);
  });

  it("draws 3..5 constraints, except the first-draw rules and an exhausted table", () => {
    const sizes = new Map<number, number>();
    for (const r of results) {
      const ids = r.instruction_id_list;
      sizes.set(ids.length, (sizes.get(ids.length) ?? 0) + 1);
      if (ids[0] === "detectable_format:constrained_response") {
        expect(ids).toEqual(["detectable_format:constrained_response"]);
      } else if (ids[0] === "detectable_format:json_format") {
        expect(ids).toHaveLength(2);
        expect(["keywords:forbidden_words", "keywords:existence"]).toContain(ids[1]);
      } else if (ids.length < 3) {
        throw new Error(`too few constraints: ${ids.join(", ")}`);
      } else {
        expect(ids.length).toBeLessThanOrEqual(5);
      }
    }
    // Each first-draw rule fires for about 1/25 of the seeds.
    const first = (id: ConstraintId) => results.filter((r) => r.instruction_id_list[0] === id).length;
    expect(first("detectable_format:constrained_response")).toBeGreaterThan(N / 25 / 2);
    expect(first("detectable_format:constrained_response")).toBeLessThan((N / 25) * 2);
    expect(first("detectable_format:json_format")).toBeGreaterThan(N / 25 / 2);
    expect(sizes.get(3)! + sizes.get(4)! + sizes.get(5)!).toBeGreaterThan(N * 0.85);
    for (const n of [3, 4, 5]) expect(sizes.get(n)).toBeGreaterThan(N * 0.2);
  });

  it("never puts two conflicting ids in one prompt", () => {
    for (const r of results) {
      const ids = r.instruction_id_list;
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++)
          expect(conflicts(ids[i]!, ids[j]!), `${ids[i]} × ${ids[j]}`).toBe(false);
      }
    }
  });

  it("never draws constrained_response or json_format after the first draw", () => {
    for (const r of results) {
      expect(r.instruction_id_list.indexOf("detectable_format:constrained_response")).toBeLessThanOrEqual(0);
      const json = r.instruction_id_list.indexOf("detectable_format:json_format");
      // json_format later in the list is allowed by the table only next to keyword ids.
      if (json > 0)
        for (const id of r.instruction_id_list)
          expect(id.startsWith("keywords:") || id === "detectable_format:json_format").toBe(true);
    }
  });

  it("produces kwargs every check accepts, one object per id", () => {
    for (const r of results) {
      expect(r.kwargs).toHaveLength(r.instruction_id_list.length);
      expect(r.constraints).toHaveLength(r.instruction_id_list.length);
      r.instruction_id_list.forEach((id, i) => expect(() => parseKwargs(id, r.kwargs[i]!)).not.toThrow());
    }
  });

  it("uses the spec's value pools", () => {
    for (const r of results) {
      r.instruction_id_list.forEach((id, i) => {
        const k = r.kwargs[i]!;
        if (id === "length_constraints:number_words") {
          const n = k.num_words as number;
          if (k.relation === "at least") expect(n >= 10 && n <= 25).toBe(true);
          else expect(n >= 30 && n <= 100).toBe(true);
        }
        if (id === "keywords:letter_frequency") {
          expect("tocepljqnayiwm").toContain(k.letter);
          expect(k.let_frequency as number).toBeGreaterThanOrEqual(3);
          expect(k.let_frequency as number).toBeLessThanOrEqual(8);
        }
        if (id === "length_constraints:nth_paragraph_first_word") {
          expect(k.nth_paragraph as number).toBeLessThanOrEqual(k.num_paragraphs as number);
        }
        if (id === "keywords:existence" || id === "keywords:forbidden_words") {
          const words = (k.keywords ?? k.forbidden_words) as string[];
          expect(words).toHaveLength(1);
          expect(words[0]).not.toContain(" ");
        }
      });
    }
  });

  it("lays the prompt out as seed + Σ(text + '. '), with repeat_prompt around its body", () => {
    let repeats = 0;
    const positions = { start: 0, end: 0 };
    results.forEach((r, s) => {
      const seed = SEEDS[s % SEEDS.length]!;
      const ids = r.instruction_id_list;
      const rep = ids.indexOf("combination:repeat_prompt");
      const body =
        seed +
        r.constraints
          .filter((_, i) => i !== rep)
          .map((t) => `${t}. `)
          .join("");
      if (rep < 0) {
        expect(r.prompt).toBe(body);
        return;
      }
      repeats++;
      const template = r.constraints[rep]!;
      expect(TEXTS["combination:repeat_prompt"].templates).toContain(template);
      expect(r.kwargs[rep]).toEqual({ prompt_to_repeat: body });
      const position = repeatPromptPosition(template);
      positions[position]++;
      expect(r.prompt).toBe(position === "start" ? template + body : body + template);
    });
    expect(repeats).toBeGreaterThan(20);
    expect(positions.start).toBeGreaterThan(5);
    expect(positions.end).toBeGreaterThan(5);
  });

  it("covers every id over the seeds", () => {
    const counts = new Map<ConstraintId, number>();
    for (const r of results) for (const id of r.instruction_id_list) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of CONSTRAINT_IDS) expect(counts.get(id) ?? 0, id).toBeGreaterThan(10);
  });

  it("avoids contradictory values and pairs by default", () => {
    results.forEach((r, s) => {
      const items = r.instruction_id_list.map((id, i) => ({ id, kwargs: r.kwargs[i]! }));
      expect(hasContradiction(items)).toBe(false);
      const ids = r.instruction_id_list;
      const seed = SEEDS[s % SEEDS.length]!;
      for (const a of ids) for (const b of ids) if (a !== b) expect(contradictoryPair(a, b, seed)).toBe(false);
    });
  });
});

describe("composeConstraints options", () => {
  it("honours count and ids", async () => {
    const ids: ConstraintId[] = [
      "punctuation:no_comma",
      "startend:quotation",
      "detectable_format:title",
      "keywords:existence",
    ];
    for (let s = 0; s < 200; s++) {
      const r = await compose(s, { count: { min: 2, max: 2 }, ids });
      expect(r.instruction_id_list.length).toBeLessThanOrEqual(2);
      for (const id of r.instruction_id_list) expect(ids).toContain(id);
      expect(r.instruction_id_list).not.toEqual(["startend:quotation", "detectable_format:title"]);
    }
  });

  it("stops when no allowed id can be added", async () => {
    const r = await compose(1, { ids: ["startend:quotation", "detectable_format:title"], count: { min: 5, max: 5 } });
    expect(r.instruction_id_list).toHaveLength(1);
  });

  it("gives json_format its companion only when one is allowed", async () => {
    for (let s = 0; s < 20; s++) {
      const only = await compose(s, { ids: ["detectable_format:json_format"] });
      expect(only.instruction_id_list).toEqual(["detectable_format:json_format"]);
    }
  });

  it("validates its inputs", async () => {
    await expect(composeConstraints({ seedText: "  ", seed: 1, keywordSource })).rejects.toThrow(/seedText/);
    await expect(composeConstraints({ seedText: "x", keywordSource })).rejects.toThrow(/seed/);
    await expect(compose(1, { count: { min: 4, max: 2 } })).rejects.toThrow(/count/);
    await expect(compose(1, { ids: [] })).rejects.toThrow(/no constraint ids/);
  });

  it("calls the keyword source once, and only when a keyword is needed", async () => {
    const source = vi.fn(async () => ["alpha beta", "gamma"]);
    const keywordIds: ConstraintId[] = ["keywords:existence", "keywords:frequency", "keywords:forbidden_words"];
    const r = await composeConstraints({ seedText: "Say hi.", seed: 3, keywordSource: source, ids: keywordIds });
    expect(source).toHaveBeenCalledTimes(1);
    expect(source).toHaveBeenCalledWith("Say hi.");
    for (const k of r.kwargs) {
      const word =
        (k.keywords as string[] | undefined)?.[0] ?? (k.forbidden_words as string[] | undefined)?.[0] ?? k.keyword;
      expect(["alpha", "gamma"]).toContain(word);
    }
    const none = vi.fn(() => ["x"]);
    await composeConstraints({
      seedText: "Say hi.",
      seed: 3,
      keywordSource: none,
      ids: ["punctuation:no_comma", "startend:quotation"],
    });
    expect(none).not.toHaveBeenCalled();
  });

  it("falls back to three built-in words when the source gives nothing usable", async () => {
    for (const source of [() => [], () => ["C++", "  ", "42"], async () => ["!!!"]]) {
      for (let s = 0; s < 30; s++) {
        const r = await composeConstraints({
          seedText: "Describe a city.",
          seed: s,
          keywordSource: source,
          ids: ["keywords:existence"],
        });
        expect(FALLBACK_WORDS).toContain((r.kwargs[0]!.keywords as string[])[0]);
      }
    }
  });

  it("keeps the first space-separated token of a keyword entry, trimmed of quotes and punctuation", () => {
    expect(keywordToken("machine learning")).toBe("machine");
    expect(keywordToken('"NLP"')).toBe("NLP");
    expect(keywordToken("Jay-Z")).toBe("Jay-Z");
    expect(keywordToken("word,")).toBe("word");
    expect(keywordToken("C++")).toBeNull();
    expect(keywordToken("U.S.")).toBeNull();
    expect(keywordToken("x")).toBeNull();
    expect(keywordToken("don't")).toBe("don't");
    expect(keywordToken("don't", true)).toBeNull();
  });

  it("with avoidContradictions false, follows FCI's table only", async () => {
    const ids: ConstraintId[] = ["change_case:english_lowercase", "detectable_format:multiple_sections"];
    let together = 0;
    for (let s = 0; s < 100; s++) {
      const strict = await compose(s, { ids, count: { min: 2, max: 2 } });
      expect(strict.instruction_id_list).toHaveLength(1);
      const fci = await compose(s, { ids, count: { min: 2, max: 2 }, avoidContradictions: false });
      if (fci.instruction_id_list.length === 2) together++;
    }
    expect(together).toBe(100);
  });

  it("redraws a forbidden word that another constraint requires", async () => {
    const ids: ConstraintId[] = ["keywords:existence", "keywords:forbidden_words"];
    let clashes = 0;
    for (let s = 0; s < 200; s++) {
      const opts = {
        seedText: "Tell me about rivers.",
        seed: s,
        keywordSource: () => ["river", "water"],
        ids,
        count: { min: 2, max: 2 },
      };
      const r = await composeConstraints(opts);
      if (r.instruction_id_list.length === 2) {
        const existence = r.kwargs[r.instruction_id_list.indexOf("keywords:existence")]!.keywords as string[];
        const forbidden = r.kwargs[r.instruction_id_list.indexOf("keywords:forbidden_words")]!
          .forbidden_words as string[];
        expect(existence[0]).not.toBe(forbidden[0]);
      }
      const raw = await composeConstraints({ ...opts, avoidContradictions: false });
      if (raw.kwargs.length === 2 && JSON.stringify(raw.kwargs).match(/"(river|water)".*"\1"/)) clashes++;
    }
    expect(clashes).toBeGreaterThan(0);
  });
});

describe("drawConstraintIds", () => {
  it("is the id step alone, reproducible", () => {
    const a = drawConstraintIds(createRng(5));
    expect(drawConstraintIds(createRng(5))).toEqual(a);
  });
});

describe("contradictions outside the conflict table", () => {
  it("never asks for no commas next to an end phrase that contains one", () => {
    const noComma = { id: "punctuation:no_comma" as const, kwargs: {} };
    expect(
      hasContradiction([noComma, { id: "startend:end_checker", kwargs: { end_phrase: "your love, and thanks." } }]),
    ).toBe(true);
    expect(
      hasContradiction([noComma, { id: "startend:end_checker", kwargs: { end_phrase: "That is all you need!" } }]),
    ).toBe(false);
  });
});
