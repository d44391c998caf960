import { resolveShape, type ShapeName } from "../lib/io/shapes";
import type { SeedInput } from "../lib/evolution/index";
import { contentHash } from "../lib/io/hash";

/**
 * The seeds of a FollowComplexInstruction JSONL file as the importer reads them, numbered by line:
 * what a job would run. `res_llama2.jsonl` has shape "fci" (prompt, constraints, Llama-2's
 * response as the reference); `seed_data.jsonl` has shape "alpaca" (instruction, input, output).
 */
export function fciSeeds(jsonl: string, shapeName: Exclude<ShapeName, "mapped"> = "fci"): SeedInput[] {
  const shape = resolveShape({ shape: shapeName }, [], null);
  return jsonl
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const draft = shape.toDraft(JSON.parse(line) as Record<string, unknown>, i + 1);
      return {
        id: i + 1,
        contentHash: contentHash(draft.instruction, draft.input),
        instruction: draft.instruction,
        input: draft.input,
        referenceResponse: draft.referenceResponse,
        constraints: draft.constraints as SeedInput["constraints"],
      };
    });
}
