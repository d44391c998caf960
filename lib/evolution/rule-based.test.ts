import { describe, expect, it } from "vitest";
import { createRng, followsStrict, repair, type ConstraintId, type Kwargs } from "../constraints/index";
import { runC2s } from "./c2s";
import { runEcd } from "./ecd";
import { ok, type Answer, type CorrectRequest, type RespondRequest, type RoleOutcome } from "./roles";
import { createRuleBasedRoles, RuleBasedEvolver, RuleBasedStudent, RuleBasedTeacher } from "./rule-based-roles";
import type { Constraint, GeneratedResponse, PipelineResult, SeedInput } from "./types";

const SEEDS: SeedInput[] = [
  {
    id: 1,
    contentHash: "1",
    instruction: "Explain why the sky is blue.",
    input: "",
    referenceResponse:
      "The sky looks blue because of Rayleigh scattering. Sunlight contains every visible colour, and when it passes through the atmosphere the short blue wavelengths are scattered by gas molecules far more strongly than the longer red ones. That scattered blue light reaches our eyes from every direction, so the whole sky appears blue. At sunrise and sunset the light crosses much more air, most of the blue is scattered away, and the sky turns orange and red.",
    constraints: [],
  },
  {
    id: 2,
    contentHash: "2",
    instruction: "Give three tips for staying focused while studying.",
    input: "",
    referenceResponse:
      "Here are three tips for staying focused while studying.\n\nFirst, put your phone in another room so notifications cannot pull you away.\n\nSecond, work in short blocks of about twenty-five minutes with five-minute breaks in between.\n\nThird, decide before you start exactly what you want to finish in the session, and write it down.",
    constraints: [],
  },
  {
    id: 3,
    contentHash: "3",
    instruction: "Write a short product description for a reusable water bottle.",
    input: "",
    referenceResponse:
      "Meet the bottle that goes everywhere you do. Made from double-walled stainless steel, it keeps drinks cold for 24 hours and hot for 12. The leak-proof lid clicks shut with one hand, and the powder-coated finish resists scratches and sweat. It fits standard cup holders, holds 750 ml, and replaces hundreds of single-use plastic bottles every year.",
    constraints: [],
  },
  {
    id: 4,
    contentHash: "4",
    instruction: "Summarize the text in two sentences.",
    input:
      "Honeybees communicate the location of food through a waggle dance. The angle of the dance relative to vertical shows the direction of the food relative to the sun, and the length of the waggle run shows the distance.",
    referenceResponse:
      "Honeybees tell each other where food is by performing a waggle dance. The dance's angle points the way relative to the sun, while the length of the waggle run tells how far away the food is.",
    constraints: [],
  },
];

const byKey = (result: PipelineResult) => new Map<string, GeneratedResponse>(result.responses.map((r) => [r.key, r]));
const verifiable = (constraints: readonly Constraint[]) =>
  constraints.flatMap((c, i) => (c.kind === "verifiable" ? [{ ...c, index: i }] : []));

function expectVerificationsMatchCode(result: PipelineResult) {
  const nodes = new Map(result.nodes.map((n) => [n.key, n]));
  for (const response of result.responses) {
    const node = nodes.get(response.nodeKey)!;
    expect(response.verification).toHaveLength(node.constraints.length);
    for (const c of verifiable(node.constraints)) {
      expect(response.verification[c.index]!.passed).toBe(followsStrict(c.id, c.kwargs, response.text));
    }
    expect(["rule-based", "seed"]).toContain(response.provider);
    expect(response.model).toBe("");
  }
}

async function runAll(rngSeed: number) {
  const roles = createRuleBasedRoles();
  const ecd: PipelineResult[] = [];
  const c2s: PipelineResult[] = [];
  for (const seed of SEEDS) {
    ecd.push(await runEcd(seed, roles, { rounds: 2, branches: 2, rngSeed }));
    c2s.push(await runC2s(seed, roles, { rngSeed }));
  }
  return { ecd, c2s };
}

