/** The generate form's sampling fields: per role, blank = the provider's default, bad values named. */
import { describe, expect, it } from "vitest";
import { generateFormSchema } from "./schemas.ts";

const base = {
  datasetId: "1",
  pipeline: "c2s",
  "models.evolver.provider": "rule-based",
  "models.student.provider": "local",
  "models.student.model": "s",
  "models.teacher.provider": "local",
  "models.teacher.model": "t",
};

describe("generateFormSchema sampling", () => {
  it("stores the filled-in settings of the pipeline's roles in params.sampling", () => {
    const parsed = generateFormSchema.parse({
      ...base,
      "sampling.student.temperature": "0.9",
      "sampling.student.topP": "",
      "sampling.teacher.maxTokens": "512",
      "sampling.teacher.seed": "4",
      // Not a role of C2S: ignored.
      "sampling.responder.temperature": "1",
    });
    expect(parsed.params.sampling).toEqual({ student: { temperature: 0.9 }, teacher: { maxTokens: 512, seed: 4 } });
    expect(generateFormSchema.parse(base).params.sampling).toBeUndefined();
  });

  it("names a bad value's field", () => {
    const result = generateFormSchema.safeParse({ ...base, "sampling.teacher.topP": "2" });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({
      path: ["sampling", "teacher", "topP"],
      message: "top_p must be at most 1",
    });
  });
});
