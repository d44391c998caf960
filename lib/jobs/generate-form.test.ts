/** The generate form's sampling fields: per role, blank = the provider's default, bad values named. */
import { describe, expect, it } from "vitest";
import { checkModelChoices, describeMethod, generateFormSchema } from "./schemas.ts";

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

describe("generateFormSchema method controls", () => {
  const ecd = {
    datasetId: "1",
    pipeline: "ecd",
    "models.evolver.provider": "rule-based",
    "models.responder.provider": "rule-based",
    "models.judge.provider": "rule-based",
  };

  it("records the ECD controls of the form in params, with their defaults when left alone", () => {
    const params = generateFormSchema.parse({
      ...ecd,
      r0Source: "reference",
      negatives: ["ancestors", "siblings"],
      wordBudget: "20",
      constraintText: "render",
      // C2S's fields are not read for ECD.
      c2sMode: "original",
    }).params;
    expect(params).toMatchObject({
      r0Source: "reference",
      ancestorNegatives: true,
      siblingNegatives: true,
      wordBudget: 20,
      constraintText: "render",
      c2sMode: "strict",
    });
    const defaults = generateFormSchema.parse({ ...ecd, negatives: "siblings", r0Source: "" }).params;
    expect(defaults).toMatchObject({ ancestorNegatives: false, siblingNegatives: true, constraintText: "check" });
    expect(defaults.r0Source).toBeUndefined();
  });

  it("records the C2S mode and second pass", () => {
    expect(generateFormSchema.parse({ ...base, c2sMode: "original", secondPass: "on" }).params).toMatchObject({
      c2sMode: "original",
      secondPass: true,
    });
  });

  it("names a bad control's field", () => {
    for (const [field, value, message] of [
      ["wordBudget", "0", "Word budget must be at least 1"],
      ["constraintText", "rewrite", 'Constraint text must be "check", "render" or "off"'],
      ["negatives", "cousins", 'Negatives must be "ancestors" or "siblings"'],
    ]) {
      const result = generateFormSchema.safeParse({ ...ecd, [field!]: value });
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]).toMatchObject({ path: [field, ...(field === "negatives" ? [0] : [])], message });
    }
  });
});

describe("describeMethod", () => {
  it("names the controls a job ran with", () => {
    const ecdParams = generateFormSchema.parse({
      datasetId: "1",
      pipeline: "ecd",
      "models.evolver.provider": "rule-based",
      "models.responder.provider": "rule-based",
      "models.judge.provider": "rule-based",
      r0Source: "reference",
      negatives: "ancestors",
      wordBudget: "12",
    }).params;
    expect(describeMethod("ecd", ecdParams)).toBe(
      "R(0) from reference, negatives from the parent, ancestors, word budget 12, constraint text: check, filters: refusal, degenerate",
    );
    const c2sParams = generateFormSchema.parse({ ...base, secondPass: "on" }).params;
    expect(describeMethod("c2s", c2sParams)).toBe("strict mode, second correction pass");
  });
});

describe("batch mode", () => {
  const providers = [
    { name: "rule-based", kind: "rule-based" as const, models: [], apiKeyEnv: null, ready: true, batch: false },
    { name: "local", kind: "openai-compatible" as const, models: [], apiKeyEnv: null, ready: true, batch: false },
    { name: "openai", kind: "openai-compatible" as const, models: [], apiKeyEnv: null, ready: true, batch: true },
  ];

  it('the "Batch API" checkbox records mode "batch" in the job\'s parameters', () => {
    expect(generateFormSchema.parse({ ...base, batch: "on" }).params.mode).toBe("batch");
    expect(generateFormSchema.parse(base).params.mode).toBeUndefined();
    expect(generateFormSchema.safeParse({ ...base, batch: "yes" }).error?.issues[0]?.path).toEqual(["batch"]);
  });

  it("refuses a role whose provider does not serve the Batch API, naming the role", () => {
    const models = { student: { provider: "local", model: "s" }, teacher: { provider: "openai", model: "t" } };
    expect(() => checkModelChoices(models, providers, { mode: "batch" })).toThrow(
      /student: provider "local" does not serve the Batch API/,
    );
    expect(() => checkModelChoices(models, providers)).not.toThrow();
    const batchOnly = { evolver: { provider: "rule-based", model: "" }, student: { provider: "openai", model: "s" } };
    expect(() => checkModelChoices(batchOnly, providers, { mode: "batch" })).not.toThrow();
  });

  it("says so in the method's description", () => {
    const params = generateFormSchema.parse({ ...base, batch: "on" }).params;
    expect(describeMethod("c2s", params)).toMatch(/; calls through the Batch API \(batch price\)$/);
  });
});
