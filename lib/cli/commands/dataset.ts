import { readFile } from "node:fs/promises";
import { z } from "zod";
import { OPERATOR } from "../../auth/dataset-access.ts";
import { requestDatasetDeletion } from "../../datasets/delete.ts";
import { createDataset, datasetStats, findDatasetByName, listDatasets } from "../../datasets/index.ts";
import { addMember, listMembers, removeMember } from "../../datasets/members.ts";
import { type DatasetSettingsUpdate, updateDatasetSettings } from "../../datasets/settings.ts";
import { getDb } from "../../db/client.ts";
import { DomainError } from "../../errors.ts";
import { numberFlag, parseCommandArgs } from "../args.ts";
import { type CliCommand, CliError, type CliIO, requireCliScope, viewerOf } from "../command.ts";

const USAGE = [
  "ecd dataset create NAME [--description TEXT]",
  "ecd dataset list [--json]",
  "ecd dataset stats NAME [--json]",
  "ecd dataset set NAME [--name NEW] [--description TEXT] [--guidelines FILE] [--reviews-per-pair N] [--blind on|off]",
  "                     [--mode labelled|ab] [--adjudication on|off] [--license ID] [--heldout SHARE]",
  "ecd dataset member add NAME --email E",
  "ecd dataset member remove NAME --email E",
  "ecd dataset member list NAME [--json]",
  "ecd dataset delete NAME --yes",
  "",
  "Every command takes --as EMAIL to act with that user's role and memberships.",
].join("\n");

const name = z.string({ error: "is required" });
const onOff = z.enum(["on", "off"], { error: "must be on or off" }).transform((v) => v === "on");

/** The settings write path's field → the flag that sets it, so its errors name the flag. */
const FLAG_OF: Record<string, string> = {
  name: "--name",
  description: "--description",
  guidelines: "--guidelines",
  reviewsPerPair: "--reviews-per-pair",
  blind: "--blind",
  mode: "--mode",
  adjudication: "--adjudication",
  licence: "--license",
  heldoutShare: "--heldout",
};

function actorId(io: CliIO): number | null {
  const viewer = viewerOf(io);
  return viewer === OPERATOR ? null : viewer.id;
}

/** A DomainError about a field comes back naming the flag (or EMAIL / NAME). */
async function namingFlags<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.field && FLAG_OF[error.field]) {
      const message = error.message.replace(new RegExp(`^${error.field}: `), "");
      throw new CliError(`${FLAG_OF[error.field]}: ${message}`);
    }
    if (error instanceof DomainError && error.field === "email")
      throw new CliError(`--email: ${error.message.replace(/^email: /, "")}`);
    throw error;
  }
}

