import { readFileSync } from "node:fs";
import { beforeAll, expect, it } from "vitest";
import { describeWithSharedData, sharedDataPath } from "../../test/shared-data.ts";
import { BenchmarkIndex, normalisePrompt } from "./decontam.ts";

const jsonl = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { prompt: string; constraints?: string[] });

it("normalises: NFKC, lower case, punctuation removed, whitespace collapsed", () => {
  expect(normalisePrompt("Ｗrite  a POEM—about\tthe sea!  ")).toBe("write a poem about the sea");
});

it("in a set under 100 prompts, a 13-gram of one prompt is task text, not boilerplate", () => {
  const small = new BenchmarkIndex("small", [
    {
      position: 0,
      prompt: "Describe why the moon pulls the oceans toward it twice a day and what a spring tide means for sailors.",
    },
    { position: 1, prompt: "Compose a haiku about autumn leaves falling on a quiet mountain temple at dusk." },
  ]);
  expect(small.boilerplate.size).toBe(0);
  expect(
    small.check(
      "In plain words: describe why the moon pulls the oceans toward it twice a day and what a spring tide means.",
    ),
  ).toMatchObject({ set: "small", position: 0, reason: "ngram" });
});

it("cuts the prompt's own constraint texts when they span sentences or are glued onto the task", () => {
  // One prompt's own phrasing of a constraint: under 100 prompts, not boilerplate by the 1% rule.
  const set = new BenchmarkIndex("phrasings", [
    {
      position: 0,
      prompt:
        "Write a limerick about a cat. Your answer must be exactly 3 paragraphs where paragraphs and only paragraphs are separated by two new lines, as if they were '\\n\\n' in python. Paragraph 1 must start with word cat.",
    },
    { position: 1, prompt: "Compose a haiku about autumn leaves falling on a quiet mountain temple at dusk." },
  ]);
  const constraint =
    "Your answer must be exactly 2 paragraphs where paragraphs and only paragraphs are separated by two new lines, as if they were '\\n\\n' in python. The first paragraph must start with the word dog";
  const composed = `Describe the history of the bicycle in Europe and Asia.${constraint}. `;
  expect(set.check(composed)).toMatchObject({ position: 0, reason: "ngram" });
  expect(set.check(composed, [constraint])).toBeNull();
  // The task's own words still count.
  expect(
    set.check("Compose a haiku about autumn leaves falling on a quiet mountain temple at dusk, please.", [constraint]),
  ).toMatchObject({ position: 1 });
});

describeWithSharedData("decontamination against IFEval", () => {
  // Read when the tests run, not while they are collected: without the data the suite skips.
  let IFEVAL: { position: number; prompt: string }[] = [];
  let ifeval: BenchmarkIndex;
  beforeAll(() => {
    IFEVAL = jsonl(sharedDataPath("ifeval", "input_data.jsonl")).map((r, position) => ({ position, prompt: r.prompt }));
    ifeval = new BenchmarkIndex("ifeval", IFEVAL);
  });

  it("finds every one of IFEval's 541 prompts in the IFEval set", () => {
    expect(IFEVAL).toHaveLength(541);
    const hits = IFEVAL.filter((p) => ifeval.check(p.prompt) !== null);
    expect(hits).toHaveLength(541);
  });

  it("catches a paraphrase that keeps a 13-gram of the task, not an unrelated prompt", () => {
    const task = IFEVAL[0]!.prompt; // the Raymond III summary
    const kept = normalisePrompt(task).split(" ").slice(0, 16).join(" ");
    const paraphrase = `Please help me out: ${kept}. Thanks a lot, and keep it friendly.`;
    const match = ifeval.check(paraphrase);
    expect(match).toMatchObject({ set: "ifeval", position: 0, reason: "ngram" });
    expect(match!.overlap).toBeGreaterThan(0);
    expect(match!.overlap).toBeLessThanOrEqual(1);
    expect(ifeval.check("Describe how a bicycle gear system works to a ten year old who loves football.")).toBeNull();
    // A short prompt matches only when equal as a whole.
    expect(ifeval.check("Write a poem.")).toBeNull();
  });

  // Issue 11: FCI's composed prompts take their constraint sentences from IFEval's own phrasings
  // (588 overlapped before the prompt's own constraint texts were cut sentence by sentence and where
  // glued onto the task); none is an IFEval task. Any overlap that comes back is listed with the
  // shared text that makes it real.
  it("FollowComplexInstruction's 1,500 composed prompts give 0 overlaps", () => {
    const fci = jsonl(sharedDataPath("fci", "data.jsonl"));
    expect(fci).toHaveLength(1500);
    const found = fci.flatMap((r, line) => {
      const match = ifeval.check(r.prompt, r.constraints ?? []);
      return match
        ? [{ line, position: match.position, shared: ifeval.sharedText(r.prompt, match.position, r.constraints ?? []) }]
        : [];
    });
    expect(found, JSON.stringify(found.slice(0, 20), null, 1)).toEqual([]);
  });
});

it("normalises ASCII text on its fast path exactly as the Unicode rules do", () => {
  const unicodeRules = (text: string) =>
    text
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\p{P}\p{S}]+/gu, " ")
      .replace(/\s+/gu, " ")
      .trim();
  const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join("");
  const samples = [
    printable,
    'Write a 3-paragraph ESSAY (about "rivers"), then: list_items; end!\tTabs\r\nand\vvertical\fform feeds',
    ...Array.from(printable, (c) => `before${c}after ${c}${c} x`),
  ];
  for (const text of samples) expect(normalisePrompt(text)).toBe(unicodeRules(text));
  // Non-ASCII text takes the Unicode path (NFKC folds the full-width letters).
  expect(normalisePrompt("Ｗｒｉｔｅ «this» — now")).toBe("write this now");
});
