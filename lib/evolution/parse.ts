/**
 * Defensive parsing of model replies. Every parser returns a RoleOutcome: an unparsable reply is
 * a failure whose reason quotes the raw text (shortened), never an exception.
 */
import { z } from "zod";
import {
  ConstraintKwargsError,
  describeConstraint,
  isConstraintId,
  parseKwargs,
  type Kwargs,
} from "../constraints/index";
import { failure, ok, type Evolution, type Judgement, type RoleOutcome } from "./roles";
import { excerpt } from "./text";
import type { Constraint, EvolutionOperation } from "./types";

const RAW_MAX = 500;

function unparsable(what: string, raw: string, detail?: string): RoleOutcome<never> {
  return failure(`unparsable ${what} reply${detail ? ` (${detail})` : ""}: ${JSON.stringify(excerpt(raw, RAW_MAX))}`);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The JSON value in a reply: the whole text, else the content of a ``` fence, else the span from
 * the first "{" to the last "}" (tolerates leading prose and trailing remarks). undefined if none.
 */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  const whole = tryParse(trimmed);
  if (whole !== undefined) return whole;
  for (const m of trimmed.matchAll(/```[a-zA-Z]*[ \t]*\n?([\s\S]*?)```/g)) {
    const fenced = tryParse(m[1]!.trim());
    if (fenced !== undefined) return fenced;
  }
  const start = trimmed.indexOf("{");
  const end = trimmed.lastIndexOf("}");
  if (start >= 0 && end > start) return tryParse(trimmed.slice(start, end + 1));
  return undefined;
}

function parseWith<T>(what: string, raw: string, schema: z.ZodType<T>): RoleOutcome<T> {
  const value = extractJson(raw);
  if (value === undefined) return unparsable(what, raw, "no JSON object");
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length ? issue.path.join(".") : "(root)";
    return unparsable(what, raw, `${field}: ${issue.message}`);
  }
  return ok(result.data);
}

// ---------------------------------------------------------------------------------------------
// Evolution
// ---------------------------------------------------------------------------------------------

const stringList = z
  .array(z.unknown())
  .transform((items) =>
    items.filter((i): i is string => typeof i === "string" && i.trim() !== "").map((i) => i.trim()),
  );

const EvolutionReply = z.object({
  instruction: z.string().refine((s) => s.trim() !== "", "is empty"),
  added_requirements: stringList.optional().default([]),
  new_constraints: z.array(z.unknown()).optional().default([]),
});

const VerifiableItem = z.object({
  id: z.string(),
  kwargs_json: z.string().optional(),
  kwargs: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
  text: z.string().optional(),
});

function parseKwargsField(item: z.infer<typeof VerifiableItem>): Kwargs | string {
  const raw = item.kwargs_json ?? item.kwargs ?? {};
  const value = typeof raw === "string" ? (raw.trim() === "" ? {} : tryParse(raw)) : raw;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "kwargs is not a JSON object";
  // Drop null arguments, as for imported IFEval rows.
  return Object.fromEntries(Object.entries(value as Kwargs).filter(([, v]) => v !== null));
}

/** A verifiable constraint from an evolver's item, validated against the registry. */
export function verifiableFromItem(value: unknown): RoleOutcome<Extract<Constraint, { kind: "verifiable" }>> {
  const parsed = VerifiableItem.safeParse(value);
  if (!parsed.success) return failure(`constraint ${JSON.stringify(value)} has no id`);
  const item = parsed.data;
  const id = item.id.trim();
  if (!isConstraintId(id)) return failure(`unknown constraint id ${JSON.stringify(id)}`);
  const kwargs = parseKwargsField(item);
  if (typeof kwargs === "string") return failure(`${id}: ${kwargs}`);
  try {
    parseKwargs(id, kwargs);
  } catch (err) {
    if (err instanceof ConstraintKwargsError) return failure(`invalid kwargs: ${err.message}`);
    throw err;
  }
  const text = item.text?.trim() || describeConstraint(id, kwargs);
  return ok({ kind: "verifiable", id, kwargs, text });
}

function freeFromItem(value: unknown): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (value && typeof value === "object" && typeof (value as { text?: unknown }).text === "string") {
    return (value as { text: string }).text.trim() || null;
  }
  return null;
}

/**
 * Parses an evolver reply. For add_verifiable every item must be a valid registry constraint
 * (one bad item fails the reply); for the other operations items are free-form texts, and when
 * the model lists none, its added_requirements stand in as the free-form constraints.
 */
export function parseEvolution(raw: string, operation: EvolutionOperation): RoleOutcome<Evolution> {
  const reply = parseWith("evolution", raw, EvolutionReply);
  if (!reply.ok) return reply;
  const { instruction, added_requirements, new_constraints } = reply.value;
  const newConstraints: Constraint[] = [];
  if (operation === "add_verifiable") {
    for (const item of new_constraints) {
      const c = verifiableFromItem(item);
      if (!c.ok) return failure(`evolution reply has an invalid constraint: ${c.reason}`);
      newConstraints.push(c.value);
    }
  } else {
    for (const item of new_constraints) {
      const text = freeFromItem(item);
      if (text) newConstraints.push({ kind: "free", text });
    }
    if (newConstraints.length === 0) for (const text of added_requirements) newConstraints.push({ kind: "free", text });
  }
  return ok({ instruction: instruction.trim(), addedRequirements: added_requirements, newConstraints });
}

// ---------------------------------------------------------------------------------------------
// Judge and keywords
// ---------------------------------------------------------------------------------------------

const JudgeReply = z.object({
  passed: z.union([
    z.boolean(),
    z
      .enum(["true", "false", "True", "False", "yes", "no"])
      .transform((s) => s === "true" || s === "True" || s === "yes"),
  ]),
  reason: z.string().optional().default(""),
});

export function parseJudgement(raw: string): RoleOutcome<Judgement> {
  return parseWith("judge", raw, JudgeReply);
}

const KeywordReply = z.object({ keywords: stringList });

export function parseKeywords(raw: string): RoleOutcome<string[]> {
  const reply = parseWith("keyword", raw, KeywordReply);
  return reply.ok ? ok(reply.value.keywords) : reply;
}

// ---------------------------------------------------------------------------------------------
// Teacher
// ---------------------------------------------------------------------------------------------

/**
 * A "revised response" header: at a line start, optional markdown/dash/bracket decoration, the
 * words (any case, space/underscore/hyphen between), optional decoration and colon after.
 */
const REVISED_HEADER_PATTERN = /^[ \t]*[#>*_=\-[ \t]*revised[ \t_-]*response\b[ \t]*[\]*_=#\-]*[ \t]*:?[ \t*_]*/im;
/** Fallback: the words followed by a colon anywhere ("Here is my revised response:"). */
const REVISED_INLINE_PATTERN = /revised[ \t_-]*response[ \t*_#\-]*:[ \t*_]*/i;

/** Text after the first "revised response" header, leading newlines dropped, trailing space trimmed. */
export function parseRevision(raw: string): RoleOutcome<string> {
  const match = REVISED_HEADER_PATTERN.exec(raw) ?? REVISED_INLINE_PATTERN.exec(raw);
  if (!match) return unparsable("teacher", raw, "no revised-response section");
  const text = raw
    .slice(match.index + match[0].length)
    .replace(/^[ \t]*\r?\n/u, "")
    .replace(/^(?:[ \t]*\r?\n)+/u, "")
    .replace(/\s+$/u, "");
  if (text.trim() === "") return unparsable("teacher", raw, "empty revised response");
  return ok(text);
}
