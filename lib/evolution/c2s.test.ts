import { describe, expect, it } from "vitest";
import { FALLBACK_WORDS, followsStrict, type ConstraintId } from "../constraints/index";
import { LlmCallError, type ChatRequest } from "../llm/types";
import { runC2s } from "./c2s";
import { LlmEvolver, LlmStudent, LlmTeacher } from "./llm-roles";
import { REVISED_HEADER } from "./prompts";
import { ScriptedChatModel, userText } from "./test-helpers";
import { EvolutionInputError, type Constraint, type SeedInput } from "./types";

const SEED: SeedInput = {
  id: 7,
  contentHash: "7",
  instruction: "Explain what a lighthouse does.",
  input: "",
  referenceResponse: null,
  constraints: [],
};
const STUDENT = "Lighthouses guide ships at night, warn sailors about rocks, and mark the entrance to safe harbours.";
/** Four ids whose kwargs are fixed (the keyword comes from the scripted evolver). */
const IDS: ConstraintId[] = [
  "punctuation:no_comma",
  "change_case:english_capital",
  "detectable_format:title",
  "keywords:existence",
];
const OPTIONS = { ids: IDS, constraintsPerPrompt: { min: 4, max: 4 }, rngSeed: 3 };

/** The response and the requirement the teacher prompt asks about. */
function teacherCase(req: ChatRequest): { response: string; requirement: string } {
  const text = userText(req);
  const at = text.lastIndexOf("### Response\n");
  const [response, requirement] = text.slice(at + "### Response\n".length).split("\n### Requirement\n");
  return { response: response!, requirement: requirement! };
}

/** A scripted teacher that makes the smallest fix for each of the four constraints. */
function fixer(req: ChatRequest): string {
  const { response, requirement } = teacherCase(req);
  let revised: string;
  if (/comma/i.test(requirement)) revised = response.replaceAll(",", "");
  else if (/beacon/i.test(requirement)) revised = `${response} A beacon is the light at the top of the tower.`;
  else if (/title/i.test(requirement)) revised = `<<HARBOUR LIGHTS>>\n${response}`;
  else revised = response.toUpperCase(); // english_capital
  return `### Analysis\nOne small edit.\n${REVISED_HEADER}\n${revised}`;
}

function roles(
  teacherReplies: ((req: ChatRequest) => string | Error) | (string | Error)[],
  keywordReply: string | Error = 'Sure.\n```json\n{"keywords": ["beacon"]}\n```',
) {
  const evolver = new ScriptedChatModel("test", "evolver-1", [keywordReply]);
  const student = new ScriptedChatModel("test", "student-1", [STUDENT]);
  const teacher = new ScriptedChatModel("test", "teacher-1", teacherReplies);
  return {
    evolver,
    student,
    teacher,
    roles: { evolver: new LlmEvolver(evolver), student: new LlmStudent(student), teacher: new LlmTeacher(teacher) },
  };
}

