import { z } from "zod";
import { PAIR_STATUSES } from "../../domain.ts";
import { sha256Hex } from "../hash.ts";
import { responseOrigin } from "../../review/view.ts";
import type { ExportPair, ExportResponse } from "./select.ts";

import { RESPONSE_GENERATORS, type ResponseGenerator } from "../../review/pair-query.ts";

/**
 * Export formats and the exact shape of one line of each, as zod schemas (the round-trip tests
 * parse every exported line with them).
 */
export const EXPORT_FORMATS = ["trl-dpo", "trl-dpo-conversational", "openai-dpo", "sft", "chains"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_LABELS: Record<ExportFormat, string> = {
  "trl-dpo": "TRL DPO (prompt, chosen, rejected strings)",
  "trl-dpo-conversational": "TRL DPO, conversational (message lists)",
  "openai-dpo": "OpenAI DPO fine-tuning",
  sft: "SFT messages (user, assistant) from chosen responses",
  chains: "Chains: one evolution tree per line (research)",
};

const message = (role: "user" | "assistant") => z.object({ role: z.literal(role), content: z.string() }).strict();

/** Metadata columns shared by the TRL formats (flat, so they load as dataset columns). */
const metadataColumns = {
  prompt_id: z.string().regex(/^[0-9a-f]{64}$/),
  pair_id: z.number().int(),
  seed_id: z.number().int(),
  node_id: z.number().int(),
  job_id: z.number().int().nullable(),
  method: z.string(),
  depth: z.number().int().min(0),
  constraint_ids: z.array(z.string()),
  /** Ids (or "free") of the constraints new at the pair's node. */
  new_constraint_ids: z.array(z.string()),
  free_form_constraints: z.array(z.string()),
  /** What wrote each response: llm, rule-based, reference or human. */
  chosen_generator: z.enum(RESPONSE_GENERATORS),
  rejected_generator: z.enum(RESPONSE_GENERATORS),
  chosen_provider: z.string(),
  rejected_provider: z.string(),
  chosen_model: z.string(),
  rejected_model: z.string(),
  chosen_role: z.string(),
  rejected_role: z.string(),
  review_status: z.enum(PAIR_STATUSES),
  review_count: z.number().int().min(0),
  prompt_edited: z.boolean(),
  /** The prompt or a response carries a human edit. */
  edited: z.boolean(),
  /** Chosen and rejected are the other way round from how they were generated. */
  swapped: z.boolean(),
  /** Accepted although the chosen response fails a code-checked constraint. */
  override: z.boolean(),
  /** Words of chosen / words of rejected. */
  length_ratio: z.number().nullable(),
};

export const trlDpoRowSchema = z
  .object({ prompt: z.string(), chosen: z.string(), rejected: z.string(), ...metadataColumns })
  .strict();

export const trlDpoConversationalRowSchema = z
  .object({
    prompt: z.array(message("user")).length(1),
    chosen: z.array(message("assistant")).length(1),
    rejected: z.array(message("assistant")).length(1),
    ...metadataColumns,
  })
  .strict();

/** OpenAI's preference fine-tuning line: no other keys (the API rejects unknown ones). */
export const openaiDpoRowSchema = z
  .object({
    input: z.object({ messages: z.array(message("user")).min(1) }).strict(),
    preferred_output: z.array(message("assistant")).length(1),
    non_preferred_output: z.array(message("assistant")).length(1),
  })
  .strict();

export const sftRowSchema = z.object({ messages: z.tuple([message("user"), message("assistant")]) }).strict();

export const chainsRowSchema = z.object({
  seed: z.object({
    id: z.number(),
    externalId: z.string().nullable(),
    instruction: z.string(),
    input: z.string(),
    referenceResponse: z.string().nullable(),
    source: z.string(),
  }),
  nodes: z.array(
    z
      .object({
        id: z.number(),
        parentId: z.number().nullable(),
        depth: z.number(),
        instruction: z.string(),
        constraints: z.unknown(),
        operation: z.string().nullable(),
        status: z.string(),
      })
      .loose(),
  ),
  responses: z.array(
    z
      .object({
        id: z.number(),
        nodeId: z.number(),
        text: z.string(),
        role: z.string(),
        provider: z.string(),
        model: z.string(),
        parentId: z.number().nullable(),
      })
      .loose(),
  ),
  pairs: z.array(
    z
      .object({
        id: z.number(),
        nodeId: z.number(),
        chosenId: z.number(),
        rejectedId: z.number(),
        method: z.string(),
        status: z.string(),
        prompt: z.string(),
      })
      .loose(),
  ),
  reviews: z.array(z.object({ id: z.number(), pairId: z.number(), decision: z.string() }).loose()),
});

export const ROW_SCHEMAS: Record<ExportFormat, z.ZodType> = {
  "trl-dpo": trlDpoRowSchema,
  "trl-dpo-conversational": trlDpoConversationalRowSchema,
  "openai-dpo": openaiDpoRowSchema,
  sft: sftRowSchema,
  chains: chainsRowSchema,
};

/** What wrote a response: llm, rule-based, reference (the seed's own answer) or human (an edit). */
export function responseGenerator(response: Pick<ExportResponse, "role" | "provider">): ResponseGenerator {
  return responseOrigin(response.role, response.provider);
}

/** Who wrote a response, as one column value: the model, else the provider (e.g. "human", "rule-based"). */
export function responseModel(response: ExportResponse): string {
  if (response.role === "human") return "human";
  return response.model || response.provider;
}

/**
 * JSON of a short string that repeats from line to line (a method, status, provider, model, role,
 * generator, reviewer pseudonym): encoded once per process, up to 10,000 distinct ones.
 */
const labelJsonCache = new Map<string, string>();
export function labelJson(value: string): string {
  let json = labelJsonCache.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    if (labelJsonCache.size < 10_000) labelJsonCache.set(value, json);
  }
  return json;
}

