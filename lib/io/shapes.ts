import { z } from "zod";
import { ConstraintKwargsError, describeConstraint, isConstraintId, parseKwargs } from "../constraints/index.ts";
import { describeZodIssues } from "../errors.ts";

/**
 * Row shapes: how the fields of one record become a Seed. Each shape validates its record with
 * zod and answers with a message naming the field; detection looks at the first record only,
 * every later record must have the same shape.
 */

export const SHAPES = ["alpaca", "dolly", "sharegpt", "ifeval", "fci", "plain", "mapped"] as const;
export type ShapeName = (typeof SHAPES)[number];

export const SHAPE_LABELS: Record<ShapeName, string> = {
  alpaca: "Alpaca (instruction, input, output)",
  dolly: "Dolly (instruction, context, response)",
  sharegpt: "ShareGPT / messages (first user and assistant turns)",
  ifeval: "IFEval (key, prompt, instruction_id_list, kwargs)",
  fci: "FollowComplexInstruction (prompt, instruction_id_list, kwargs, constraints[, response])",
  plain: "Plain (prompt, response)",
  mapped: "Column mapping",
};

/** A verifiable constraint as stored on Node.constraints. */
export type VerifiableConstraint = { kind: "verifiable"; id: string; kwargs: Record<string, unknown>; text: string };

/** What one record becomes: a Seed and its depth-0 Node. */
export type SeedDraft = {
  line: number;
  externalId: string | null;
  instruction: string;
  input: string;
  referenceResponse: string | null;
  constraints: VerifiableConstraint[];
  metadata: Record<string, unknown>;
};

/** Explicit column mapping: which field of the record holds what. Dotted paths reach into objects. */
export const columnMappingSchema = z.object({
  instruction: z.string().trim().min(1, "name the column that holds the instruction"),
  input: z.string().trim().min(1).optional(),
  response: z.string().trim().min(1).optional(),
  id: z.string().trim().min(1).optional(),
});
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

