import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { runJobToEnd } from "../../test/fixtures/run-job.ts";
import type { CliIO } from "../cli/command.ts";
import { runCli } from "../cli/main.ts";
import { resolveBenchmark } from "../eval/benchmarks.ts";
import { importSeeds } from "../io/index.ts";
import { countPairs } from "../review/query.ts";
import { createPairs } from "../review/pairs.ts";

/** Uploaded benchmark sets: `ecd benchmark add/list/rm`, and the recheck job on the one engine. */
const { db } = createTestDb();
const tmp = mkdtempSync(path.join(os.tmpdir(), "ecd-sets-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function ecd(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => "" };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const runJob = (jobId: number) => runJobToEnd(db, jobId);

const file = (name: string, text: string) => {
  const full = path.join(tmp, name);
  writeFileSync(full, text);
  return full;
};

const SECRET_TASK =
  "Write a short story about a lighthouse keeper who discovers that the fog horn has been singing to whales for a hundred years.";

describe("uploaded benchmark sets", () => {
  it("adds a set in IFEval's layout, re-checks existing seeds and nodes in a job, flags them, and can be evaluated on", async () => {
    const ds = await db.dataset.create({ data: { name: "Sets", settings: {} } });
    const seeds = file(
      "seeds.jsonl",
      [SECRET_TASK, "Explain how tides work to a child who has never seen the sea before today."]
        .map((instruction) => JSON.stringify({ instruction }))
        .join("\n") + "\n",
    );
    const imported = await importSeeds(db, ds.id, createReadStream(seeds), { fileName: "seeds.jsonl" });
    expect(imported.overlaps).toEqual([]);
    const roots = await db.node.findMany({ where: { datasetId: ds.id }, orderBy: { id: "asc" } });
    const paraphrase = await db.node.create({
      data: {
        datasetId: ds.id,
        seedId: roots[1]!.seedId,
        parentId: roots[1]!.id,
        depth: 1,
        // Keeps a 13-gram of the set's second prompt.
        instruction:
          "In plain words: describe why the moon pulls the oceans toward it twice a day and what a spring tide means. Use bullet points.",
        constraints: [],
      },
    });
    for (const node of [...roots, paraphrase]) {
      const [chosen, rejected] = await db.response.createManyAndReturn({
        data: ["good", "bad"].map((text) => ({
          nodeId: node.id,
          text,
          role: "responder",
          provider: "openai",
          verification: [],
        })),
      });
      await createPairs(db, [
        { datasetId: ds.id, nodeId: node.id, chosenId: chosen!.id, rejectedId: rejected!.id, method: "manual" },
      ]);
    }
    expect(await countPairs(db, ds.id, { contamination: "contaminated" })).toBe(0);

    const setFile = file(
      "stories.jsonl",
      [
        {
          key: 1,
          prompt: `${SECRET_TASK} Your answer must be in all lowercase letters.`,
          instruction_id_list: ["change_case:english_lowercase"],
          kwargs: [{}],
        },
        {
          key: 2,
          prompt:
            "Describe why the moon pulls the oceans toward it twice a day and what a spring tide means for sailors.",
          instruction_id_list: [],
          kwargs: [],
        },
        {
          key: 3,
          prompt: "Compose a haiku about autumn leaves falling on a quiet mountain temple at dusk.",
          instruction_id_list: [],
          kwargs: [],
        },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n",
    );
    const added = await ecd(["benchmark", "add", "stories", setFile, "--licence", "CC-BY-4.0"]);
    expect(added.stderr).toBe("");
    expect(added.stdout).toContain('added benchmark set "stories" with 3 prompts');
    const jobId = Number(/job #(\d+)/.exec(added.stdout)![1]);
    const job = await runJob(jobId);
    expect(job).toMatchObject({ kind: "decontam-recheck", status: "succeeded" });

    const rows = await db.contamination.findMany({ where: { datasetId: ds.id }, include: { set: true } });
    expect(rows.map((r) => [r.seedId ?? r.nodeId, r.set.name, r.position]).sort()).toEqual(
      [
        [roots[0]!.seedId, "stories", 0],
        [paraphrase.id, "stories", 1],
      ].sort(),
    );
    expect(await countPairs(db, ds.id, { contamination: "contaminated" })).toBe(2);

    const listed = await ecd(["benchmark", "list"]);
    expect(listed.stdout).toMatch(/ifeval\tbuiltin\t541 prompts\tApache-2.0/);
    expect(listed.stdout).toMatch(/stories\tupload\t3 prompts\tCC-BY-4.0/);
    // The set carries IFEval's constraints, so evaluation resolves it.
    const resolved = await resolveBenchmark(db, "set:stories");
    const prompts = await db.benchmarkPrompt.findMany({ where: { setId: resolved.id }, orderBy: { position: "asc" } });
    expect(prompts[0]).toMatchObject({ key: "1", instructionIds: ["change_case:english_lowercase"] });

    const removed = await ecd(["benchmark", "rm", "stories"]);
    expect(removed.stdout).toContain('removed benchmark set "stories"');
    await runJob(Number(/job #(\d+)/.exec(removed.stdout)![1]));
    expect(await db.contamination.count({ where: { datasetId: ds.id } })).toBe(0);
    expect(await countPairs(db, ds.id, { contamination: "contaminated" })).toBe(0);
    expect(await db.seed.count({ where: { datasetId: ds.id, contaminated: true } })).toBe(0);
  });

  it("refuses bad input in one line and adds nothing", async () => {
    const before = await db.benchmarkSet.count();
    const bad = await ecd([
      "benchmark",
      "add",
      "broken",
      file("bad.jsonl", '{"key": 1, "prompt": "x", "instruction_id_list": ["nope"], "kwargs": [{}]}\n'),
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/bad\.jsonl: line 1: instruction_id_list/);
    const noPrompt = await ecd(["benchmark", "add", "empty", file("noprompt.csv", "title,body\na,b\n")]);
    expect(noPrompt.stderr).toMatch(/no prompt: a row needs one of the fields prompt/);
    const builtin = await ecd(["benchmark", "add", "ifeval", file("x.txt", "a prompt\n")]);
    expect(builtin.stderr).toMatch(/built-in set/);
    expect((await ecd(["benchmark", "rm", "ifeval"])).stderr).toMatch(/only uploaded sets can be removed/);
    expect(await db.benchmarkSet.count()).toBe(before);
    const txt = await ecd([
      "benchmark",
      "add",
      "lines",
      file("lines.txt", "first prompt here\n\nsecond prompt here\n"),
    ]);
    expect(txt.stdout).toContain("with 2 prompts");
  });
});
