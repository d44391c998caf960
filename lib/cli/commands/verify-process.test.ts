/**
 * The compiled CLI (scripts/build-cli.mjs) as a real process: `ecd verify` with its worker
 * threads forced on (ECD_VERIFY_PARALLEL_MIN=1) writes the official IFEval files byte for byte
 * and prints the same report as the in-process, single-thread command.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithSharedData, sharedDataPath } from "../../../test/shared-data";
import { verifyCommand } from "./verify";

describeWithSharedData("compiled ecd verify with worker threads", () => {
  let dir: string;
  let report: string;
  beforeAll(async () => {
    // Inside the repository, so the compiled code finds node_modules.
    const root = path.resolve(import.meta.dirname, "../../..");
    mkdirSync(path.join(root, "dist"), { recursive: true });
    dir = mkdtempSync(path.join(root, "dist", "test-verify-"));
    const buildScript = path.join(root, "scripts/build-cli.mjs");
    const { buildCli } = (await import(pathToFileURL(buildScript).href)) as {
      buildCli: (outdir: string) => Promise<void>;
    };
    await buildCli(path.join(dir, "cli"));
    const runner = path.join(dir, "cli/run.mjs");
    writeFileSync(runner, 'import { main } from "./ecd.mjs";\nawait main(process.argv.slice(2));\n');
    report = execFileSync(
      process.execPath,
      [
        runner,
        "verify",
        "--input-data",
        sharedDataPath("ifeval", "input_data.jsonl"),
        "--input-response-data",
        sharedDataPath("ifeval", "input_response_data_gpt4_20231107_145030.jsonl"),
        "--output-dir",
        path.join(dir, "out"),
      ],
      { encoding: "utf8", env: { ...process.env, ECD_VERIFY_PARALLEL_MIN: "1" } },
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const mode of ["strict", "loose"]) {
    it(`eval_results_${mode}.jsonl is byte-identical to the official file`, () => {
      const ours = readFileSync(path.join(dir, "out", `eval_results_${mode}.jsonl`), "utf8");
      expect(ours).toBe(readFileSync(sharedDataPath("ifeval", `official_eval_results_${mode}_gpt4.jsonl`), "utf8"));
    });
  }

  it("prints the same report as the single-thread command", async () => {
    let inProcess = "";
    const io = { stdout: (t: string) => void (inProcess += t), stderr: () => {}, readStdin: async () => "" };
    const outputDir = path.join(dir, "out");
    const args = ["--input-data", sharedDataPath("ifeval", "input_data.jsonl")];
    args.push("--input-response-data", sharedDataPath("ifeval", "input_response_data_gpt4_20231107_145030.jsonl"));
    expect(await verifyCommand.run([...args, "--output-dir", outputDir], io)).toBe(0);
    expect(report).toBe(inProcess);
  }, 60_000);
});
