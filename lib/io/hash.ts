import { hash } from "node:crypto";

/** Whitespace-insensitive, Unicode-normalised form of a text, for duplicate detection. */
export function normaliseText(text: string): string {
  return text.normalize("NFC").replace(/\s+/g, " ").trim();
}

/**
 * Seed.contentHash: sha256 of the normalised instruction and input. Two seeds whose texts differ
 * only in whitespace or Unicode normal form are duplicates; the pair is hashed as a JSON array so
 * the boundary between instruction and input counts.
 */
export function contentHash(instruction: string, input: string): string {
  return sha256Hex(JSON.stringify([normaliseText(instruction), normaliseText(input)]));
}

/** The seed text of the depth-0 Node: the instruction, then the input (when there is one) after a blank line. */
export function seedText(instruction: string, input: string): string {
  const extra = input.trim();
  return extra ? `${instruction.trimEnd()}\n\n${extra}` : instruction;
}

/** One-shot (crypto.hash): no Hash object per call, which matters at one call per exported or imported row. */
export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
}
