import { resolveShape } from "../lib/io/shapes";
import type { SeedInput } from "../lib/evolution/index";

/**
 * The FollowComplexInstruction seeds of a `res_llama2.jsonl`-style file (prompt, constraints,
 * response) as the importer reads them (shape "fci"), numbered by line: what a job would run.
 */
export function fciSeeds(jsonl: string): SeedInput[] {
  const shape = resolveShape({ shape: "fci" }, [], null);
  return jsonl
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const draft = shape.toDraft(JSON.parse(line) as Record<string, unknown>, i + 1);
      return {
        id: i + 1,
        instruction: draft.instruction,
        input: draft.input,
        referenceResponse: draft.referenceResponse,
        constraints: draft.constraints as SeedInput["constraints"],
      };
    });
}
