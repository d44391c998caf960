/**
 * `ecd eval` through the CLI entry, against a local OpenAI-compatible server that answers each
 * IFEval prompt with GPT-4's recorded response: `run --wait --output-dir` writes the official
 * files byte for byte, and `ecd verify` on the written responses gives the same files again.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDb } from "../../../test/db.ts";
import { type LlmTestServer, startLlmServer } from "../../../test/llm-server.ts";
import { describeWithSharedData, sharedDataPath } from "../../../test/shared-data.ts";
import { runCli } from "../main.ts";

createTestDb();
let server: LlmTestServer;
let dir: string;
const saved = { base: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readStdin: async () => "",
  });
  return { code, out, err };
}

describeWithSharedData("ecd eval", () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "ecd-eval-cli-"));
    const recorded = new Map<string, string>();
    const file = sharedDataPath("ifeval", "input_response_data_gpt4_20231107_145030.jsonl");
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { prompt: string; response: string };
      recorded.set(row.prompt, row.response);
    }
    server = await startLlmServer({
      handler: (body) => {
        const response = recorded.get(body.messages.at(-1)?.content ?? "");
        return response === undefined ? { status: 400, message: "unknown prompt" } : { content: response };
      },
    });
    process.env.OPENAI_BASE_URL = server.url;
    process.env.OPENAI_API_KEY = "test";
  });
  afterAll(async () => {
    process.env.OPENAI_BASE_URL = saved.base;
    process.env.OPENAI_API_KEY = saved.key;
    if (saved.base === undefined) delete process.env.OPENAI_BASE_URL;
    if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("run --wait --output-dir writes the official files; ecd verify on its responses agrees", async () => {
    const outputDir = path.join(dir, "run");
    const run = await cli([
      "eval",
      "run",
      "--provider",
      "openai",
      "--model",
      "gpt-4-recorded",
      "--benchmark",
      "ifeval",
      "--concurrency",
      "16",
      "--wait",
      "--output-dir",
      outputDir,
    ]);
    expect(run.err).not.toMatch(/unexpected error/);
    expect(run.code).toBe(0);
    expect(run.out).toContain("strict  prompt 77.1% (417/541)  instruction 83.7% (698/834)");
    expect(run.out).toContain("loose   prompt 79.7% (431/541)  instruction 85.6% (714/834)");
    for (const mode of ["strict", "loose"]) {
      expect(readFileSync(path.join(outputDir, `eval_results_${mode}.jsonl`), "utf8")).toBe(
        readFileSync(sharedDataPath("ifeval", `official_eval_results_${mode}_gpt4.jsonl`), "utf8"),
      );
    }
    const verifyDir = path.join(dir, "verify");
    const verify = await cli([
      "verify",
      "--input-data",
      sharedDataPath("ifeval", "input_data.jsonl"),
      "--input-response-data",
      path.join(outputDir, "input_response_data.jsonl"),
      "--output-dir",
      verifyDir,
    ]);
    expect(verify.code).toBe(0);
    for (const mode of ["strict", "loose"]) {
      expect(readFileSync(path.join(verifyDir, `eval_results_${mode}.jsonl`), "utf8")).toBe(
        readFileSync(path.join(outputDir, `eval_results_${mode}.jsonl`), "utf8"),
      );
    }

    const list = await cli(["eval", "list"]);
    expect(list.out).toMatch(/^1 {2}succeeded openai\/gpt-4-recorded on ifeval/);
    const show = await cli(["eval", "show", "1", "--json"]);
    expect(JSON.parse(show.out)).toMatchObject({ id: 1, answered: 541, strict: { prompt: { correct: 417 } } });
    const same = await cli(["eval", "compare", "1", "1"]);
    expect(same.out).toContain("McNemar (exact): A only 0, B only 0, p = 1.000");
  }, 240_000);

  it("bad input names the field and leaves no run behind", async () => {
    const before = (await cli(["eval", "list"])).out;
    expect(await cli(["eval", "run", "--provider", "openai", "--model", "m"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--benchmark"),
    });
    expect(await cli(["eval", "run", "--provider", "openai", "--model", "m", "--benchmark", "set:nope"])).toMatchObject(
      {
        code: 1,
        err: expect.stringContaining('no benchmark set named "nope"'),
      },
    );
    expect(await cli(["eval", "show", "999"])).toMatchObject({
      code: 1,
      err: expect.stringContaining("no eval run 999"),
    });
    expect(await cli(["eval", "show", "x"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("ID: must be an eval run id"),
    });
    expect((await cli(["eval", "list"])).out).toBe(before);
  });
});
