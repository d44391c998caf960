/**
 * The per-prompt work of `ecd verify` (verdicts strict and loose, and their output lines), shared
 * by the main thread and the worker threads that take batches of a large input.
 */
import {
  buildInstructions,
  evaluateBuiltBoth,
  type BuiltInstruction,
  resultLinesBoth,
  type PromptRow,
} from "../../constraints/evaluate";

/** A validated prompt row with its response (what a worker receives). */
export interface VerifyItem {
  row: PromptRow;
  response: string;
}

/**
 * Consecutive prompts' verdicts and their lines of eval_results_{strict,loose}.jsonl as bytes: a worker hands the bytes over without a copy (transferred), so the main thread neither
 * receives, keeps nor encodes the output text, which is as large as the prompts themselves.
 */
export interface VerifiedBatch {
  strict: boolean[][];
  loose: boolean[][];
  strictBytes: Uint8Array;
  looseBytes: Uint8Array;
}

/**
 * The bytes of output lines. They are ASCII (Python's json.dumps escapes every other character),
 * so their latin1 bytes are their UTF-8 bytes, without UTF-8 encoding's per-character work. The
 * buffer is never one of Buffer's shared pool, so it can be transferred.
 */
function asciiBytes(lines: readonly string[]): Uint8Array {
  let length = 0;
  for (const line of lines) length += line.length;
  const bytes = Buffer.allocUnsafeSlow(length);
  let at = 0;
  for (const line of lines) at += bytes.write(line, at, "latin1");
  return bytes;
}

/** Verifies prompts whose instructions are built (`instructionsOf(i)` for item i). */
export function verifyItems(
  items: readonly VerifyItem[],
  instructionsOf: (index: number) => readonly BuiltInstruction[],
): VerifiedBatch {
  const strict: boolean[][] = [];
  const loose: boolean[][] = [];
  const strictLines: string[] = [];
  const looseLines: string[] = [];
  items.forEach(({ row, response }, i) => {
    const both = evaluateBuiltBoth(row, instructionsOf(i), response);
    strict.push(both.strict.follow_instruction_list);
    loose.push(both.loose.follow_instruction_list);
    const lines = resultLinesBoth(both);
    strictLines.push(lines.strict);
    looseLines.push(lines.loose);
  });
  return { strict, loose, strictBytes: asciiBytes(strictLines), looseBytes: asciiBytes(looseLines) };
}

/** A worker's batch: rows were validated by the main thread, so building their checkers cannot fail. */
export function verifyBatch(items: readonly VerifyItem[]): VerifiedBatch {
  return verifyItems(items, (i) => buildInstructions(items[i]!.row));
}
