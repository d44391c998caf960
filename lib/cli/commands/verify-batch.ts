/**
 * The per-prompt work of `ecd verify` (verdicts strict and loose, and their output lines), shared
 * by the main thread and the worker threads that take batches of a large input.
 */
import {
  buildInstructions,
  evaluateBuiltBoth,
  type BuiltInstruction,
  resultLine,
  type PromptRow,
} from "../../constraints/evaluate";

/** A validated prompt row with its response (what a worker receives). */
export interface VerifyItem {
  row: PromptRow;
  response: string;
}

/** One prompt's verdicts and its lines of eval_results_{strict,loose}.jsonl. */
export interface VerifiedItem {
  strict: boolean[];
  loose: boolean[];
  strictLine: string;
  looseLine: string;
}

export function verifyOne(row: PromptRow, instructions: readonly BuiltInstruction[], response: string): VerifiedItem {
  const { strict, loose } = evaluateBuiltBoth(row, instructions, response);
  return {
    strict: strict.follow_instruction_list,
    loose: loose.follow_instruction_list,
    strictLine: resultLine(strict),
    looseLine: resultLine(loose),
  };
}

/** A worker's batch: rows were validated by the main thread, so building their checkers cannot fail. */
export function verifyBatch(items: readonly VerifyItem[]): VerifiedItem[] {
  return items.map(({ row, response }) => verifyOne(row, buildInstructions(row), response));
}
