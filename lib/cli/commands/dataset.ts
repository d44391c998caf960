import { z } from "zod";
import { createDataset, datasetStats, findDatasetByName, listDatasets } from "../../datasets/index.ts";
import { getDb } from "../../db/client.ts";
import { parseCommandArgs } from "../args.ts";
import { cliReviewStats } from "../../review/stats.ts";
import { type CliCommand, CliError } from "../command.ts";

export const datasetCommand: CliCommand = {
  name: "dataset",
  summary: "Manage datasets: create, list, stats",
  usage: [
    "ecd dataset create NAME [--description TEXT]",
    "ecd dataset list [--json]",
    "ecd dataset stats NAME [--json]",
  ].join("\n"),
  async run(args, io) {
    const [sub, ...rest] = args;
    const db = getDb();
    if (sub === "create") {
      const opts = parseCommandArgs(
        rest,
        { description: { type: "string" } },
        z.object({ name: z.string({ error: "is required" }), description: z.string().optional() }),
        ["name"],
      );
      const dataset = await createDataset(db, { name: opts.name, description: opts.description ?? "" }, null);
      io.stdout(`created dataset "${dataset.name}" (id ${dataset.id})\n`);
      return;
    }
    if (sub === "list") {
      const opts = parseCommandArgs(rest, { json: { type: "boolean" } }, z.object({ json: z.boolean().optional() }));
      const datasets = await listDatasets(db);
      if (opts.json) io.stdout(JSON.stringify(datasets, null, 2) + "\n");
      else if (datasets.length === 0) io.stdout("no datasets\n");
      else for (const d of datasets) io.stdout(`${d.id}\t${d.name}\t${d.description}\n`);
      return;
    }
    if (sub === "stats") {
      const opts = parseCommandArgs(
        rest,
        { json: { type: "boolean" } },
        z.object({ name: z.string({ error: "is required" }), json: z.boolean().optional() }),
        ["name"],
      );
      const dataset = await findDatasetByName(db, opts.name);
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
    throw new CliError(`unknown dataset command "${sub ?? ""}"; expected create, list or stats`);
  },
};
