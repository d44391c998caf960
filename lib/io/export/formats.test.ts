import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { metadataLine, pairLine, responseGenerator, responseModel, reviewJson, trlDpoRowSchema } from "./formats.ts";
import type { ExportPair } from "./select.ts";

/**
 * The TRL and metadata.jsonl lines are built as templates (formats.ts): they must be exactly what
 * JSON.stringify of the same object, keys in the same order, gave before — awkward values included.
 */
const awkward = 'quote " backslash \\ newline \n tab \t control \u0001 line sep \u2028 lone \ud800 emoji 😀 é';

function pair(overrides: Partial<ExportPair> = {}): ExportPair {
  return {
    id: 12,
    nodeId: 34,
    seedId: 56,
    method: "ecd",
    status: "accepted",
    depth: 2,
    reviewCount: 3,
    hardNegative: null,
    constraintIds: ["punctuation:no_comma", awkward],
    newConstraintIds: ["free"],
    freeFormConstraints: [awkward],
    jobId: 7,
    verdicts: { chosen: [{ id: "x", pass: true, score: 0.5 }], note: awkward },
    prompt: `Prompt ${awkward}`,
    promptEdited: true,
    edited: true,
    swapped: false,
    override: true,
    lengthRatio: 1.2345678901234567,
    chosen: { id: 1, text: `Chosen ${awkward}`, role: "human", provider: awkward, model: 'm"1', jobId: null },
    rejected: { id: 2, text: "Rejected", role: "student", provider: "openai", model: "llama-2-7b", jobId: 9 },
    ...overrides,
  };
}

/** The line's object as formats.ts built it before the templates (key order included). */
function dpoObject(p: ExportPair, prompt: unknown, chosen: unknown, rejected: unknown) {
  return {
    prompt,
    chosen,
    rejected,
    prompt_id: createHash("sha256").update(p.prompt).digest("hex"),
    pair_id: p.id,
    seed_id: p.seedId,
    node_id: p.nodeId,
    job_id: p.jobId,
    method: p.method,
    depth: p.depth,
    constraint_ids: p.constraintIds,
    new_constraint_ids: p.newConstraintIds,
    free_form_constraints: p.freeFormConstraints,
    chosen_generator: responseGenerator(p.chosen),
    rejected_generator: responseGenerator(p.rejected),
    chosen_provider: p.chosen.provider,
    rejected_provider: p.rejected.provider,
    chosen_model: responseModel(p.chosen),
    rejected_model: responseModel(p.rejected),
    chosen_role: p.chosen.role,
    rejected_role: p.rejected.role,
    review_status: p.status,
    review_count: p.reviewCount,
    prompt_edited: p.promptEdited,
    edited: p.edited,
    swapped: p.swapped,
    override: p.override,
    length_ratio: p.lengthRatio,
  };
}

const variants: [string, ExportPair][] = [
  ["awkward strings, a fractional ratio", pair()],
  [
    "nulls and empty lists",
    pair({
      jobId: null,
      lengthRatio: null,
      verdicts: null,
      constraintIds: [],
      newConstraintIds: [],
      freeFormConstraints: [],
    }),
  ],
  ["a ratio that is not finite", pair({ lengthRatio: Number.NaN })],
  ["an infinite ratio, undefined verdicts", pair({ lengthRatio: Number.POSITIVE_INFINITY, verdicts: undefined })],
];

describe("export lines", () => {
  it.each(variants)("trl-dpo and trl-dpo-conversational lines are JSON.stringify's bytes (%s)", (_name, p) => {
    const plain = pairLine("trl-dpo", p);
    expect(plain).toBe(JSON.stringify(dpoObject(p, p.prompt, p.chosen.text, p.rejected.text)) + "\n");
    expect(plain.endsWith("\n") && !plain.slice(0, -1).includes("\n")).toBe(true);
    expect(trlDpoRowSchema.safeParse(JSON.parse(plain)).success).toBe(true);
    expect(pairLine("trl-dpo-conversational", p)).toBe(
      JSON.stringify(
        dpoObject(
          p,
          [{ role: "user", content: p.prompt }],
          [{ role: "assistant", content: p.chosen.text }],
          [{ role: "assistant", content: p.rejected.text }],
        ),
      ) + "\n",
    );
  });

  it.each(variants)("metadata.jsonl lines are JSON.stringify's bytes (%s)", (_name, p) => {
    const reviews = [
      { reviewer: "reviewer-1", kind: "vote", decision: "accept", round: 1 },
      { reviewer: awkward, kind: "adjudication", decision: "reject", round: 2 },
    ];
    const generator = (r: ExportPair["chosen"]) => ({
      generator: responseGenerator(r),
      provider: r.provider,
      model: r.model,
      role: r.role,
    });
    const expected = {
      pair_id: p.id,
      seed_id: p.seedId,
      node_id: p.nodeId,
      job_id: p.jobId,
      method: p.method,
      depth: p.depth,
      new_constraint_ids: p.newConstraintIds,
      free_form_constraints: p.freeFormConstraints,
      chosen: generator(p.chosen),
      rejected: generator(p.rejected),
      verdicts: p.verdicts ?? null,
      review_status: p.status,
      reviews,
      length_ratio: p.lengthRatio,
    };
    const list = `[${reviews.map((r) => reviewJson(r.reviewer, r.kind, r.decision, r.round)).join(",")}]`;
    expect(metadataLine(p, list)).toBe(JSON.stringify(expected) + "\n");
    expect(metadataLine(p, "[]")).toBe(JSON.stringify({ ...expected, reviews: [] }) + "\n");
  });
});
