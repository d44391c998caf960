import { describe, expect, it } from "vitest";
import type { PromptResult } from "../constraints/evaluate.ts";
import { byConstraintCount } from "./breakdown.ts";

function result(ids: string[], followed: boolean[]): PromptResult {
  return {
    instruction_id_list: ids,
    prompt: ids.join("+"),
    response: "",
    follow_all_instructions: followed.every(Boolean),
    follow_instruction_list: followed,
  };
}

describe("byConstraintCount", () => {
  it("groups prompts by how many constraints they carry, strict and loose side by side", () => {
    const strict = [
      result(["a:x"], [true]),
      result(["a:x"], [false]),
      result(["a:x", "b:y"], [true, false]),
      result(["a:x", "b:y"], [true, true]),
      result(["a:x", "b:y", "c:z"], [false, false, true]),
    ];
    const loose = [
      result(["a:x"], [true]),
      result(["a:x"], [true]),
      result(["a:x", "b:y"], [true, false]),
      result(["a:x", "b:y"], [true, true]),
      result(["a:x", "b:y", "c:z"], [true, true, true]),
    ];
    expect(byConstraintCount(strict, loose)).toEqual([
      { constraints: 1, strict: { correct: 1, total: 2, accuracy: 0.5 }, loose: { correct: 2, total: 2, accuracy: 1 } },
      {
        constraints: 2,
        strict: { correct: 1, total: 2, accuracy: 0.5 },
        loose: { correct: 1, total: 2, accuracy: 0.5 },
      },
      { constraints: 3, strict: { correct: 0, total: 1, accuracy: 0 }, loose: { correct: 1, total: 1, accuracy: 1 } },
    ]);
  });

  it("is empty for a run with no answers and refuses misaligned inputs", () => {
    expect(byConstraintCount([], [])).toEqual([]);
    expect(() => byConstraintCount([result(["a:x"], [true])], [])).toThrow(/same prompts/);
  });
});