describe("runC2s with scripted models", () => {
  it("composes, corrects one constraint at a time and pairs every rejected with the final response", async () => {
    const m = roles(fixer);
    const result = await runC2s(SEED, m.roles, OPTIONS);

    const node = result.nodes[1]!;
    expect(result.nodes[0]).toEqual({
      key: "n0",
      parentKey: null,
      depth: 0,
      instruction: "Explain what a lighthouse does.",
      constraints: [],
      operation: null,
      status: "kept",
    });
    expect(node).toMatchObject({ key: "n0.c", parentKey: "n0", depth: 1, operation: "compose", status: "kept" });
    expect(node.drop).toBeUndefined();
    const constraints = node.constraints as Extract<Constraint, { kind: "verifiable" }>[];
    expect(constraints.map((c) => c.id).sort()).toEqual([...IDS].sort());
    expect(constraints.find((c) => c.id === "keywords:existence")!.kwargs).toEqual({ keywords: ["beacon"] });
    expect(node.instruction.startsWith("Explain what a lighthouse does. ")).toBe(true);
    for (const c of constraints) expect(node.instruction).toContain(c.text);

    // One keyword call (structured), one student call with the composed prompt as the only turn.
    expect(m.evolver.calls).toHaveLength(1);
    expect(m.evolver.calls[0]!.jsonSchema?.name).toBe("keywords");
    expect(m.student.calls[0]!.messages).toEqual([{ role: "user", content: node.instruction }]);

    // Every constraint failed; four fixes chained in constraint order, each on the previous text.
    expect(result.responses.map((r) => [r.key, r.role, r.parentKey])).toEqual([
      ["r:n0.c:student", "student", undefined],
      ["r:n0.c:fix:0", "teacher", "r:n0.c:student"],
      ["r:n0.c:fix:1", "teacher", "r:n0.c:fix:0"],
      ["r:n0.c:fix:2", "teacher", "r:n0.c:fix:1"],
      ["r:n0.c:fix:3", "teacher", "r:n0.c:fix:2"],
    ]);
    expect(result.responses[0]!.text).toBe(STUDENT);
    expect(result.responses[0]!.verification.map((v) => v.passed)).toEqual([false, false, false, false]);
    for (const [i, call] of m.teacher.calls.entries()) {
      expect(teacherCase(call)).toEqual({ response: result.responses[i]!.text, requirement: constraints[i]!.text });
      expect(call.temperature).toBe(0);
    }
    const final = result.responses[4]!;
    expect(final.verification).toEqual(
      constraints.map((c, i) => ({ constraintIndex: i, id: c.id, passed: true, by: "code" })),
    );
    for (const c of constraints) expect(followsStrict(c.id, c.kwargs, final.text)).toBe(true);
    expect(final).toMatchObject({ provider: "test", model: "teacher-1", nodeKey: "n0.c" });

    expect(result.pairs).toEqual(
      [0, 1, 2, 3].map((i) => ({
        key: `p:n0.c:${i}`,
        nodeKey: "n0.c",
        chosenKey: "r:n0.c:fix:3",
        rejectedKey: i === 0 ? "r:n0.c:student" : `r:n0.c:fix:${i - 1}`,
        method: "c2s",
        hardNegative: null,
        metadata: {
          constraintIndex: i,
          constraintId: constraints[i]!.id,
          constraintText: constraints[i]!.text,
          fixOrder: i,
          fixKey: `r:n0.c:fix:${i}`,
          failedByRejected: [0, 1, 2, 3].slice(i),
        },
      })),
    );
    expect(result.log.filter((l) => l.level === "warn")).toEqual([]);
  });

  it("is deterministic for a given rng seed and differs across seeds", async () => {
    const a = await runC2s(SEED, roles(fixer).roles, OPTIONS);
    const b = await runC2s(SEED, roles(fixer).roles, OPTIONS);
    expect(b).toEqual(a);
    const prompts = new Set<string>();
    for (const rngSeed of [1, 2, 3, 4, 5])
      prompts.add((await runC2s(SEED, roles(fixer).roles, { ...OPTIONS, rngSeed })).nodes[1]!.instruction);
    expect(prompts.size).toBeGreaterThan(1);
  });

  it("logs and skips a failed fix; the final response then fails and the node is dropped with the reason", async () => {
    const m = roles((req) =>
      /title/i.test(teacherCase(req).requirement) ? "Here you go: <<HARBOUR LIGHTS>> added." : fixer(req),
    );
    const result = await runC2s(SEED, m.roles, OPTIONS);
    const constraints = result.nodes[1]!.constraints;
    const t = constraints.findIndex((c) => c.kind === "verifiable" && c.id === "detectable_format:title");
    expect(m.teacher.calls).toHaveLength(4);
    expect(result.log).toContainEqual({
      level: "warn",
      message: `n0.c: fix of #${t} detectable_format:title failed, skipped: unparsable teacher reply (no revised-response section): "Here you go: <<HARBOUR LIGHTS>> added."`,
    });
    expect(result.responses.map((r) => r.key)).not.toContain(`r:n0.c:fix:${t}`);
    expect(result.responses).toHaveLength(4);
    expect(result.nodes[1]).toMatchObject({
      status: "dropped",
      drop: { code: "final_fails", detail: `the final response still fails #${t} detectable_format:title` },
    });
    expect(result.pairs).toEqual([]);
  });

  it("skips a revision that still fails its own constraint", async () => {
    const m = roles((req) =>
      /comma/i.test(teacherCase(req).requirement)
        ? `${REVISED_HEADER}\n${teacherCase(req).response} Still, commas.`
        : fixer(req),
    );
    const result = await runC2s(SEED, m.roles, OPTIONS);
    expect(result.log.some((l) => l.level === "warn" && /still fails its constraint/.test(l.message))).toBe(true);
    expect(result.nodes[1]!.status).toBe("dropped");
  });

  it("drops a student's refusal (the elimination step) before asking the teacher", async () => {
    const m = roles(fixer);
    const student = new ScriptedChatModel("test", "student-1", ["I am unable to write about lighthouses."]);
    const result = await runC2s(SEED, { ...m.roles, student: new LlmStudent(student) }, OPTIONS);
    expect(result.nodes[1]).toMatchObject({ status: "dropped", drop: { code: "refusal" } });
    expect(result.pairs).toEqual([]);
    expect(m.teacher.calls).toHaveLength(0);
  });

  it("makes no pair when the student already follows every constraint", async () => {
    const m = roles(fixer);
    const student = new ScriptedChatModel("test", "student-1", [
      "<<HARBOUR LIGHTS>>\nLIGHTHOUSES GUIDE SHIPS AT NIGHT WARN SAILORS ABOUT ROCKS AND MARK THE ENTRANCE TO SAFE HARBOURS. A BEACON IS THE LIGHT AT THE TOP OF THE TOWER.",
    ]);
    const result = await runC2s(SEED, { ...m.roles, student: new LlmStudent(student) }, OPTIONS);
    expect(result.nodes[1]).toMatchObject({
      status: "dropped",
      drop: {
        code: "nothing_to_correct",
        detail: "the student's response follows every constraint; nothing to correct",
      },
    });
    expect(m.teacher.calls).toHaveLength(0);
    expect(result.pairs).toEqual([]);
  });

  it("falls back to built-in words when the keyword reply is unparsable", async () => {
    const m = roles(fixer, "beacon, ships, rocks");
    const result = await runC2s(SEED, m.roles, OPTIONS);
    const existence = result.nodes[1]!.constraints.find(
      (c) => c.kind === "verifiable" && c.id === "keywords:existence",
    );
    const keyword = (existence as Extract<Constraint, { kind: "verifiable" }>).kwargs.keywords as string[];
    expect(FALLBACK_WORDS).toContain(keyword[0]);
    expect(result.log[0]).toEqual({
      level: "warn",
      message:
        'n0.c: keyword proposal failed, using built-in words: unparsable keyword reply (no JSON object): "beacon, ships, rocks"',
    });
  });

  it("records a student failure; propagates transient errors; rejects bad options", async () => {
    const m = roles(fixer);
    const bad = new ScriptedChatModel("test", "student-1", [new LlmCallError("400 model not found", "bad_request", 1)]);
    const result = await runC2s(SEED, { ...m.roles, student: new LlmStudent(bad) }, OPTIONS);
    expect(result.nodes[1]).toMatchObject({
      status: "dropped",
      drop: { code: "student_failed", detail: "student call failed (bad_request): 400 model not found" },
    });

    const timeout = new LlmCallError("timed out", "timeout", 3);
    await expect(runC2s(SEED, roles([timeout]).roles, OPTIONS)).rejects.toBe(timeout);
    const limited = new LlmCallError("429", "rate_limited", 5);
    await expect(runC2s(SEED, roles(fixer, limited).roles, OPTIONS)).rejects.toBe(limited);

    await expect(runC2s(SEED, m.roles, { constraintsPerPrompt: { min: 4, max: 2 } })).rejects.toThrow(
      EvolutionInputError,
    );
    await expect(
      runC2s(SEED, { student: m.roles.student, teacher: m.roles.teacher }, { keywordSource: "evolver" }),
    ).rejects.toThrow(/needs an evolver/);
  });
});

