/**
 * IFEval-style evaluation (spec §1): strict and loose verdicts per instruction, per-prompt output
 * objects in the official layout, and the accuracy report of the official `evaluation_main`.
 */
import { z } from "zod";
import { CHECKS, ConstraintKwargsError, parseKwargs, type CheckDefinition } from "./checks/index";
import { CONSTRAINT_IDS, type ConstraintId, type Kwargs } from "./ids";
import { withDetectionMemo } from "./nlp/langdetect";
import { pyFloatRepr, pyJsonDumps, pyStrip } from "./python";

export type EvaluationMode = "strict" | "loose";

// ---------------------------------------------------------------------------------------------
// Input rows
// ---------------------------------------------------------------------------------------------

const constraintIdSchema = z.enum(CONSTRAINT_IDS, {
  error: (issue) => `unknown instruction id ${JSON.stringify(issue.input)}`,
});

/** A prompt row of IFEval's `input_data.jsonl` (FCI rows have no `key`). */
export const PromptRowSchema = z
  .object({
    key: z.union([z.number(), z.string()]).optional(),
    prompt: z.string(),
    instruction_id_list: z.array(constraintIdSchema),
    kwargs: z.array(z.record(z.string(), z.unknown())),
  })
  .refine((row) => row.kwargs.length >= row.instruction_id_list.length, {
    message: "has fewer entries than instruction_id_list",
    path: ["kwargs"],
  });
export type PromptRow = z.infer<typeof PromptRowSchema>;

/** A response row `{prompt, response}`, joined to prompt rows by the exact prompt string. */
export const ResponseRowSchema = z.object({
  prompt: z.string(),
  response: z.string(),
});
export type ResponseRow = z.infer<typeof ResponseRowSchema>;

// ---------------------------------------------------------------------------------------------
// Building and checking instructions
// ---------------------------------------------------------------------------------------------

/** A checker built for one instruction of one prompt (nothing is shared between instructions). */
export interface BuiltInstruction {
  id: ConstraintId;
  kwargs: unknown;
  definition: CheckDefinition;
}

/** The kwargs of instruction `index` of a prompt row are invalid. */
export class InstructionBuildError extends Error {
  constructor(
    readonly index: number,
    readonly kwargsError: ConstraintKwargsError,
  ) {
    super(`instruction ${index}: ${kwargsError.message}`);
    this.name = "InstructionBuildError";
  }
}

export function buildInstruction(id: ConstraintId, kwargs: Kwargs): BuiltInstruction {
  return { id, kwargs: parseKwargs(id, kwargs), definition: CHECKS[id] };
}

/** Builds every instruction of a row; throws `InstructionBuildError` naming the bad one. */
export function buildInstructions(row: Pick<PromptRow, "instruction_id_list" | "kwargs">): BuiltInstruction[] {
  return row.instruction_id_list.map((id, index) => {
    try {
      return buildInstruction(id, row.kwargs[index] ?? {});
    } catch (err) {
      if (err instanceof ConstraintKwargsError) throw new InstructionBuildError(index, err);
      throw err;
    }
  });
}

/** The raw response and its loose variants, in the reference order (spec §1). */
export function looseCandidates(response: string): string[] {
  const lines = response.split("\n");
  const removeFirst = pyStrip(lines.slice(1).join("\n"));
  const removeLast = pyStrip(lines.slice(0, -1).join("\n"));
  const removeBoth = pyStrip(lines.slice(1, -1).join("\n"));
  const noStars = (s: string) => s.replaceAll("*", "");
  return [
    response,
    noStars(response),
    removeFirst,
    removeLast,
    removeBoth,
    noStars(removeFirst),
    noStars(removeLast),
    noStars(removeBoth),
  ];
}

function passes(instruction: BuiltInstruction, text: string): boolean {
  return pyStrip(text) !== "" && instruction.definition.check(text, instruction.kwargs);
}

function followsAny(instruction: BuiltInstruction, candidates: readonly string[]): boolean {
  return candidates.some((text) => passes(instruction, text));
}

/** The distinct candidates, first occurrences in order (checks are pure, so a repeat adds nothing). */
function distinctCandidates(response: string): string[] {
  return [...new Set(looseCandidates(response))];
}

/** Strict verdict: the response is not blank and passes the check as is. */
export function followsStrict(id: ConstraintId, kwargs: Kwargs, response: string): boolean {
  return passes(buildInstruction(id, kwargs), response);
}