async function setCommand(rest: string[], io: CliIO) {
  const opts = parseCommandArgs(
    rest,
    {
      name: { type: "string" },
      description: { type: "string" },
      guidelines: { type: "string" },
      "reviews-per-pair": { type: "string" },
      blind: { type: "string" },
      mode: { type: "string" },
      adjudication: { type: "string" },
      license: { type: "string" },
      heldout: { type: "string" },
    },
    z.object({
      dataset: name,
      name: z.string().optional(),
      description: z.string().optional(),
      guidelines: z.string().optional(),
      "reviews-per-pair": numberFlag(1, 10).optional(),
      blind: onOff.optional(),
      mode: z.enum(["labelled", "ab"], { error: "must be labelled or ab" }).optional(),
      adjudication: onOff.optional(),
      license: z.string().optional(),
      heldout: numberFlag(0, 0.5, { fraction: true }).optional(),
    }),
    ["dataset"],
  );
  requireCliScope(io, "datasets:manage");
  const db = getDb();
  const dataset = await findDatasetByName(db, opts.dataset, viewerOf(io));
  let guidelines: string | undefined;
  if (opts.guidelines !== undefined) {
    try {
      guidelines = await readFile(opts.guidelines, "utf8");
    } catch (error) {
      throw new CliError(`--guidelines: cannot read ${opts.guidelines} (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  const update: DatasetSettingsUpdate = {
    name: opts.name,
    description: opts.description,
    guidelines,
    reviewsPerPair: opts["reviews-per-pair"],
    blind: opts.blind,
    mode: opts.mode,
    adjudication: opts.adjudication,
    licence: opts.license,
    heldoutShare: opts.heldout,
  };
  const result = await namingFlags(async () => {
    try {
      return await updateDatasetSettings(db, dataset.id, update, actorId(io));
    } catch (error) {
      if (error instanceof z.ZodError) {
        const issue = error.issues[0];
        throw new DomainError(issue.message, "invalid", String(issue.path[0]));
      }
      throw error;
    }
  });
  if (result.changed.length === 0) io.stdout(`dataset "${dataset.name}": nothing changed\n`);
  else
    io.stdout(
      `dataset "${opts.name ?? dataset.name}": changed ${result.changed.join(", ")}` +
        (result.guidelineVersion ? ` (guidelines version ${result.guidelineVersion})` : "") +
        (result.resettleJobId ? `; pending pairs are settled again in job ${result.resettleJobId}` : "") +
        "\n",
    );
}

async function memberCommand(rest: string[], io: CliIO) {
  const [action, ...args] = rest;
  const db = getDb();
  if (action === "add" || action === "remove") {
    const opts = parseCommandArgs(
      args,
      { email: { type: "string" } },
      z.object({ dataset: name, email: z.string({ error: "is required" }) }),
      ["dataset"],
    );
    requireCliScope(io, "datasets:manage");
    const dataset = await findDatasetByName(db, opts.dataset, viewerOf(io));
    await namingFlags(async () => {
      if (action === "add") await addMember(db, dataset.id, opts.email, actorId(io));
      else await removeMember(db, dataset.id, opts.email, actorId(io));
    });
    io.stdout(
      action === "add"
        ? `${opts.email} is a member of "${dataset.name}"\n`
        : `${opts.email} is no longer a member of "${dataset.name}"\n`,
    );
    return;
  }
  if (action === "list") {
    const opts = parseCommandArgs(
      args,
      { json: { type: "boolean" } },
      z.object({ dataset: name, json: z.boolean().optional() }),
      ["dataset"],
    );
    requireCliScope(io, "datasets:manage");
    const dataset = await findDatasetByName(db, opts.dataset, viewerOf(io));
    const members = await listMembers(db, dataset.id);
    if (opts.json)
      io.stdout(
        JSON.stringify(
          members.map((m) => ({ email: m.email, name: m.name, addedAt: m.addedAt.toISOString() })),
          null,
          2,
        ) + "\n",
      );
    else if (members.length === 0) io.stdout("no members\n");
    else for (const m of members) io.stdout(`${m.email}\t${m.name}\t${m.addedAt.toISOString()}\n`);
    return;
  }
  throw new CliError(`unknown dataset member command "${action ?? ""}"; expected add, remove or list`);
}
import { cliReviewStats } from "../../review/stats.ts";

export const datasetCommand: CliCommand = {
  name: "dataset",
  summary: "Manage datasets: create, list, stats, set, member, delete",
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    const db = getDb();
    if (sub === "create") {
      const opts = parseCommandArgs(
        rest,
        { description: { type: "string" } },
        z.object({ name, description: z.string().optional() }),
        ["name"],
      );
      requireCliScope(io, "datasets:manage");
      const dataset = await createDataset(db, { name: opts.name, description: opts.description ?? "" }, actorId(io));
      io.stdout(`created dataset "${dataset.name}" (id ${dataset.id})\n`);
      return;
    }
    if (sub === "list") {
      const opts = parseCommandArgs(rest, { json: { type: "boolean" } }, z.object({ json: z.boolean().optional() }));
      const datasets = await listDatasets(db, viewerOf(io));
      if (opts.json) io.stdout(JSON.stringify(datasets, null, 2) + "\n");
      else if (datasets.length === 0) io.stdout("no datasets\n");
      else for (const d of datasets) io.stdout(`${d.id}\t${d.name}\t${d.description}\n`);
      return;
    }
    if (sub === "stats") {
      const opts = parseCommandArgs(
        rest,
        { json: { type: "boolean" } },
        z.object({ name, json: z.boolean().optional() }),
        ["name"],
      );
      const dataset = await findDatasetByName(db, opts.name, viewerOf(io));
      const stats = await datasetStats(db, dataset.id);
      if (opts.json) {
        // The review figures: agreement with intervals, speed, chart series and breakdowns.
        const review = await cliReviewStats(db, dataset.id);
        io.stdout(JSON.stringify({ ...stats, review }, null, 2) + "\n");
      } else {
        io.stdout(
          [
            `dataset   ${stats.dataset}`,
            `seeds     ${stats.seeds}`,
            `nodes     ${stats.nodes}`,
            `responses ${stats.responses}`,
            `pairs     ${stats.pairs.total} (pending ${stats.pairs.pending}, accepted ${stats.pairs.accepted}, rejected ${stats.pairs.rejected}, adjudication ${stats.pairs.adjudication})`,
            `reviews   ${stats.reviews}`,
          ].join("\n") + "\n",
        );
      }
      return;
    }
    if (sub === "set") return setCommand(rest, io);
    if (sub === "member") return memberCommand(rest, io);
    if (sub === "delete") {
      const opts = parseCommandArgs(
        rest,
        { yes: { type: "boolean" } },
        z.object({ name, yes: z.boolean().optional() }),
        ["name"],
      );
      if (!opts.yes) throw new CliError("--yes: deleting a dataset removes all its data; add --yes to confirm");
      requireCliScope(io, "datasets:manage");
      const dataset = await findDatasetByName(db, opts.name, viewerOf(io));
      const job = await requestDatasetDeletion(db, dataset.id, dataset.name, actorId(io));
      io.stdout(`deleting dataset "${dataset.name}" in job ${job.id}; it is gone from every list now\n`);
      return;
    }
    throw new CliError(`unknown dataset command "${sub ?? ""}"; expected create, list, stats, set, member or delete`);
  },
};