describe("C2S options mode and secondPass", () => {
  /** The teacher fails the title fix the first time it is asked, and fixes everything else. */
  const titleFailsOnce = () => {
    let titleCalls = 0;
    return roles((req) =>
      /title/i.test(teacherCase(req).requirement) && titleCalls++ === 0
        ? "Here you go: <<HARBOUR LIGHTS>>."
        : fixer(req),
    );
  };
  const titleIndex = (result: Awaited<ReturnType<typeof runC2s>>) =>
    result.nodes[1]!.constraints.findIndex((c) => c.kind === "verifiable" && c.id === "detectable_format:title");
  const pairRows = (result: Awaited<ReturnType<typeof runC2s>>) =>
    result.pairs.map((p) => [p.key, p.rejectedKey, p.chosenKey]);

  it("original mode keeps every fix that passes its own constraint, without the final re-verification", async () => {
    const strict = await runC2s(SEED, titleFailsOnce().roles, OPTIONS);
    expect(strict.nodes[1]!.drop?.code).toBe("final_fails");

    const result = await runC2s(SEED, titleFailsOnce().roles, { ...OPTIONS, mode: "original" });
    const t = titleIndex(result);
    const fixed = [0, 1, 2, 3].filter((i) => i !== t);
    const chain = ["r:n0.c:student", ...fixed.map((i) => `r:n0.c:fix:${i}`)];
    expect(result.nodes[1]!.status).toBe("kept");
    expect(pairRows(result)).toEqual(fixed.map((i, k) => [`p:n0.c:${i}`, chain[k], chain.at(-1)]));
    expect(result.responses.at(-1)!.verification[t]!.passed).toBe(false);
  });

  it("a second pass retries what the first left failing (past the LLM cache) and pairs its fix", async () => {
    const m = titleFailsOnce();
    const result = await runC2s(SEED, m.roles, { ...OPTIONS, secondPass: true });
    const t = titleIndex(result);
    const fixed = [0, 1, 2, 3].filter((i) => i !== t);
    const chain = ["r:n0.c:student", ...fixed.map((i) => `r:n0.c:fix:${i}`), `r:n0.c:fix2:${t}`];
    expect(m.teacher.calls).toHaveLength(5);
    expect(m.teacher.calls.map((c) => c.cacheKey)).toEqual([undefined, undefined, undefined, undefined, "pass-2"]);
    expect(result.nodes[1]!.status).toBe("kept");
    expect(result.responses.map((r) => r.key)).toEqual(chain);
    expect(pairRows(result)).toEqual([
      ...fixed.map((i, k) => [`p:n0.c:${i}`, chain[k], chain.at(-1)]),
      [`p:n0.c:2:${t}`, chain.at(-2), chain.at(-1)],
    ]);
    expect(result.pairs.at(-1)!.metadata).toMatchObject({ pass: 2, constraintIndex: t, fixOrder: 3 });
  });
});
