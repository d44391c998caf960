import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createPair, decide } from "../review/index.ts";
import type { CliIO } from "./command.ts";
import { runCli } from "./main.ts";

const { db, url } = createTestDb();

async function ecd(args: string[], stdin = "") {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => stdin,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe("ecd CLI", () => {
  it("adds a user with the password from standard input", async () => {
    const result = await ecd(
      ["user", "add", "--email", "Res@Example.com", "--role", "researcher"],
      "research-pass-1\n",
    );
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^created researcher res@example.com \(id \d+\)\n$/);
    expect(await db.user.findUnique({ where: { email: "res@example.com" } })).toMatchObject({ role: "researcher" });
  });

  it("refuses bad input with one line naming the problem and a non-zero exit", async () => {
    const cases: [string[], string, RegExp][] = [
      [
        ["user", "add", "--email", "a@b.co", "--role", "boss"],
        "long-password-1",
        /^ecd user: --role: Invalid option: expected one of "admin"\|"researcher"\|"annotator"\n$/,
      ],
      [
        ["user", "add", "--email", "a@b.co", "--role", "annotator"],
        "",
        /^ecd user: password: give it on standard input/,
      ],
      [
        ["user", "add", "--email", "a@b.co", "--role", "annotator"],
        "short",
        /^ecd user: password: Password must be at least 12 characters\n$/,
      ],
      [
        ["user", "add", "--email", "a@b.co", "--role", "annotator"],
        "password1234",
        /^ecd user: password: Password is on the list of commonly used passwords: choose another\n$/,
      ],
      [
        ["user", "add", "--email", "res@example.com", "--role", "annotator"],
        "long-password-1",
        /^ecd user: A user with email res@example.com already exists\n$/,
      ],
      [["user", "add", "--emial", "a@b.co"], "", /^ecd user: Unknown option '--emial'/],
      [["dataset", "create"], "", /^ecd dataset: NAME: is required\n$/],
      [["dataset", "stats", "missing"], "", /^ecd dataset: No dataset named "missing"\n$/],
      [["dataset", "frobnicate"], "", /^ecd dataset: unknown dataset command "frobnicate"/],
      [["nope"], "", /^ecd: unknown command "nope"/],
      [["user", "passwd", "--email", "nobody@x.test"], "", /^ecd user: --email: no user with email nobody@x.test\n$/],
      [["import", "lib", "--dataset", "x"], "", /^ecd import: FILE: "lib" is a directory, not a file to import\n$/],
      [
        ["import", "/dev/null", "--dataset", "x"],
        "",
        /^ecd import: FILE: "\/dev\/null" is a character device, not a file to import\n$/,
      ],
      [
        ["import", "seeds.jsonl", "--dataset", "x", "--max-mb", "1e9"],
        "",
        /^ecd import: --max-mb: must be a number from 0.0001 to 102,400 \(got "1e9"\)\n$/,
      ],
      [
        ["import", "seeds.jsonl", "--dataset", "x", "--max-mb", "-5"],
        "",
        /^ecd import: --max-mb: must be a number from 0.0001 to 102,400 \(got "-5"\); negative numbers are not allowed\n$/,
      ],
    ];
    for (const [args, stdin, message] of cases) {
      const result = await ecd(args, stdin);
      expect(result.code, args.join(" ")).not.toBe(0);
      expect(result.stderr, args.join(" ")).toMatch(message);
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
    expect(await db.user.count()).toBe(1);
  });

  it("sets a password from standard input, or a generated one printed once, and signs the user out", async () => {
    const before = await db.user.findUniqueOrThrow({ where: { email: "res@example.com" } });
    const refused = await ecd(["user", "passwd", "--email", "res@example.com"], "short\n");
    expect(refused).toMatchObject({ code: 2, stderr: "ecd user: password: Password must be at least 12 characters\n" });
    expect(await ecd(["user", "passwd", "--email", "RES@example.com"], "a-new-research-pass\n")).toMatchObject({
      code: 0,
      stdout: "password of res@example.com changed; their sessions are signed out\n",
    });
    const reset = await ecd(["user", "reset", "--email", "res@example.com"]);
    expect(reset.stdout).toMatch(
      /^new password for res@example.com \(shown once, share it privately\): [A-Za-z0-9]{20}\n$/,
    );
    const after = await db.user.findUniqueOrThrow({ where: { email: "res@example.com" } });
    expect(after.sessionVersion).toBe(before.sessionVersion + 2);
    expect(after.passwordHash).not.toBe(before.passwordHash);
  });

  it("prints a command's options for help COMMAND, COMMAND --help and COMMAND -h, and the list for help", async () => {
    const viaHelp = await ecd(["help", "generate"]);
    expect(viaHelp).toMatchObject({ code: 0, stderr: "" });
    expect(viaHelp.stdout).toMatch(/^Start a generation job/);
    expect(viaHelp.stdout).toContain("--<role>-model M");
    expect(await ecd(["generate", "--help"])).toEqual(viaHelp);
    expect(await ecd(["generate", "--dataset", "x", "-h"])).toEqual(viaHelp);
    const list = await ecd(["--help"]);
    expect(list.stdout).toMatch(/^usage: npm run ecd -- <command>/);
    for (const command of ["user", "dataset", "verify", "import", "export", "generate", "jobs", "worker"])
      expect(list.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
  });

  it("creates, lists and counts datasets", async () => {
    expect(await ecd(["dataset", "create", "Alpha", "--description", "first"])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^created dataset "Alpha"/),
    });
    expect((await ecd(["dataset", "create", "Alpha"])).stderr).toBe(
      'ecd dataset: A dataset named "Alpha" already exists\n',
    );
    const list = await ecd(["dataset", "list", "--json"]);
    expect(JSON.parse(list.stdout).map((d: { name: string }) => d.name)).toEqual(["Alpha"]);

    const dataset = await db.dataset.findUniqueOrThrow({ where: { name: "Alpha" } });
    const seed = await db.seed.create({
      data: { datasetId: dataset.id, instruction: "Say hi", contentHash: "h1", source: "plain", metadata: {} },
    });
    const node = await db.node.create({
      data: { datasetId: dataset.id, seedId: seed.id, depth: 0, instruction: "Say hi", constraints: [] },
    });
    const [a, b] = await Promise.all(
      ["hi", "hello"].map((text) =>
        db.response.create({
          data: { nodeId: node.id, text, role: "responder", provider: "rule-based", verification: [] },
        }),
      ),
    );
    const pair = await createPair(db, {
      datasetId: dataset.id,
      nodeId: node.id,
      chosenId: a.id,
      rejectedId: b.id,
      method: "manual",
    });
    const other = await createPair(db, {
      datasetId: dataset.id,
      nodeId: node.id,
      chosenId: b.id,
      rejectedId: a.id,
      method: "manual",
    });
    const user = await db.user.findFirstOrThrow();
    await decide(db, { id: user.id }, { pairId: other.id, decision: "accept", version: 1, durationMs: 1200 });

    const stats = await ecd(["dataset", "stats", "Alpha", "--json"]);
    const { review, ...counts } = JSON.parse(stats.stdout) as Record<string, unknown> & {
      review: { agreementReport: { votes: number; reviewers: { medianSeconds: number }[] }; statsAsOf: string };
    };
    // The review figures (agreement, speed, charts) come along.
    expect(review.agreementReport.votes).toBe(1);
    expect(review.agreementReport.reviewers[0]!.medianSeconds).toBeCloseTo(1.2, 5);
    expect(review.statsAsOf).toMatch(/^\d{4}-/);
    expect(counts).toEqual({
      dataset: "Alpha",
      seeds: 1,
      nodes: 1,
      responses: 2,
      pairs: { total: 2, pending: 1, accepted: 1, rejected: 0, adjudication: 0 },
      reviews: 1,
    });
    expect(pair.created).toBe(true);
  });

  it("runs as `npm run ecd` in its own process and exits non-zero with one line on bad input", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "lib/cli/main.ts", "dataset", "stats", "missing"], {
      env: { ...process.env, DATABASE_URL: url },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('ecd dataset: No dataset named "missing"\n');
  });
});