describe("rule-based mode end to end", () => {
  it("makes ECD pairs whose chosen passes every constraint and whose rejected fails a new one", async () => {
    const { ecd } = await runAll(11);
    let pairs = 0;
    for (const result of ecd) {
      expectVerificationsMatchCode(result);
      const responses = byKey(result);
      const nodes = new Map(result.nodes.map((n) => [n.key, n]));
      for (const node of result.nodes.slice(1)) {
        expect(node.operation).toBe("add_verifiable");
        if (node.status === "dropped") expect(node.drop?.detail).toBeTruthy();
        // Instruction = parent instruction + " " + rendered constraint + "."
        const parent = nodes.get(node.parentKey!)!;
        const added = node.constraints[node.constraints.length - 1]!;
        if (node.instruction) expect(node.instruction).toBe(`${parent.instruction} ${added.text}.`);
      }
      for (const pair of result.pairs) {
        pairs++;
        const node = nodes.get(pair.nodeKey)!;
        const chosen = responses.get(pair.chosenKey)!;
        const rejected = responses.get(pair.rejectedKey)!;
        expect(chosen.role).toBe("repair");
        expect(chosen.parentKey).toBe(pair.rejectedKey);
        for (const c of verifiable(node.constraints)) expect(followsStrict(c.id, c.kwargs, chosen.text)).toBe(true);
        const fresh = (pair.metadata.newConstraintIndexes as number[]).map((i) => node.constraints[i]!);
        expect(fresh.some((c) => c.kind === "verifiable" && !followsStrict(c.id, c.kwargs, rejected.text))).toBe(true);
        expect(pair.hardNegative).toBe(true);
      }
    }
    expect(pairs).toBeGreaterThanOrEqual(8);
  });

  it("makes C2S pairs whose chosen (the final repair) passes every constraint and whose rejected fails one", async () => {
    const { c2s } = await runAll(11);
    let pairs = 0;
    for (const result of c2s) {
      expectVerificationsMatchCode(result);
      const responses = byKey(result);
      const node = result.nodes[1]!;
      expect(node.key).toBe("n0.c");
      expect(responses.get("r:n0.c:student")?.role).toBe("student");
      for (const pair of result.pairs) {
        pairs++;
        const chosen = responses.get(pair.chosenKey)!;
        const rejected = responses.get(pair.rejectedKey)!;
        for (const c of verifiable(node.constraints)) expect(followsStrict(c.id, c.kwargs, chosen.text)).toBe(true);
        expect(verifiable(node.constraints).some((c) => !followsStrict(c.id, c.kwargs, rejected.text))).toBe(true);
        expect(chosen.text).not.toBe(rejected.text);
      }
      // The rule-based teacher cannot translate: composition leaves response_language out.
      expect(node.constraints.some((c) => c.kind === "verifiable" && c.id === "language:response_language")).toBe(
        false,
      );
    }
    expect(pairs).toBeGreaterThanOrEqual(2);
  });

  it("is deterministic for a given rng seed", async () => {
    const a = await runAll(5);
    const b = await runAll(5);
    expect(b).toEqual(a);
    const c = await runAll(6);
    expect(c.ecd.map((r) => r.nodes.map((n) => n.instruction))).not.toEqual(
      a.ecd.map((r) => r.nodes.map((n) => n.instruction)),
    );
  });

  it("draws by the seed's content hash, never its database id", async () => {
    const roles = createRuleBasedRoles();
    const seed = SEEDS[0]!;
    const options = { rounds: 3, branches: 2, rngSeed: 5 };
    const here = await runEcd(seed, roles, options);
    // The same seed under another id (another database, a re-import): the same draws.
    expect(await runEcd({ ...seed, id: 9999 }, roles, options)).toEqual(here);
    expect(await runC2s({ ...seed, id: 9999 }, roles, { rngSeed: 5 })).toEqual(
      await runC2s(seed, roles, { rngSeed: 5 }),
    );
    // Another content hash: other draws.
    const other = await runEcd({ ...seed, contentHash: "another" }, roles, options);
    expect(other.nodes.map((n) => n.instruction)).not.toEqual(here.nodes.map((n) => n.instruction));
  });

  it("records a seed without a reference response as a failure", async () => {
    const roles = createRuleBasedRoles();
    const seed: SeedInput = {
      id: 9,
      contentHash: "9",
      instruction: "Name a colour.",
      input: "",
      referenceResponse: null,
      constraints: [],
    };
    const ecd = await runEcd(seed, roles, { rounds: 2 });
    expect(ecd.nodes.map((n) => n.key)).toEqual(["n0"]);
    expect(ecd.log).toEqual([
      { level: "warn", message: "n0: no R(0), nothing to evolve: seed has no reference response" },
    ]);
    const c2s = await runC2s(seed, roles, {});
    expect(c2s.nodes[1]).toMatchObject({
      status: "dropped",
      drop: { code: "student_failed", detail: "seed has no reference response" },
    });
  });

  it("the rule-based evolver adds a non-conflicting verifiable constraint and refuses other operations", async () => {
    const evolver = new RuleBasedEvolver();
    const title: Constraint = { kind: "verifiable", id: "detectable_format:title", kwargs: {}, text: "Add a title" };
    for (let i = 0; i < 20; i++) {
      const out = await evolver.evolve({
        instruction: "Describe a lighthouse.",
        constraints: [title],
        operation: "add_verifiable",
        parentResponse: "<<Light>>\nA lighthouse is a tall tower, with a lamp, that guides ships.",
        seedText: "Describe a lighthouse.",
        rng: createRng(i),
      });
      expect(out.ok).toBe(true);
      if (!out.ok) continue;
      const [added] = out.value.newConstraints;
      expect(added!.kind).toBe("verifiable");
      if (added!.kind !== "verifiable") continue;
      expect(["detectable_format:title", "startend:quotation", "combination:repeat_prompt"]).not.toContain(added!.id);
    }
    const refused = await evolver.evolve({
      instruction: "x",
      constraints: [],
      operation: "deepen",
      parentResponse: "",
      seedText: "x",
      rng: createRng(1),
    });
    expect(refused).toEqual({
      ok: false,
      reason: "the rule-based evolver only adds verifiable constraints (asked for deepen)",
    });
    expect(await evolver.proposeKeywords("Describe the old lighthouse on the cliff")).toEqual({
      ok: true,
      value: ["lighthouse", "cliff"],
    });
  });

  it("the rule-based teacher reports a repair it cannot make", async () => {
    const teacher = new RuleBasedTeacher();
    expect(teacher.supportedIds).not.toContain("language:response_language");
    const out = await teacher.correct({
      prompt: "p",
      response: "Hello there.",
      constraint: { kind: "verifiable", id: "language:response_language", kwargs: { language: "de" }, text: "German" },
      otherConstraints: [],
    });
    expect(out.ok).toBe(false);
  });
});

