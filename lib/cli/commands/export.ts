import { constants } from "node:fs";
import { chmod, copyFile, mkdir, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { findDatasetByName } from "../../datasets/index.ts";
import { getDb } from "../../db/client.ts";
import { DomainError } from "../../errors.ts";
import {
  boundHeapGrowth,
  createExport,
  EXPORT_FORMATS,
  EXPORT_STATUSES,
  getExportBundle,
  PAIR_METHODS,
  type StoredExportFile,
} from "../../io/index.ts";
import { parseCommandArgs } from "../args.ts";
import { type CliCommand, requireCliScope, viewerOf } from "../command.ts";

const USAGE = `ecd export --dataset NAME --format ${EXPORT_FORMATS.join("|")} --out DIR/|FILE.jsonl
           [--status ${EXPORT_STATUSES.join("|")}] [--min-reviews N] [--method ${PAIR_METHODS.join("|")}] [--max-depth N]
           [--chosen pass|fail] [--rejected fail|fail-new] [--hard-negative] [--unknown] [--no-override]
           [--max-length-ratio R] [--generator G,...] [--exclude-generator G,...] [--provider P,...]
           [--model M,...] [--jobs ID,...] [--per-seed K] [--dedup prompt|prompt+chosen]
           [--allow-contaminated] [--json]
       ecd export --dataset NAME --id EXPORT_ID --out DIR/|FILE.jsonl

Exports the dataset's pairs as a bundle, stored under ECD_EXPORT_DIR and recorded: the data file
(JSON Lines), metadata.jsonl (one line per data line), README.md (the dataset card) and
manifest.json (sha256 and size of every file, jobs, filters, counts). Held-out seeds and pairs
waiting for adjudication are never exported. The files at --out are copies of the stored files,
which are read-only.
  --out DIR/     an existing folder, or a path ending in /: the bundle's files go into it
  --out FILE.jsonl  the data file, with FILE.metadata.jsonl, FILE.manifest.json and FILE.README.md beside it
  --id N         copy the stored bundle of past export N instead of exporting again
  --status       accepted (default; accepted pairs with a human edit included), pending, rejected or all
  --min-reviews  only pairs reviewed at least N times
  --method       only pairs made by this method
  --max-depth    only pairs whose node is at most this deep
  --chosen, --rejected, --hard-negative, --unknown, --no-override
                 the pairs table's verdict filters (same keys as its URL)
  --max-length-ratio R  only pairs whose chosen/rejected word ratio r has 1/R <= r <= R
  --generator    only pairs whose chosen response was written by: llm, rule-based, reference, human
  --exclude-generator  the same setting as its complement (e.g. --exclude-generator rule-based)
  --provider, --model  only pairs whose chosen response came from these providers / models
  --jobs         only pairs made by these jobs
  --per-seed K   at most K pairs per seed (the first by id)
  --dedup        one pair per prompt, or per prompt+chosen (sft always has one row per prompt+chosen)
  --allow-contaminated  keep pairs whose prompt matches a benchmark set (left out by default; the
                 manifest and card say how many, per set)
Human edits win: an edited pair exports its edited prompt and responses.`;

const wholeNumber = z.coerce
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(0, "must be 0 or more");

type Target = { kind: "dir"; dir: string } | { kind: "file"; file: string };

/** Where --out puts the bundle; refuses (before anything is exported) a path whose parent folder is missing. */
async function resolveTarget(out: string): Promise<Target> {
  const full = path.resolve(out);
  const existing = await stat(full).catch(() => null);
  const isDir = existing?.isDirectory() ?? false;
  if (existing && !isDir && out.endsWith("/"))
    throw new DomainError(`${out} is a file, not a folder`, "invalid", "out");
  const parent = path.dirname(full);
  if (!isDir && !(await stat(parent).catch(() => null))?.isDirectory())
    throw new DomainError(`the folder ${parent} does not exist; nothing was exported`, "invalid", "out");
  if (isDir || out.endsWith("/") || out.endsWith(path.sep)) return { kind: "dir", dir: full };
  if (!full.endsWith(".jsonl"))
    throw new DomainError("must be a folder (DIR/) or a file ending in .jsonl", "invalid", "out");
  return { kind: "file", file: full };
}

/** Copies a stored bundle to the target: into the folder, or as FILE.jsonl with its sidecars. */
async function copyBundle(files: StoredExportFile[], target: Target): Promise<string[]> {
  if (target.kind === "dir") await mkdir(target.dir, { recursive: true });
  const written: string[] = [];
  for (const f of files) {
    let dest: string;
    if (target.kind === "dir") dest = path.join(target.dir, f.name);
    else {
      const base = target.file.slice(0, -".jsonl".length);
      dest =
        f.kind === "data"
          ? target.file
          : f.kind === "metadata"
            ? `${base}.metadata.jsonl`
            : f.kind === "card"
              ? `${base}.README.md`
              : `${base}.manifest.json`;
    }
    await placeFile(f.path, dest);
    written.push(dest);
  }
  return written;
}

/**
 * Puts a copy of a stored bundle file at `dest` (replacing what is there), writable like any file
 * the user makes: the stored files are read-only (store.ts) and stay what the Export row's sha256s
 * describe. Not a hard link, although one would save the copy (0.5–4.6 s of kernel CPU at 1M pairs,
 * depending on the page cache): the user's file would be the stored file itself, and anyone allowed
 * to write it (its owner after a chmod, or root, whom the mode does not stop) would change the
 * recorded bundle. A copy-on-write clone where the file system offers one (FICLONE), else a copy.
 * An existing `dest` is removed first, so a copy never writes through a link someone made into a
 * stored file.
 */
async function placeFile(source: string, dest: string): Promise<void> {
  if (path.resolve(dest) === path.resolve(source)) return;
  await unlink(dest).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
  await copyFile(source, dest, constants.COPYFILE_FICLONE);
  await chmod(dest, 0o644);
}

export const exportCommand: CliCommand = {
  name: "export",
  summary: "Export curated pairs as a stored bundle: trl-dpo, trl-dpo-conversational, openai-dpo, sft, chains",
  usage: USAGE,
  async run(args, io) {
    const opts = parseCommandArgs(
      args,
      {
        dataset: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        id: { type: "string" },
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
        generator: { type: "string" },
        "exclude-generator": { type: "string" },
        provider: { type: "string" },
        model: { type: "string" },
        jobs: { type: "string" },
        "per-seed": { type: "string" },
        dedup: { type: "string" },
        "allow-contaminated": { type: "boolean" },
        json: { type: "boolean" },
      },
      z
        .object({
          dataset: z.string({ error: "is required" }).min(1, "is required"),
          format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(", ")}` }).optional(),
          out: z.string({ error: "is required" }).min(1, "is required"),
          id: z.coerce.number({ error: "must be an export id" }).int().positive("must be an export id").optional(),
          status: z.enum(EXPORT_STATUSES).default("accepted"),
          chosen: z.string().optional(),
          rejected: z.string().optional(),
          "hard-negative": z.boolean().optional(),
          unknown: z.boolean().optional(),
          "no-override": z.boolean().optional(),
          "max-length-ratio": z.string().optional(),
          generator: z.string().optional(),
          "exclude-generator": z.string().optional(),
          provider: z.string().optional(),
          model: z.string().optional(),
          jobs: z.string().optional(),
          "per-seed": z.string().optional(),
          dedup: z.string().optional(),
          "allow-contaminated": z.boolean().optional(),
          "min-reviews": wholeNumber.optional(),
          method: z.enum(PAIR_METHODS).optional(),
          "max-depth": wholeNumber.optional(),
          json: z.boolean().optional(),
        })
        .refine((o) => o.id !== undefined || o.format !== undefined, {
          path: ["format"],
          message: `must be one of ${EXPORT_FORMATS.join(", ")}`,
        }),
    );
    const db = getDb();
    requireCliScope(io, "exports:create");
    const dataset = await findDatasetByName(db, opts.dataset, viewerOf(io));
    const target = await resolveTarget(opts.out);
    boundHeapGrowth(); // this process only exports: keep its memory near the live data (lib/io/heap.ts)
    const exportId =
      opts.id ??
      (
        await createExport(db, {
          datasetId: dataset.id,
          format: opts.format!,
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
            generator: opts.generator,
            "exclude-generator": opts["exclude-generator"],
            provider: opts.provider,
            model: opts.model,
            jobs: opts.jobs,
            "per-seed": opts["per-seed"],
            dedup: opts.dedup,
            "allow-contaminated": opts["allow-contaminated"],
          },
          actorId: null,
          ...(target.kind === "file" ? { fileName: path.basename(target.file) } : {}),
        })
      ).exportId;
    const bundle = await getExportBundle(db, dataset.id, exportId);
    if (bundle.files.length === 0)
      throw new DomainError(`export ${exportId} was made before bundles were stored; only its manifest is kept`);
    const written = await copyBundle(bundle.files, target);
    const { manifest } = bundle;
    if (opts.json) {
      io.stdout(JSON.stringify({ exportId, files: written, ...manifest }, null, 2) + "\n");
      return;
    }
    const what =
      manifest.counts.trees !== undefined
        ? `${manifest.counts.trees} trees (${manifest.counts.pairs} pairs)`
        : `${manifest.counts.pairs} pairs`;
    const where = target.kind === "dir" ? target.dir : target.file;
    io.stdout(
      `${opts.id ? "copied export" : "exported"} ${what} from "${dataset.name}" as ${manifest.format} to ${where}: ${manifest.byteSize} bytes, sha256 ${manifest.sha256} (export #${exportId})\n`,
    );
    const decontam = manifest.decontamination;
    if (decontam?.contaminatedPairs)
      io.stdout(
        decontam.allowContaminated
          ? `warning: kept ${decontam.contaminatedPairs} contaminated pairs (--allow-contaminated)\n`
          : `left out ${decontam.removedPairs} contaminated pairs (${Object.entries(decontam.pairsBySet)
              .map(([set, n]) => `${set}: ${n}`)
              .join(", ")}); --allow-contaminated keeps them\n`,
      );
    io.stdout(`wrote ${written.map((f) => path.basename(f)).join(", ")}\n`);
  },
};
