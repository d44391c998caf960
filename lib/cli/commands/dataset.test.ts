import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../../test/db.ts";
import { createFixtureUser } from "../../../test/fixtures/pairs.ts";
import { datasetSettingsSchema } from "../../datasets/index.ts";
import type { CliIO } from "../command.ts";
import { runCli } from "../main.ts";

/** `ecd dataset set | member | delete` and `--as EMAIL`, in their exact forms, on a real database. */

const { db } = createTestDb();

async function ecd(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => "" };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const settingsOf = async (name: string) =>
  datasetSettingsSchema.parse((await db.dataset.findFirstOrThrow({ where: { name } })).settings);

describe("ecd dataset set", () => {
  it("sets every setting from flags, guidelines from a file, and renames", async () => {
    await ecd(["dataset", "create", "Cli team"]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ecd-guidelines-")), "guidelines.md");
    writeFileSync(file, "# Guidelines\nAccept when every constraint holds.\n");
    const result = await ecd([
      "dataset",
      "set",
      "Cli team",
      "--reviews-per-pair",
      "3",
      "--blind",
      "on",
      "--mode",
      "ab",
      "--adjudication",
      "on",
      "--license",
      "CC-BY-4.0",
      "--heldout",
      "0.2",
      "--guidelines",
      file,
      "--description",
      "the team's data",
    ]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(
      /changed description, reviewsPerPair, blind, mode, adjudication, licence, heldoutShare, guidelines \(guidelines version 1\)/,
    );
    expect(await settingsOf("Cli team")).toEqual({
      reviewsPerPair: 3,
      blind: true,
      mode: "ab",
      adjudication: true,
      licence: "CC-BY-4.0",
      heldoutShare: 0.2,
    });
    const row = await db.dataset.findFirstOrThrow({ where: { name: "Cli team" } });
    expect(row.guidelines).toBe("# Guidelines\nAccept when every constraint holds.\n");

    expect((await ecd(["dataset", "set", "Cli team", "--name", "Cli team renamed"])).code).toBe(0);
    expect((await db.dataset.findFirstOrThrow({ where: { name: "Cli team renamed" } })).id).toBe(row.id);
  });

  it("refuses bad values with one line naming the flag and changes nothing", async () => {
    await ecd(["dataset", "create", "Cli strict"]);
    const before = await db.dataset.findFirstOrThrow({ where: { name: "Cli strict" } });
    const cases: [string[], RegExp][] = [
      [
        ["--reviews-per-pair", "0"],
        /^ecd dataset: --reviews-per-pair: must be a whole number from 1 to 10 \(got "0"\)/,
      ],
      [["--reviews-per-pair", "11"], /^ecd dataset: --reviews-per-pair: must be a whole number from 1 to 10/],
      [["--blind", "maybe"], /^ecd dataset: --blind: must be on or off/],
      [["--mode", "pairwise"], /^ecd dataset: --mode: must be labelled or ab/],
      [
        ["--mode", "ab", "--blind", "off"],
        /^ecd dataset: --blind: The A\/B mode hides the orientation and needs blind review on/,
      ],
      [["--heldout", "0.9"], /^ecd dataset: --heldout: must be a number from 0 to 0\.5/],
      [["--adjudication", "yes"], /^ecd dataset: --adjudication: must be on or off/],
      [["--guidelines", "/no/such/file.md"], /^ecd dataset: --guidelines: cannot read \/no\/such\/file\.md/],
      [["--name", "!bad"], /^ecd dataset: --name: Name may contain letters/],
      [["--license", "x".repeat(201)], /^ecd dataset: --license: licence must be at most 200 characters/],
    ];
    for (const [flags, message] of cases) {
      const result = await ecd(["dataset", "set", "Cli strict", ...flags]);
      expect(result.code, flags.join(" ")).not.toBe(0);
      expect(result.stderr, flags.join(" ")).toMatch(message);
      expect(result.stderr.trim().split("\n"), flags.join(" ")).toHaveLength(1);
    }
    expect(await db.dataset.findFirstOrThrow({ where: { id: before.id } })).toEqual(before);
  });
});

describe("ecd dataset member and --as", () => {
  it("adds, lists and removes members; --as acts with the user's role and memberships", async () => {
    await ecd(["dataset", "create", "Cli members"]);
    await ecd(["dataset", "create", "Cli private"]);
    const ann = await createFixtureUser(db, { role: "annotator", email: "ann@cli.test" });
    await createFixtureUser(db, { role: "researcher", email: "res@cli.test" });

    const asAnn = async () =>
      JSON.parse((await ecd(["dataset", "list", "--json", "--as", "ann@cli.test"])).stdout).map(
        (d: { name: string }) => d.name,
      );
    expect(await asAnn()).toEqual([]);
    expect(await ecd(["dataset", "member", "add", "Cli members", "--email", "ann@cli.test"])).toMatchObject({
      code: 0,
      stdout: 'ann@cli.test is a member of "Cli members"\n',
    });
    expect(await asAnn()).toEqual(["Cli members"]);
    const list = await ecd(["dataset", "member", "list", "Cli members", "--json"]);
    expect(JSON.parse(list.stdout).map((m: { email: string }) => m.email)).toEqual(["ann@cli.test"]);
    // The annotator cannot see the other dataset, nor manage this one.
    expect((await ecd(["dataset", "stats", "Cli private", "--as", "ann@cli.test"])).stderr).toBe(
      'ecd dataset: No dataset named "Cli private"\n',
    );
    expect((await ecd(["dataset", "set", "Cli members", "--blind", "on", "--as", "ann@cli.test"])).stderr).toMatch(
      /^ecd dataset: --as: the annotator role may not do this \(needs datasets:manage\)\n$/,
    );
    // A researcher sees everything and may manage.
    expect((await ecd(["dataset", "set", "Cli private", "--blind", "on", "--as", "res@cli.test"])).code).toBe(0);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "dataset.settings" },
      orderBy: { id: "desc" },
    });
    expect(audit.userId).not.toBeNull();

    expect((await ecd(["dataset", "member", "add", "Cli members", "--email", "res@cli.test"])).stderr).toMatch(
      /^ecd dataset: --email: res@cli.test is a researcher, who sees every dataset; only annotators are members\n$/,
    );
    expect((await ecd(["dataset", "member", "add", "Cli members", "--email", "nobody@cli.test"])).stderr).toBe(
      "ecd dataset: --email: no user with the email nobody@cli.test\n",
    );
    expect((await ecd(["dataset", "list", "--as", "ghost@cli.test"])).stderr).toBe(
      'ecd dataset: --as: no active user with the email "ghost@cli.test"\n',
    );
    expect((await ecd(["dataset", "member", "remove", "Cli members", "--email", "ann@cli.test"])).code).toBe(0);
    expect(await asAnn()).toEqual([]);
    expect(ann.id).toBeGreaterThan(0);
  });
});