describe("a rule-based repair that loses content or glues a fragment is never a chosen response", () => {
  const seed: SeedInput = { ...SEEDS[0]!, id: 21, contentHash: "21" };
  /** A repair role (as the rule-based responder and teacher record it) that makes `edit` of its input. */
  const repairing = (edit: (text: string) => string) => ({
    provider: "rule-based",
    model: "",
    async respond(request: RespondRequest): Promise<RoleOutcome<Answer>> {
      return ok({ text: edit(request.parent!.response), role: "repair", derived: true });
    },
    async correct(request: CorrectRequest): Promise<RoleOutcome<Answer>> {
      return ok({ text: edit(request.response), role: "repair", derived: true });
    },
  });
  const noCommas = (text: string) => text.replaceAll(",", "");

  async function ecdWith(edit: (text: string) => string) {
    const roles = { evolver: new RuleBasedEvolver(), responder: repairing(edit) };
    return runEcd(seed, roles, { rounds: 1, rngSeed: 3 });
  }

  it("ECD drops the candidate with content_lost or fragment_inserted, and keeps a clean repair", async () => {
    const clean = await ecdWith((t) => t);
    const added = clean.nodes[1]!.constraints.at(-1)!;
    expect(added.kind).toBe("verifiable");
    const fix = (t: string) => {
      const r = repair((added as { id: ConstraintId }).id, t, (added as { kwargs: Kwargs }).kwargs);
      return r.ok ? r.response : t;
    };
    const kept = await ecdWith(fix);
    expect(kept.nodes[1]).toMatchObject({ status: "kept" });

    const cut = await ecdWith((t) => fix(t.replace("Sunlight contains every visible colour, and ", "")));
    expect(cut.nodes[1]).toMatchObject({ status: "dropped", drop: { code: "content_lost" } });
    expect(cut.nodes[1]!.drop?.detail).toContain('"sunlight"');
    expect(cut.pairs).toEqual([]);

    const glued = await ecdWith((t) => fix(`Scattering ${t}`));
    expect(glued.nodes[1]).toMatchObject({
      status: "dropped",
      drop: { code: "fragment_inserted", detail: expect.stringMatching(/^"Scattering": glued to existing text/) },
    });
  });

  it("C2S skips a fix that loses content and says why", async () => {
    const teacher = repairing((t) => noCommas(t).replace(" far more strongly than the longer red ones", ""));
    const result = await runC2s(seed, { student: new RuleBasedStudent(), teacher }, { ids: ["punctuation:no_comma"] });
    const skipped = /fix of #0 punctuation:no_comma skipped: content_lost: .*"strongly"/;
    expect(result.log.some((l) => skipped.test(l.message))).toBe(true);
    expect(result.nodes[1]).toMatchObject({
      status: "dropped",
      drop: { code: "no_fix_applied", detail: "no fix could be applied" },
    });
    expect(result.pairs).toEqual([]);
  });
});
