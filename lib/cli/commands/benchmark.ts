import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { getDb } from "../../db/client.ts";
import { removeUploadedSet, uploadBenchmarkSet } from "../../decontam/sets.ts";
import { listBenchmarkSets } from "../../eval/benchmarks.ts";
import { formatCounted } from "../../format.ts";
import { parseCommandArgs } from "../args.ts";
import { type CliCommand, CliError, requireCliScope } from "../command.ts";

export const benchmarkCommand: CliCommand = {
  name: "benchmark",
  summary: "Benchmark sets kept out of training data (decontamination): add, list, rm",
  usage: [
    "ecd benchmark add NAME FILE [--licence ID] [--description TEXT]",
    "ecd benchmark list [--json]",
    "ecd benchmark rm NAME",
    "",
    "FILE: JSON Lines, a JSON array, CSV/TSV (a prompt, instruction, question or text field) or .txt",
    "(one prompt per line). Rows in IFEval's layout (key, prompt, instruction_id_list, kwargs) keep their",
    "constraints, so `ecd eval run --benchmark set:NAME` can use the set. Adding or removing a set starts",
    "a decontam-recheck job that checks every existing seed and node against it (see `ecd jobs`).",
  ].join("\n"),
  async run(args, io) {
    const [sub, ...rest] = args;
    const db = getDb();
    if (sub === "add") {
      requireCliScope(io, "datasets:manage");
      const opts = parseCommandArgs(
        rest,
        { licence: { type: "string" }, description: { type: "string" } },
        z.object({
          name: z.string({ error: "is required" }),
          file: z.string({ error: "is required" }),
          licence: z.string().optional(),
          description: z.string().optional(),
        }),
        ["name", "file"],
      );
      if (!(await stat(opts.file).catch(() => null))?.isFile()) throw new CliError(`FILE: ${opts.file} is not a file`);
      const { set, job } = await uploadBenchmarkSet(db, {
        name: opts.name,
        licence: opts.licence,
        description: opts.description,
        source: createReadStream(opts.file),
        fileName: path.basename(opts.file),
      });
      io.stdout(`added benchmark set "${set.name}" with ${formatCounted(set.prompts, "prompt")}\n`);
      if (job)
        io.stdout(`re-checking existing seeds and nodes: job #${job.id} (${formatCounted(job.tasksTotal, "task")})\n`);
      return;
    }
    if (sub === "list") {
      const opts = parseCommandArgs(rest, { json: { type: "boolean" } }, z.object({ json: z.boolean().optional() }));
      const sets = await listBenchmarkSets(db);
      if (opts.json) io.stdout(JSON.stringify(sets, null, 2) + "\n");
      else
        for (const s of sets)
          io.stdout(`${s.name}\t${s.source}\t${formatCounted(s.prompts, "prompt")}\t${s.licence ?? "-"}\n`);
      return;
    }
    if (sub === "rm") {
      requireCliScope(io, "datasets:manage");
      const opts = parseCommandArgs(rest, {}, z.object({ name: z.string({ error: "is required" }) }), ["name"]);
      const { set, job } = await removeUploadedSet(db, opts.name);
      io.stdout(
        `removed benchmark set "${set.name}"${job ? `; recomputing contamination flags: job #${job.id}` : ""}\n`,
      );
      return;
    }
    throw new CliError(`unknown subcommand "${sub ?? ""}": use add, list or rm`);
  },
};