/** A number as JSON.stringify writes it (String gives the same digits; NaN and ±Infinity are null). */
export const numberJson = (value: number | null): string =>
  value !== null && Number.isFinite(value) ? String(value) : "null";

/** A list of strings as JSON ("[]" without a call when empty, as most are). */
export const listJson = (values: readonly string[]): string => (values.length === 0 ? "[]" : JSON.stringify(values));

/**
 * A TRL preference line: `prompt`, `chosen` and `rejected` (plain or conversational, given as JSON),
 * then the pair's metadata columns, as JSON text with the keys in this order. Written as one template
 * instead of JSON.stringify of an object: the repeated short strings are encoded once (labelJson) and
 * no object is built per line (−15–25% CPU for this line in a micro-benchmark; formats.test.ts checks
 * it against JSON.stringify of the same object).
 */
function dpoLine(pair: ExportPair, prompt: string, chosen: string, rejected: string): string {
  return `{"prompt":${prompt},"chosen":${chosen},"rejected":${rejected},"prompt_id":"${sha256Hex(pair.prompt)}","pair_id":${numberJson(pair.id)},"seed_id":${numberJson(pair.seedId)},"node_id":${numberJson(pair.nodeId)},"job_id":${numberJson(pair.jobId)},"method":${labelJson(pair.method)},"depth":${numberJson(pair.depth)},"constraint_ids":${listJson(pair.constraintIds)},"new_constraint_ids":${listJson(pair.newConstraintIds)},"free_form_constraints":${listJson(pair.freeFormConstraints)},"chosen_generator":${labelJson(responseGenerator(pair.chosen))},"rejected_generator":${labelJson(responseGenerator(pair.rejected))},"chosen_provider":${labelJson(pair.chosen.provider)},"rejected_provider":${labelJson(pair.rejected.provider)},"chosen_model":${labelJson(responseModel(pair.chosen))},"rejected_model":${labelJson(responseModel(pair.rejected))},"chosen_role":${labelJson(pair.chosen.role)},"rejected_role":${labelJson(pair.rejected.role)},"review_status":${labelJson(pair.status)},"review_count":${numberJson(pair.reviewCount)},"prompt_edited":${pair.promptEdited},"edited":${pair.edited},"swapped":${pair.swapped},"override":${pair.override},"length_ratio":${numberJson(pair.lengthRatio)}}\n`;
}

const messagesJson = (role: "user" | "assistant", content: string) => JSON.stringify([{ role, content }]);

/** One line of the data file (JSON and its newline) for a pair, in a pair-per-line format. */
export function pairLine(format: Exclude<ExportFormat, "chains">, pair: ExportPair): string {
  switch (format) {
    case "trl-dpo":
      return dpoLine(
        pair,
        JSON.stringify(pair.prompt),
        JSON.stringify(pair.chosen.text),
        JSON.stringify(pair.rejected.text),
      );
    case "trl-dpo-conversational":
      return dpoLine(
        pair,
        messagesJson("user", pair.prompt),
        messagesJson("assistant", pair.chosen.text),
        messagesJson("assistant", pair.rejected.text),
      );
    case "openai-dpo":
      return (
        JSON.stringify({
          input: { messages: [{ role: "user", content: pair.prompt }] },
          preferred_output: [{ role: "assistant", content: pair.chosen.text }],
          non_preferred_output: [{ role: "assistant", content: pair.rejected.text }],
        }) + "\n"
      );
    case "sft":
      return (
        JSON.stringify({
          messages: [
            { role: "user", content: pair.prompt },
            { role: "assistant", content: pair.chosen.text },
          ],
        }) + "\n"
      );
  }
}

/** The JSON of a response's generator, provider, model and role in metadata.jsonl. */
const generatorJson = (r: ExportPair["chosen"]) =>
  `{"generator":${labelJson(responseGenerator(r))},"provider":${labelJson(r.provider)},"model":${labelJson(r.model)},"role":${labelJson(r.role)}}`;

/**
 * One metadata.jsonl line (JSON and its newline): where a data line's pair came from and how it was
 * reviewed (`reviews`: a JSON list of reviewJson, export.ts reviewsOf). A template, like the TRL lines (formats.ts
 * dpoLine): about half the CPU of JSON.stringify of the nested objects; formats.test.ts checks it
 * against JSON.stringify of the same object.
 */
export function metadataLine(pair: ExportPair, reviews: string): string {
  return `{"pair_id":${numberJson(pair.id)},"seed_id":${numberJson(pair.seedId)},"node_id":${numberJson(pair.nodeId)},"job_id":${numberJson(pair.jobId)},"method":${labelJson(pair.method)},"depth":${numberJson(pair.depth)},"new_constraint_ids":${listJson(pair.newConstraintIds)},"free_form_constraints":${listJson(pair.freeFormConstraints)},"chosen":${generatorJson(pair.chosen)},"rejected":${generatorJson(pair.rejected)},"verdicts":${JSON.stringify(pair.verdicts ?? null)},"review_status":${labelJson(pair.status)},"reviews":${reviews},"length_ratio":${numberJson(pair.lengthRatio)}}\n`;
}

/** One review in metadata.jsonl's `reviews` list, as JSON. */
export const reviewJson = (reviewer: string, kind: string, decision: string, round: number): string =>
  `{"reviewer":${labelJson(reviewer)},"kind":${labelJson(kind)},"decision":${labelJson(decision)},"round":${numberJson(round)}}`;