describe("ecd jobs with --as", () => {
  it("hides the jobs of datasets the annotator may not see", async () => {
    await ecd(["dataset", "create", "Cli jobs hidden"]);
    await createFixtureUser(db, { role: "annotator", email: "jobs-ann@cli.test" });
    const hidden = await db.dataset.findFirstOrThrow({ where: { name: "Cli jobs hidden" } });
    const job = await db.job.create({ data: { kind: "generation", datasetId: hidden.id, params: {}, models: {} } });
    expect((await ecd(["jobs", "show", String(job.id), "--as", "jobs-ann@cli.test"])).stderr).toBe(
      `ecd jobs: Job ${job.id} does not exist\n`,
    );
    const listed = JSON.parse((await ecd(["jobs", "list", "--json", "--as", "jobs-ann@cli.test"])).stdout) as {
      id: number;
    }[];
    expect(listed.map((j) => j.id)).not.toContain(job.id);
    const all = JSON.parse((await ecd(["jobs", "list", "--json"])).stdout) as { id: number }[];
    expect(all.map((j) => j.id)).toContain(job.id);
  });
});

describe("ecd dataset delete", () => {
  it("needs --yes, then starts the deletion job and the dataset is gone from the list at once", async () => {
    await ecd(["dataset", "create", "Cli doomed"]);
    const refused = await ecd(["dataset", "delete", "Cli doomed"]);
    expect(refused).toMatchObject({
      code: 2,
      stderr: "ecd dataset: --yes: deleting a dataset removes all its data; add --yes to confirm\n",
    });
    const done = await ecd(["dataset", "delete", "Cli doomed", "--yes"]);
    expect(done.stdout).toMatch(/^deleting dataset "Cli doomed" in job (\d+); it is gone from every list now\n$/);
    const names = JSON.parse((await ecd(["dataset", "list", "--json"])).stdout).map((d: { name: string }) => d.name);
    expect(names).not.toContain("Cli doomed");
    const jobId = Number(/job (\d+)/.exec(done.stdout)![1]);
    expect(await db.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({
      kind: "dataset-delete",
      status: "queued",
    });
    expect((await ecd(["dataset", "delete", "Cli doomed", "--yes"])).stderr).toBe(
      'ecd dataset: No dataset named "Cli doomed"\n',
    );
  });
});
