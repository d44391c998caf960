import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import type { CliIO } from "../cli/command.ts";
import { runCli } from "../cli/main.ts";
import { getExportBundle, trlDpoRowSchema } from "./index.ts";
import { createPairFixtures, TEXT } from "./test-fixtures.ts";

const { db, url } = createTestDb();
const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), "ecd-io-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function ecd(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => "" };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

function file(name: string, text: string | Buffer) {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
}

beforeAll(async () => {
  await db.dataset.create({ data: { name: "CLI import", settings: {} } });
  const exp = await db.dataset.create({ data: { name: "CLI export", settings: {} } });
  const user = await db.user.create({ data: { email: "cli@example.com", passwordHash: "x", role: "admin" } });
  await createPairFixtures(db, exp.id, user.id);
});

describe("ecd import", () => {
  it("imports a file and prints a one-line summary", async () => {
    const result = await ecd(["import", path.join(here, "testdata/good/seeds.jsonl"), "--dataset", "CLI import"]);
    expect(result).toEqual({
      code: 0,
      stderr: "",
      stdout:
        'imported 4 seeds into "CLI import" from seeds.jsonl (JSON Lines, Alpaca (instruction, input, output)): 4 records, 0 duplicates, 0 skipped\n',
    });
    expect(await db.seed.count({ where: { dataset: { name: "CLI import" } } })).toBe(4);
  });

  it("with --on-error skip lists every skipped line and the duplicates", async () => {
    const p = file(
      "mixed.jsonl",
      [
        '{"instruction": "Write a limerick about a cat."}',
        '{"instruction": 3}',
        "{oops",
        '{"instruction": "Fresh seed"}',
      ].join("\n") + "\n",
    );
    const result = await ecd(["import", p, "--dataset", "CLI import", "--on-error", "skip"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toEqual([
      "skipped line 2: instruction must be a string, got a number (3)",
      "skipped line 3: not valid JSON: expected property name or '}' at column 2",
      expect.stringMatching(/^duplicate line 1: same text as seed #\d+$/),
      'imported 1 seed into "CLI import" from mixed.jsonl (JSON Lines, Alpaca (instruction, input, output)): 4 records, 1 duplicate, 2 skipped',
      "",
    ]);
  });

  it("stops at the first bad line by default, with one line on stderr and nothing imported", async () => {
    const before = await db.seed.count();
    const p = file("bad.jsonl", '{"instruction": "ok"}\n{"instruction": "ok 2"\n');
    const result = await ecd(["import", p, "--dataset", "CLI import"]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "ecd import: bad.jsonl: line 2: not valid JSON: expected ',' or '}' after property value: the record is cut off (truncated JSON?). Nothing was imported.\n",
    });
    expect(await db.seed.count()).toBe(before);
  });

  it("maps columns with --map and previews with --preview without writing", async () => {
    const p = file("qa.csv", "question,answer,uid\nWhat is DPO?,A method,q1\n");
    const before = await db.seed.count();
    const preview = await ecd([
      "import",
      p,
      "--dataset",
      "CLI import",
      "--map",
      "instruction=question,response=answer,id=uid",
      "--preview",
    ]);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain(
      "format  CSV\nshape   Column mapping\nmapping instruction ← question; response ← answer; id ← uid\nfields  question, answer, uid\n",
    );
    expect(preview.stdout).toContain('line 2: "What is DPO?" (with reference response)');
    expect(await db.seed.count()).toBe(before);
    const result = await ecd([
      "import",
      p,
      "--dataset",
      "CLI import",
      "--map",
      "instruction=question,response=answer,id=uid",
      "--json",
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({ shape: "mapped", imported: 1 });
    expect(await db.seed.findFirst({ where: { externalId: "q1" } })).toMatchObject({
      instruction: "What is DPO?",
      referenceResponse: "A method",
      source: "mapped",
    });
  });

  it("refuses bad flags and missing things with one line naming the problem", async () => {
    const good = path.join(here, "testdata/good/seeds.jsonl");
    const cases: [string[], RegExp][] = [
      [["import"], /^ecd import: FILE: is required; --dataset: is required\n$/],
      [["import", good], /^ecd import: --dataset: is required\n$/],
      [
        ["import", good, "--dataset", "CLI import", "--format", "xml"],
        /^ecd import: --format: Invalid option: expected one of "jsonl"\|"json"\|"csv"\|"tsv"\n$/,
      ],
      [
        ["import", good, "--dataset", "CLI import", "--on-error", "ignore"],
        /^ecd import: --on-error: Invalid option: expected one of "fail"\|"skip"\n$/,
      ],
      [
        ["import", good, "--dataset", "CLI import", "--map", "prompt"],
        /^ecd import: --map: mapping "prompt" must look like field=column\n$/,
      ],
      [
        ["import", good, "--dataset", "CLI import", "--map", "question=q"],
        /^ecd import: --map: mapping field "question" must be one of instruction, input, response, id\n$/,
      ],
      [
        ["import", good, "--dataset", "CLI import", "--max-mb", "0.0001"],
        /^ecd import: FILE: .*seeds\.jsonl is 4\d\d bytes, larger than the 104 bytes limit \(raise it with --max-mb\)\n$/,
      ],
      [
        ["import", path.join(tmp, "missing.jsonl"), "--dataset", "CLI import"],
        /^ecd import: FILE: cannot read ".*missing\.jsonl" \(no such file\)\n$/,
      ],
      [["import", good, "--dataset", "Nope"], /^ecd import: No dataset named "Nope"\n$/],
      [
        ["import", good, "--dataset", "CLI import", "--format", "csv"],
        /^ecd import: seeds\.jsonl: line 1: expected CSV, but the file starts with '\{': it looks like JSON\. Nothing was imported\.\n$/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await ecd(args);
      expect(result.code, args.join(" ")).not.toBe(0);
      expect(result.stderr, args.join(" ")).toMatch(message);
    }
  });
});

describe("ecd export", () => {
  it("--out FILE.jsonl writes the data file with its metadata, manifest and card beside it, and records the export", async () => {
    const out = path.join(tmp, "out.jsonl");
    const result = await ecd(["export", "--dataset", "CLI export", "--format", "trl-dpo", "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const bytes = readFileSync(out);
    const sha = createHash("sha256").update(bytes).digest("hex");
    expect(result.stdout).toMatch(
      new RegExp(
        `^exported 3 pairs from "CLI export" as trl-dpo to .*out\\.jsonl: ${bytes.length} bytes, sha256 ${sha} \\(export #\\d+\\)\\nwrote out\\.jsonl, out\\.metadata\\.jsonl, out\\.README\\.md, out\\.manifest\\.json\\n$`,
      ),
    );
    const rows = bytes
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => trlDpoRowSchema.parse(JSON.parse(l)));
    expect(rows.map((r) => r.review_status)).toEqual(["accepted", "accepted", "accepted"]);
    expect(rows[1]).toMatchObject({ prompt: TEXT.editedPrompt, chosen: TEXT.human });
    const manifest = JSON.parse(readFileSync(path.join(tmp, "out.manifest.json"), "utf8"));
    expect(manifest).toMatchObject({
      format: "trl-dpo",
      sha256: sha,
      byteSize: bytes.length,
      fileName: "out.jsonl",
      filters: { status: "accepted", minReviews: 0 },
    });
    const sidecar = { data: "out.jsonl", metadata: "out.metadata.jsonl", card: "out.README.md" } as const;
    for (const f of manifest.files as { kind: keyof typeof sidecar; byteSize: number; sha256: string }[]) {
      const content = readFileSync(path.join(tmp, sidecar[f.kind]));
      expect(createHash("sha256").update(content).digest("hex"), f.kind).toBe(f.sha256);
      expect(content.length, f.kind).toBe(f.byteSize);
    }
    const metadata = readFileSync(path.join(tmp, "out.metadata.jsonl"), "utf8").trim().split("\n");
    expect(metadata.map((l) => JSON.parse(l).pair_id)).toEqual(rows.map((r) => r.pair_id));
    expect(readFileSync(path.join(tmp, "out.README.md"), "utf8")).toMatch(
      /^---\n[\s\S]*size_categories:\n- "n<1K"[\s\S]*\n---\n\n# CLI export\n/,
    );
    const row = await db.export.findFirstOrThrow({ where: { sha256: sha }, include: { files: true } });
    expect(row).toMatchObject({ format: "trl-dpo", fileName: "out.jsonl" });
    expect(row.files.map((f) => f.kind).sort()).toEqual(["card", "data", "manifest", "metadata"]);
    const storedManifest = row.files.find((f) => f.kind === "manifest")!;
    expect(
      createHash("sha256")
        .update(readFileSync(path.join(tmp, "out.manifest.json")))
        .digest("hex"),
    ).toBe(storedManifest.sha256);
  });

  it("--out DIR/ writes the bundle into the folder; --id copies a past export's stored bundle again", async () => {
    const dir = path.join(tmp, "bundle") + "/";
    const first = await ecd(["export", "--dataset", "CLI export", "--format", "sft", "--out", dir, "--json"]);
    expect(first.stderr).toBe("");
    const { exportId, fileName } = JSON.parse(first.stdout) as { exportId: number; fileName: string };
    const names = [fileName, "metadata.jsonl", "README.md", "manifest.json"];
    for (const name of names) expect(existsSync(path.join(dir, name)), name).toBe(true);
    const again = path.join(tmp, "again");
    mkdirSync(again);
    const before = await db.export.count();
    const copy = await ecd(["export", "--dataset", "CLI export", "--id", String(exportId), "--out", again]);
    expect(copy.stderr).toBe("");
    expect(copy.stdout).toMatch(/^copied export 3 pairs/);
    expect(await db.export.count()).toBe(before);
    for (const name of names) expect(readFileSync(path.join(again, name))).toEqual(readFileSync(path.join(dir, name)));
  });

  it("--out gets writable copies of the read-only stored files; exporting again to the same path leaves the first export's files as recorded", async () => {
    const out = path.join(tmp, "twice.jsonl");
    const stored = async (exportId: number) => {
      const dataset = await db.dataset.findFirstOrThrow({ where: { name: "CLI export" }, select: { id: true } });
      return (await getExportBundle(db, dataset.id, exportId)).files;
    };
    const run = async (format: string) => {
      const result = await ecd(["export", "--dataset", "CLI export", "--format", format, "--out", out, "--json"]);
      expect(result.stderr).toBe("");
      return (JSON.parse(result.stdout) as { exportId: number }).exportId;
    };
    const first = await stored(await run("trl-dpo"));
    const data = first.find((f) => f.kind === "data")!;
    expect(statSync(data.path).mode & 0o222).toBe(0); // nobody may write a stored file
    expect(readFileSync(out)).toEqual(readFileSync(data.path));
    // A file of its own, which the user may change without touching the stored bundle.
    expect(statSync(out).ino).not.toBe(statSync(data.path).ino);
    expect(statSync(out).mode & 0o200).toBe(0o200);
    const second = await stored(await run("sft")); // other bytes, same --out path
    const secondData = second.find((f) => f.kind === "data")!;
    expect(readFileSync(out)).toEqual(readFileSync(secondData.path));
    for (const f of first) {
      const bytes = readFileSync(f.path);
      expect(createHash("sha256").update(bytes).digest("hex"), f.kind).toBe(f.sha256);
      expect(bytes.length, f.kind).toBe(f.byteSize);
    }
  });

  it("takes the generator, per-seed and dedup filters and records them in the manifest", async () => {
    const out = path.join(tmp, "gen.jsonl");
    const result = await ecd([
      "export",
      "--dataset",
      "CLI export",
      "--format",
      "trl-dpo",
      "--out",
      out,
      "--status",
      "all",
      "--exclude-generator",
      "human",
      "--per-seed",
      "1",
      "--dedup",
      "prompt",
      "--json",
    ]);
    expect(result.stderr).toBe("");
    const manifest = JSON.parse(result.stdout);
    expect(manifest.filters).toMatchObject({ "exclude-generator": ["human"], "per-seed": 1, dedup: "prompt" });
    // Three trees; the sea tree's first pair has an LLM-written chosen response, the edited one a human's.
    expect(manifest.counts).toMatchObject({ pairs: 3, byGenerator: { llm: 3 } });
    const bad = await ecd(["export", "--dataset", "CLI export", "--format", "sft", "--out", out, "--generator", "gpt"]);
    expect(bad.stderr).toMatch(/^ecd export: .*generator must be one of llm, rule-based, reference, human\n$/);
  });

  it("refuses a path whose parent folder does not exist in one line, and records no export", async () => {
    const before = await db.export.count();
    for (const out of [path.join(tmp, "missing", "x.jsonl"), path.join(tmp, "missing", "deeper") + "/"]) {
      const result = await ecd(["export", "--dataset", "CLI export", "--format", "sft", "--out", out]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/^ecd export: .*the folder .*missing.* does not exist; nothing was exported\n$/);
    }
    expect(await db.export.count()).toBe(before);
  });

  it("applies the filters", async () => {
    const out = path.join(tmp, "c2s.jsonl");
    const result = await ecd([
      "export",
      "--dataset",
      "CLI export",
      "--format",
      "openai-dpo",
      "--out",
      out,
      "--status",
      "all",
      "--method",
      "c2s",
      "--min-reviews",
      "1",
      "--max-depth",
      "1",
      "--json",
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      counts: { pairs: 1, byMethod: { c2s: 1 }, byStatus: { rejected: 1 } },
      filters: { status: "all", method: "c2s", minReviews: 1, maxDepth: 1 },
    });
    expect(readFileSync(out, "utf8")).toContain(TEXT.teacher2);
  });

  it("refuses bad flags with one line", async () => {
    const out = path.join(tmp, "x.jsonl");
    const cases: [string[], RegExp][] = [
      [
        ["export", "--dataset", "CLI export", "--out", out],
        /^ecd export: --format: must be one of trl-dpo, trl-dpo-conversational, openai-dpo, sft, chains\n$/,
      ],
      [
        ["export", "--dataset", "CLI export", "--format", "parquet", "--out", out],
        /^ecd export: --format: must be one of/,
      ],
      [["export", "--dataset", "CLI export", "--format", "sft"], /^ecd export: --out: is required\n$/],
      [
        ["export", "--dataset", "CLI export", "--format", "sft", "--out", out, "--status", "approved"],
        /^ecd export: --status: Invalid option/,
      ],
      [
        ["export", "--dataset", "CLI export", "--format", "sft", "--out", out, "--min-reviews=-1"],
        /^ecd export: --min-reviews: must be 0 or more\n$/,
      ],
      [
        ["export", "--dataset", "CLI export", "--format", "sft", "--out", out, "--max-depth", "two"],
        /^ecd export: --max-depth: must be a whole number\n$/,
      ],
      [
        ["export", "--dataset", "Missing", "--format", "sft", "--out", out],
        /^ecd export: No dataset named "Missing"\n$/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await ecd(args);
      expect(result.code, args.join(" ")).not.toBe(0);
      expect(result.stderr, args.join(" ")).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });

  it("runs as `npm run ecd -- export` in its own process", () => {
    const out = path.join(tmp, "proc.jsonl");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "lib/cli/main.ts", "export", "--dataset", "CLI export", "--format", "sft", "--out", out],
      {
        env: { ...process.env, DATABASE_URL: url },
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(3);
  });
});