/** Parses "instruction=question,input=context,response=answer,id=uid" (the CLI's --map). */
export function parseMappingSpec(spec: string): ColumnMapping {
  const out: Record<string, string> = {};
  for (const part of spec.split(",")) {
    if (!part.trim()) continue;
    const eq = part.indexOf("=");
    if (eq <= 0) throw new RecordError(`mapping "${part.trim()}" must look like field=column`);
    const key = part.slice(0, eq).trim();
    if (!["instruction", "input", "response", "id"].includes(key))
      throw new RecordError(`mapping field "${key}" must be one of instruction, input, response, id`);
    out[key] = part.slice(eq + 1).trim();
  }
  const parsed = columnMappingSchema.safeParse(out);
  if (!parsed.success) throw new RecordError(`mapping: ${describeZodIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** A record that does not fit its shape; the message names the field. */
export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordError";
  }
}

export type Shape = {
  name: ShapeName;
  /** Which field of the record feeds which part of the seed, for the preview. */
  mapping: { instruction: string; input?: string; response?: string; id?: string; constraints?: string };
  toDraft(record: Record<string, unknown>, line: number): SeedDraft;
};

const str = (field: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined ? `${field} is missing` : `${field} must be a string, got ${typeOf(issue.input)}`,
  });
const optStr = (field: string) =>
  z.string({ error: (issue) => `${field} must be a string, got ${typeOf(issue.input)}` }).nullish();

function typeOf(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "number") return `a number (${value})`;
  if (typeof value === "boolean") return `a boolean (${value})`;
  if (typeof value === "string") return "a string";
  return typeof value;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Our messages name the field; add the position inside lists (conversations[2], kwargs[1]).
  const issue = result.error.issues[0]!;
  const path = issue.path;
  let lastIndex = -1;
  path.forEach((p, i) => {
    if (typeof p === "number") lastIndex = i;
  });
  if (lastIndex === -1) throw new RecordError(issue.message);
  let where = field ?? "";
  for (const p of path.slice(0, lastIndex + 1))
    where += typeof p === "number" ? `[${p}]` : `${where ? "." : ""}${String(p)}`;
  throw new RecordError(`${where}: ${issue.message}`);
}

function requireText(value: string, field: string): string {
  if (value.trim() === "") throw new RecordError(`${field} is empty`);
  return value;
}

const KNOWN = {
  alpaca: ["instruction", "input", "output"],
  dolly: ["instruction", "context", "response"],
  sharegpt: ["conversations", "messages"],
  ifeval: ["key", "prompt", "instruction_id_list", "kwargs"],
  fci: ["prompt", "instruction_id_list", "kwargs", "constraints", "response"],
  plain: ["prompt", "response", "completion", "chosen", "output"],
} as const;

/** Fields the shape does not use, kept on Seed.metadata (e.g. Dolly's category). */
function extras(record: Record<string, unknown>, used: readonly string[], line: number): Record<string, unknown> {
  const out: Record<string, unknown> = { line };
  for (const [key, value] of Object.entries(record)) {
    if (!used.includes(key) && value !== undefined && value !== "" && key !== "line") out[key] = value;
  }
  return out;
}

/** CSV cells are strings; list-valued IFEval/FCI columns hold JSON text. */
function jsonCell(value: unknown): unknown {
  if (typeof value === "string" && /^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

const constraintRowSchema = z.object({
  prompt: str("prompt"),
  instruction_id_list: z.array(
    z.string({ error: (i) => `instruction_id_list must hold strings, got ${typeOf(i.input)}` }),
    {
      error: (issue) =>
        issue.input === undefined
          ? "instruction_id_list is missing"
          : `instruction_id_list must be a list of constraint ids, got ${typeOf(issue.input)}`,
    },
  ),
  kwargs: z.array(
    z.union([z.record(z.string(), z.unknown()), z.null()], {
      error: (i) => `kwargs must hold objects, got ${typeOf(i.input)}`,
    }),
    {
      error: (issue) =>
        issue.input === undefined
          ? "kwargs is missing"
          : `kwargs must be a list of objects, got ${typeOf(issue.input)}`,
    },
  ),
  constraints: z
    .array(z.string(), { error: (i) => `constraints must be a list of strings, got ${typeOf(i.input)}` })
    .optional()
    .nullable(),
});

// Built once: building a zod schema costs far more than using it.
const ALPACA = z.object({ instruction: str("instruction"), input: optStr("input"), output: optStr("output") });
const DOLLY = z.object({ instruction: str("instruction"), context: optStr("context"), response: optStr("response") });
const IFEVAL = constraintRowSchema.extend({
  key: z.union([z.number(), z.string()], { error: (i) => `key must be a number or a string, got ${typeOf(i.input)}` }),
});
const FCI = constraintRowSchema.extend({ response: optStr("response") });
const PLAIN = z.object({
  prompt: str("prompt"),
  response: optStr("response"),
  completion: optStr("completion"),
  chosen: optStr("chosen"),
  output: optStr("output"),
});

/** IFEval/FCI instruction ids + kwargs → structured verifiable constraints (registry-checked). */
function toConstraints(row: z.infer<typeof constraintRowSchema>): VerifiableConstraint[] {
  const ids = row.instruction_id_list;
  if (row.kwargs.length !== ids.length) {
    throw new RecordError(
      `kwargs has ${row.kwargs.length} entr${row.kwargs.length === 1 ? "y" : "ies"} but instruction_id_list has ${ids.length}`,
    );
  }
  if (row.constraints && row.constraints.length !== ids.length) {
    throw new RecordError(
      `constraints has ${row.constraints.length} entries but instruction_id_list has ${ids.length}`,
    );
  }
  return ids.map((id, i) => {
    if (!isConstraintId(id)) throw new RecordError(`instruction_id_list[${i}]: unknown constraint id "${id}"`);
    const kwargs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row.kwargs[i] ?? {}))
      if (value !== null && value !== undefined) kwargs[key] = value;
    try {
      parseKwargs(id, kwargs);
    } catch (error) {
      if (error instanceof ConstraintKwargsError) throw new RecordError(`kwargs[${i}]: ${error.message}`);
      throw error;
    }
    let text = row.constraints?.[i]?.trim();
    if (!text) {
      try {
        text = describeConstraint(id, kwargs);
      } catch {
        text = id;
      }
    }
    return { kind: "verifiable", id, kwargs, text };
  });
}

const alpaca: Shape = {
  name: "alpaca",
  mapping: { instruction: "instruction", input: "input", response: "output" },
  toDraft(record, line) {
    const row = parseWith(ALPACA, record);
    return {
      line,
      externalId: null,
      instruction: requireText(row.instruction, "instruction"),
      input: row.input ?? "",
      referenceResponse: row.output || null,
      constraints: [],
      metadata: extras(record, KNOWN.alpaca, line),
    };
  },
};

const dolly: Shape = {
  name: "dolly",
  mapping: { instruction: "instruction", input: "context", response: "response" },
  toDraft(record, line) {
    const row = parseWith(DOLLY, record);
    return {
      line,
      externalId: null,
      instruction: requireText(row.instruction, "instruction"),
      input: row.context ?? "",
      referenceResponse: row.response || null,
      constraints: [],
      metadata: extras(record, KNOWN.dolly, line),
    };
  },
};

const USER_ROLES = new Set(["human", "user"]);
const ASSISTANT_ROLES = new Set(["gpt", "assistant", "chatgpt", "bard", "bing", "model", "bot"]);

const contentSchema = z.union([
  z.string(),
  z.array(z.object({ type: z.string().optional(), text: z.string().optional() }).loose()).transform((parts) =>
    parts
      .filter((p) => p.type === undefined || p.type === "text")
      .map((p) => p.text ?? "")
      .join(""),
  ),
]);

const SHAREGPT_TURNS = z.array(
  z.object(
    { from: str("from"), value: str("value") },
    { error: (i) => `each turn must be an object with from and value, got ${typeOf(i.input)}` },
  ),
  { error: (i) => `conversations must be a list of turns, got ${typeOf(i.input)}` },
);
const MESSAGES = z.array(
  z.object(
    {
      role: str("role"),
      content: z.union([contentSchema, z.null()], {
        error: (i) => `content must be a string or a list of text parts, got ${typeOf(i.input)}`,
      }),
    },
    { error: (i) => `each message must be an object with role and content, got ${typeOf(i.input)}` },
  ),
  {
    error: (i) =>
      i.input === undefined ? "messages is missing" : `messages must be a list of messages, got ${typeOf(i.input)}`,
  },
);

const sharegpt: Shape = {
  name: "sharegpt",
  mapping: { instruction: "first user turn", response: "first assistant turn after it" },
  toDraft(record, line) {
    type Turn = { role: string; text: string };
    let turns: Turn[];
    let field: string;
    if (record.conversations !== undefined) {
      field = "conversations";
      const rows = parseWith(SHAREGPT_TURNS, record.conversations, "conversations");
      turns = rows.map((t) => ({ role: t.from.toLowerCase(), text: t.value }));
    } else {
      field = "messages";
      const rows = parseWith(MESSAGES, record.messages, "messages");
      turns = rows.map((m) => ({ role: m.role.toLowerCase(), text: m.content ?? "" }));
    }
    const userAt = turns.findIndex((t) => USER_ROLES.has(t.role));
    if (userAt === -1) throw new RecordError(`${field} has no user turn`);
    const assistant = turns.slice(userAt + 1).find((t) => ASSISTANT_ROLES.has(t.role));
    const system = turns.slice(0, userAt).find((t) => t.role === "system");
    const metadata = extras(record, [...KNOWN.sharegpt, "id"], line);
    if (system?.text) metadata.system = system.text;
    if (turns.length > (assistant ? userAt + 2 : userAt + 1)) metadata.turns = turns.length;
    const id = record.id;
    return {
      line,
      externalId: typeof id === "string" || typeof id === "number" ? String(id) : null,
      instruction: requireText(turns[userAt]!.text, `${field} user turn`),
      input: "",
      referenceResponse: assistant?.text || null,
      constraints: [],
      metadata,
    };
  },
};

const ifeval: Shape = {
  name: "ifeval",
  mapping: { instruction: "prompt", constraints: "instruction_id_list + kwargs", id: "key" },
  toDraft(record, line) {
    const normalised = {
      ...record,
      instruction_id_list: jsonCell(record.instruction_id_list),
      kwargs: jsonCell(record.kwargs),
    };
    const row = parseWith(IFEVAL, normalised);
    return {
      line,
      externalId: String(row.key),
      instruction: requireText(row.prompt, "prompt"),
      input: "",
      referenceResponse: typeof record.response === "string" && record.response ? record.response : null,
      constraints: toConstraints(row),
      metadata: extras(record, [...KNOWN.ifeval, "response"], line),
    };
  },
};

const fci: Shape = {
  name: "fci",
  mapping: {
    instruction: "prompt",
    response: "response",
    constraints: "instruction_id_list + kwargs (text from constraints)",
  },
  toDraft(record, line) {
    const normalised = {
      ...record,
      instruction_id_list: jsonCell(record.instruction_id_list),
      kwargs: jsonCell(record.kwargs),
      constraints: jsonCell(record.constraints),
    };
    const row = parseWith(FCI, normalised);
    return {
      line,
      externalId: null,
      instruction: requireText(row.prompt, "prompt"),
      input: "",
      referenceResponse: row.response || null,
      constraints: toConstraints(row),
      metadata: extras(record, KNOWN.fci, line),
    };
  },
};

const PLAIN_RESPONSE_FIELDS = ["response", "completion", "chosen", "output"] as const;

const plain: Shape = {
  name: "plain",
  mapping: { instruction: "prompt", response: "response | completion | chosen | output" },
  toDraft(record, line) {
    const row = parseWith(PLAIN, record);
    const responseField = PLAIN_RESPONSE_FIELDS.find((f) => row[f]);
    return {
      line,
      externalId: null,
      instruction: requireText(row.prompt, "prompt"),
      input: "",
      referenceResponse: responseField ? row[responseField]! : null,
      constraints: [],
      metadata: extras(record, ["prompt", ...(responseField ? [responseField] : [])], line),
    };
  },
};

function getPath(record: Record<string, unknown>, path: string): unknown {
  if (path in record) return record[path];
  let value: unknown = record;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function mappedShape(mapping: ColumnMapping): Shape {
  const fields = Object.entries(mapping) as [keyof ColumnMapping, string | undefined][];
  return {
    name: "mapped",
    mapping: { instruction: mapping.instruction, input: mapping.input, response: mapping.response, id: mapping.id },
    toDraft(record, line) {
      const values: Partial<Record<keyof ColumnMapping, string>> = {};
      for (const [field, column] of fields) {
        if (!column) continue;
        const value = getPath(record, column);
        if (value === undefined || value === null) {
          if (field === "instruction") throw new RecordError(`"${column}" (the instruction) is missing`);
          continue;
        }
        if (typeof value === "number" && field === "id") values.id = String(value);
        else if (typeof value !== "string")
          throw new RecordError(`"${column}" (the ${field}) must be a string, got ${typeOf(value)}`);
        else values[field] = value;
      }
      const used = [mapping.instruction, mapping.input, mapping.response, mapping.id].filter((c): c is string => !!c);
      return {
        line,
        externalId: values.id ?? null,
        instruction: requireText(values.instruction ?? "", `"${mapping.instruction}" (the instruction)`),
        input: values.input ?? "",
        referenceResponse: values.response || null,
        constraints: [],
        metadata: extras(record, used, line),
      };
    },
  };
}

const BUILT_IN: Record<Exclude<ShapeName, "mapped">, Shape> = { alpaca, dolly, sharegpt, ifeval, fci, plain };

/** The shape of a record from its field names, or null when none fits. */
export function detectShape(keys: readonly string[]): Exclude<ShapeName, "mapped"> | null {
  const has = (k: string) => keys.includes(k);
  if (has("prompt") && has("instruction_id_list") && has("kwargs")) return has("key") ? "ifeval" : "fci";
  if (has("conversations") || has("messages")) return "sharegpt";
  if (has("instruction") && (has("context") || has("response")) && !has("input") && !has("output")) return "dolly";
  if (has("instruction")) return "alpaca";
  if (has("prompt")) return "plain";
  return null;
}

/**
 * The shape to use: the explicit mapping, else the named shape, else the one detected from the
 * first record's fields (or the CSV header). A mapping naming a column the header lacks, or
 * fields that fit no shape, stop the import with the fields listed.
 */
export function resolveShape(
  options: { shape?: ShapeName | "auto"; mapping?: ColumnMapping },
  keys: readonly string[],
  columns: readonly string[] | null,
): Shape {
  if (options.mapping) {
    if (columns) {
      for (const column of Object.values(options.mapping)) {
        if (column && !columns.includes(column))
          throw new RecordError(
            `the mapping names column "${column}", which the header does not have (columns: ${columns.join(", ")})`,
          );
      }
    }
    return mappedShape(options.mapping);
  }
  if (options.shape === "mapped")
    throw new RecordError("the mapped shape needs a column mapping (which column holds the instruction)");
  if (options.shape && options.shape !== "auto") return BUILT_IN[options.shape];
  const detected = detectShape(keys);
  if (!detected) {
    const list = keys.length ? keys.map((k) => JSON.stringify(k)).join(", ") : "none";
    throw new RecordError(
      `cannot tell the row shape from the fields ${list}: expected Alpaca (instruction, input, output), Dolly (instruction, context, response), ShareGPT (conversations or messages), IFEval (key, prompt, instruction_id_list, kwargs), FollowComplexInstruction (prompt, instruction_id_list, kwargs) or plain (prompt, response); or give a column mapping`,
    );
  }
  return BUILT_IN[detected];
}