/** Loose verdict: some non-blank candidate of the eight passes. */
export function followsLoose(id: ConstraintId, kwargs: Kwargs, response: string): boolean {
  return withDetectionMemo(() => followsAny(buildInstruction(id, kwargs), distinctCandidates(response)));
}

// ---------------------------------------------------------------------------------------------
// Per-prompt output
// ---------------------------------------------------------------------------------------------

/** One line of `eval_results_{strict,loose}.jsonl`; keys in the order the official evaluator writes. */
export interface PromptResult {
  follow_all_instructions: boolean;
  follow_instruction_list: boolean[];
  instruction_id_list: string[];
  prompt: string;
  response: string;
}

/**
 * A result line in two parts, `{verdict keys` and `the other keys}`: `json.dumps` of an object is
 * its entries joined by ", " between braces, so `${verdicts}, ${rest}` is the whole object.
 */
const resultVerdicts = (o: PromptResult) =>
  pyJsonDumps({
    follow_all_instructions: o.follow_all_instructions,
    follow_instruction_list: o.follow_instruction_list,
  }).slice(0, -1);
const resultRest = (o: PromptResult) =>
  pyJsonDumps({ instruction_id_list: o.instruction_id_list, prompt: o.prompt, response: o.response }).slice(1);

/** A line of eval_results_{strict,loose}.jsonl: Python `json.dumps` of the result, keys in the official order. */
export function resultLine(o: PromptResult): string {
  return `${resultVerdicts(o)}, ${resultRest(o)}\n`;
}

/**
 * The strict and loose lines of one `evaluateBuiltBoth`: they differ only in the verdicts, so the
 * prompt (most of a line) is escaped once.
 */
export function resultLinesBoth(both: { strict: PromptResult; loose: PromptResult }): {
  strict: string;
  loose: string;
} {
  const rest = resultRest(both.strict);
  return { strict: `${resultVerdicts(both.strict)}, ${rest}\n`, loose: `${resultVerdicts(both.loose)}, ${rest}\n` };
}

/**
 * Verdicts with already built instructions (throughput path; one candidate list per prompt).
 * Language detections are shared among the texts of this one response (`withDetectionMemo`).
 */
export function evaluateBuilt(
  row: Pick<PromptRow, "prompt" | "instruction_id_list">,
  instructions: readonly BuiltInstruction[],
  response: string,
  mode: EvaluationMode,
): PromptResult {
  return withDetectionMemo(() => {
    const strict = instructions.map((ins) => passes(ins, response));
    return promptResult(row, response, mode === "strict" ? strict : looseFromStrict(instructions, response, strict));
  });
}

/**
 * Loose verdicts given the strict ones: the unmodified response is the first of the eight
 * candidates, so an instruction that passes strict passes loose without trying the others.
 */
function looseFromStrict(instructions: readonly BuiltInstruction[], response: string, strict: boolean[]): boolean[] {
  if (strict.every(Boolean)) return strict;
  const others = distinctCandidates(response).slice(1);
  return instructions.map((ins, i) => strict[i]! || followsAny(ins, others));
}

function promptResult(
  row: Pick<PromptRow, "prompt" | "instruction_id_list">,
  response: string,
  list: boolean[],
): PromptResult {
  return {
    follow_all_instructions: list.every(Boolean),
    follow_instruction_list: list,
    instruction_id_list: row.instruction_id_list,
    prompt: row.prompt,
    response,
  };
}

/** Strict and loose results of one prompt, checking the unmodified response once. */
export function evaluateBuiltBoth(
  row: Pick<PromptRow, "prompt" | "instruction_id_list">,
  instructions: readonly BuiltInstruction[],
  response: string,
): { strict: PromptResult; loose: PromptResult } {
  return withDetectionMemo(() => {
    const strict = instructions.map((ins) => passes(ins, response));
    return {
      strict: promptResult(row, response, strict),
      loose: promptResult(row, response, looseFromStrict(instructions, response, strict)),
    };
  });
}

/** Evaluates one prompt row against its response (each instruction gets a fresh checker). */
export function evaluatePrompt(
  row: Pick<PromptRow, "prompt" | "instruction_id_list" | "kwargs">,
  response: string,
  mode: EvaluationMode,
): PromptResult {
  return evaluateBuilt(row, buildInstructions(row), response, mode);
}

