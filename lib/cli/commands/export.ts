import { open, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { findDatasetByName } from "../../datasets/index.ts";
import { getDb } from "../../db/client.ts";
import { datasetCard, EXPORT_FORMATS, EXPORT_STATUSES, PAIR_METHODS, runExport } from "../../io/index.ts";
import { parseCommandArgs } from "../args.ts";
import { type CliCommand, requireCliScope, viewerOf } from "../command.ts";

const USAGE = `ecd export --dataset NAME --format ${EXPORT_FORMATS.join("|")} --out FILE
           [--status ${EXPORT_STATUSES.join("|")}] [--min-reviews N] [--method ${PAIR_METHODS.join("|")}] [--max-depth N]
           [--chosen pass|fail] [--rejected fail|fail-new] [--hard-negative] [--unknown] [--no-override]
           [--max-length-ratio R]
           [--card README.md] [--manifest FILE] [--json]

Writes the dataset's pairs as JSON Lines and records the export (manifest: format, filters, counts,
sha256, app version, time).
  --status       accepted (default; accepted pairs with a human edit included), pending, rejected, adjudication or all
  --min-reviews  only pairs reviewed at least N times
  --method       only pairs made by this method
  --max-depth    only pairs whose node is at most this deep
  --chosen, --rejected, --hard-negative, --unknown, --no-override
                 the pairs table's verdict filters (same keys as its URL)
  --max-length-ratio R  only pairs whose chosen/rejected word ratio r has 1/R <= r <= R
  --card FILE    also write a Hugging Face dataset card (README.md with YAML front matter)
  --manifest FILE  also write the manifest as JSON
Human edits win: an edited pair exports its edited prompt and responses.`;

const wholeNumber = z.coerce
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(0, "must be 0 or more");

export const exportCommand: CliCommand = {
  name: "export",
  summary: "Export curated pairs: trl-dpo, trl-dpo-conversational, openai-dpo, sft, chains",
  usage: USAGE,
  async run(args, io) {
    const opts = parseCommandArgs(
      args,
      {
        dataset: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        status: { type: "string" },
        "min-reviews": { type: "string" },
        method: { type: "string" },
        "max-depth": { type: "string" },
        chosen: { type: "string" },
        rejected: { type: "string" },
        "hard-negative": { type: "boolean" },
        unknown: { type: "boolean" },
        "no-override": { type: "boolean" },
        "max-length-ratio": { type: "string" },
        card: { type: "string" },
        manifest: { type: "string" },
        json: { type: "boolean" },
      },
      z.object({
        dataset: z.string({ error: "is required" }).min(1, "is required"),
        format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(", ")}` }),
        out: z.string({ error: "is required" }).min(1, "is required"),
        status: z.enum(EXPORT_STATUSES).default("accepted"),
        chosen: z.string().optional(),
        rejected: z.string().optional(),
        "hard-negative": z.boolean().optional(),
        unknown: z.boolean().optional(),
        "no-override": z.boolean().optional(),
        "max-length-ratio": z.string().optional(),
        "min-reviews": wholeNumber.optional(),
        method: z.enum(PAIR_METHODS).optional(),
        "max-depth": wholeNumber.optional(),
        card: z.string().min(1).optional(),
        manifest: z.string().min(1).optional(),
        json: z.boolean().optional(),
      }),
    );
    const db = getDb();
    requireCliScope(io, "exports:create");
    const dataset = await findDatasetByName(db, opts.dataset, viewerOf(io));
    const out = path.resolve(opts.out);
    // Written under a temporary name and renamed at the end: a failed export leaves no half file.
    const partial = `${out}.partial`;
    const file = await open(partial, "w");
    let result;
    try {
      result = await runExport(
        db,
        {
          datasetId: dataset.id,
          format: opts.format,
          filters: {
            status: opts.status,
            minReviews: opts["min-reviews"],
            method: opts.method,
            maxDepth: opts["max-depth"],
            chosen: opts.chosen,
            rejected: opts.rejected,
            "hard-negative": opts["hard-negative"],
            unknown: opts.unknown,
            "no-override": opts["no-override"],
            "max-length-ratio": opts["max-length-ratio"],
          },
          actorId: null,
          fileName: path.basename(out),
        },
        async (chunk) => {
          await file.write(chunk);
        },
      );
      await file.close();
      await rename(partial, out);
    } catch (error) {
      await file.close().catch(() => {});
      await rm(partial, { force: true });
      throw error;
    }
    const { manifest } = result;
    if (opts.card) await writeFile(opts.card, datasetCard(manifest));
    if (opts.manifest) await writeFile(opts.manifest, JSON.stringify(manifest, null, 2) + "\n");
    if (opts.json) {
      io.stdout(JSON.stringify({ exportId: result.exportId, ...manifest }, null, 2) + "\n");
      return;
    }
    const what =
      manifest.counts.trees !== undefined
        ? `${manifest.counts.trees} trees (${manifest.counts.pairs} pairs)`
        : `${manifest.counts.pairs} pairs`;
    io.stdout(
      `exported ${what} from "${dataset.name}" as ${manifest.format} to ${opts.out}: ${manifest.byteSize} bytes, sha256 ${manifest.sha256} (export #${result.exportId})\n`,
    );
    if (opts.card) io.stdout(`wrote the dataset card to ${opts.card}\n`);
  },
};