/** A prompt row has no response with exactly its prompt string. */
export class MissingResponseError extends Error {
  constructor(
    readonly rowIndex: number,
    readonly prompt: string,
  ) {
    super(`no response for prompt ${JSON.stringify(prompt.length > 80 ? `${prompt.slice(0, 77)}...` : prompt)}`);
    this.name = "MissingResponseError";
  }
}

export type ResponsesByPrompt = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

function lookup(responses: ResponsesByPrompt, prompt: string): string | undefined {
  if (responses instanceof Map) return responses.get(prompt);
  const record = responses as Readonly<Record<string, string>>;
  return Object.hasOwn(record, prompt) ? record[prompt] : undefined;
}

/** Strict and loose results for every row, in row order. */
export function evaluateAll(
  rows: readonly PromptRow[],
  responsesByPrompt: ResponsesByPrompt,
): { strict: PromptResult[]; loose: PromptResult[] } {
  const strict: PromptResult[] = [];
  const loose: PromptResult[] = [];
  rows.forEach((row, index) => {
    const response = lookup(responsesByPrompt, row.prompt);
    if (response === undefined) throw new MissingResponseError(index, row.prompt);
    const both = evaluateBuiltBoth(row, buildInstructions(row), response);
    strict.push(both.strict);
    loose.push(both.loose);
  });
  return { strict, loose };
}

// ---------------------------------------------------------------------------------------------
// Accuracy report
// ---------------------------------------------------------------------------------------------

export interface Tally {
  correct: number;
  total: number;
  /** correct / total (NaN when total is 0). */
  accuracy: number;
}

export interface AccuracyReport {
  /** Prompts whose instructions were all followed. */
  prompt: Tally;
  /** Instructions followed. */
  instruction: Tally;
  /** Per group (the id prefix before ":"), keys sorted. */
  byGroup: Record<string, Tally>;
  /** Per instruction id, keys sorted. */
  byId: Record<string, Tally>;
}

function tally(correct: number, total: number): Tally {
  return { correct, total, accuracy: total === 0 ? NaN : correct / total };
}

function sortedTallies(counts: Map<string, [number, number]>): Record<string, Tally> {
  const out: Record<string, Tally> = {};
  for (const key of [...counts.keys()].sort()) {
    const [correct, total] = counts.get(key)!;
    out[key] = tally(correct, total);
  }
  return out;
}

export function accuracyReport(outputs: readonly PromptResult[]): AccuracyReport {
  let promptCorrect = 0;
  let instructionCorrect = 0;
  let instructionTotal = 0;
  const groups = new Map<string, [number, number]>();
  const ids = new Map<string, [number, number]>();
  const bump = (map: Map<string, [number, number]>, key: string, followed: boolean) => {
    const entry = map.get(key) ?? [0, 0];
    if (followed) entry[0]++;
    entry[1]++;
    map.set(key, entry);
  };
  for (const output of outputs) {
    if (output.follow_instruction_list.every(Boolean)) promptCorrect++;
    instructionTotal += output.instruction_id_list.length;
    output.instruction_id_list.forEach((id, i) => {
      const followed = output.follow_instruction_list[i] === true;
      if (followed) instructionCorrect++;
      bump(groups, id.split(":")[0]!, followed);
      bump(ids, id, followed);
    });
  }
  return {
    prompt: tally(promptCorrect, outputs.length),
    instruction: tally(instructionCorrect, instructionTotal),
    byGroup: sortedTallies(groups),
    byId: sortedTallies(ids),
  };
}

/** The text the official `print_report` prints (Python float formatting), ending with a newline. */
export function formatAccuracyReport(report: AccuracyReport): string {
  const lines = [
    `prompt-level: ${pyFloatRepr(report.prompt.accuracy)}`,
    `instruction-level: ${pyFloatRepr(report.instruction.accuracy)}`,
    "",
    ...Object.entries(report.byGroup).map(([group, t]) => `${group} ${pyFloatRepr(t.accuracy)}`),
    "",
    ...Object.entries(report.byId).map(([id, t]) => `${id} ${pyFloatRepr(t.accuracy)}`),
  ];
  return `${lines.join("\n")}\n`;
}

/** What `evaluation_main` prints for one output file: a rule, a title line, then the report. */
export function formatEvaluationBlock(outputFileName: string, outputs: readonly PromptResult[]): string {
  return `${"=".repeat(64)}\n${outputFileName} Accuracy Scores:\n${formatAccuracyReport(accuracyReport(outputs))}`;
}
