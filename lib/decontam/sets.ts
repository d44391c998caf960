/**
 * Uploaded benchmark sets: a prompt file read into a named set (lib/eval/benchmarks.ts stores it),
 * then every existing seed, node and edited prompt re-checked against it by a `decontam-recheck`
 * job on the one job engine (one task per range of seed ids, so progress shows as tasks finish).
 * Removing a set drops its matches and starts the same job to recompute the flags.
 */
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { PromptRowSchema } from "../constraints/evaluate.ts";
import { DomainError } from "../errors.ts";
import {
  addBenchmarkSet,
  benchmarkSetNameSchema,
  type BenchmarkPromptInput,
  removeBenchmarkSet,
} from "../eval/benchmarks.ts";
import { enqueueJob, type StartedJob } from "../jobs/commands.ts";
import type { TaskHandler } from "../jobs/handlers.ts";
import { PermanentTaskError } from "../jobs/worker.ts";
import { ImportError } from "../io/errors.ts";
import { seedText } from "../io/hash.ts";
import { DEFAULT_LIMITS, type ByteSource, type ImportLimits, readLines } from "../io/parse/lines.ts";
import { openRecords } from "../io/parse/records.ts";
import { pairPrompt } from "../review/prompt.ts";
import { checkedSets, constraintTextsOf, type Finding, findMatches, refreshFlags, storeMatches } from "./index.ts";

export const DECONTAM_RECHECK = "decontam-recheck";
/** Seeds per recheck task. */
const SEEDS_PER_TASK = 500;

/** Fields that hold the prompt in a row that is not in IFEval's layout, in order of preference. */
const PROMPT_FIELDS = ["prompt", "instruction", "question", "input", "text"] as const;

/**
 * The prompts of a file: JSON Lines, a JSON array, CSV or TSV (lib/io/parse), or plain text with
 * one prompt per line (.txt). Rows in IFEval's layout (key, prompt, instruction_id_list, kwargs)
 * keep their constraints, so the set can be used for evaluation. `limits`: the CLI's by default,
 * the upload route passes the upload limits.
 */
export async function readBenchmarkFile(
  source: ByteSource,
  fileName: string,
  limits: ImportLimits = DEFAULT_LIMITS,
): Promise<BenchmarkPromptInput[]> {
  const prompts: BenchmarkPromptInput[] = [];
  if (/\.txt$/i.test(fileName)) {
    for await (const line of readLines(source, limits)) {
      if (line.error !== undefined) throw new ImportError(line.error, line.line);
      const text = line.text.trim();
      if (text) prompts.push({ key: null, prompt: text, instructionIds: [], kwargs: [] });
    }
    return prompts;
  }
  const stream = await openRecords(source, { fileName, limits });
  for await (const record of stream.records) {
    if (record.error !== undefined) throw new ImportError(record.error, record.line);
    const row = record.value;
    if ("instruction_id_list" in row || "kwargs" in row) {
      const parsed = PromptRowSchema.safeParse(row);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ImportError(`${issue.path.join(".") || "row"}: ${issue.message} (IFEval's layout)`, record.line);
      }
      prompts.push({
        key: parsed.data.key === undefined ? null : String(parsed.data.key),
        prompt: parsed.data.prompt,
        instructionIds: parsed.data.instruction_id_list,
        kwargs: parsed.data.kwargs,
      });
      continue;
    }
    const field = PROMPT_FIELDS.find((f) => typeof row[f] === "string" && (row[f] as string).trim());
    if (!field)
      throw new ImportError(`no prompt: a row needs one of the fields ${PROMPT_FIELDS.join(", ")}`, record.line);
    const prompt =
      field === "instruction" && typeof row.input === "string"
        ? seedText(row.instruction as string, row.input)
        : (row[field] as string);
    const key = row.key ?? row.id;
    prompts.push({
      key: typeof key === "string" || typeof key === "number" ? String(key) : null,
      prompt,
      instructionIds: [],
      kwargs: [],
    });
  }
  return prompts;
}

export const uploadSetSchema = z.object({
  name: benchmarkSetNameSchema,
  licence: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.string().trim().max(100, "licence must be at most 100 characters").optional(),
  ),
  description: z.string().trim().max(500, "description must be at most 500 characters").optional(),
});

/** The upload route's query string: the set's fields and the file's name (its extension picks the format). */
export const uploadSetRequestSchema = uploadSetSchema.extend({
  fileName: z
    .string({ error: "fileName is required" })
    .trim()
    .min(1, "fileName is required")
    .max(500, "fileName must be at most 500 characters"),
});

/** Reads a prompt file into a new named set and starts the recheck of existing seeds and nodes. */
export async function uploadBenchmarkSet(
  db: Db,
  input: z.input<typeof uploadSetSchema> & {
    source: ByteSource;
    fileName: string;
    actorId?: number | null;
    limits?: ImportLimits;
  },
): Promise<{ set: { id: number; name: string; prompts: number }; job: StartedJob | null }> {
  const meta = uploadSetSchema.parse(input);
  let prompts: BenchmarkPromptInput[];
  try {
    prompts = await readBenchmarkFile(input.source, input.fileName, input.limits);
  } catch (error) {
    if (error instanceof ImportError)
      throw new DomainError(`${input.fileName}: ${error.message}. No set was added.`, "invalid", "file");
    throw error;
  }
  const set = await addBenchmarkSet(db, { ...meta, prompts });
  return { set, job: await startRecheck(db, set.id, input.actorId ?? null) };
}

/** Removes an uploaded set; its matches go with it and the flags are recomputed by a recheck job. */
export async function removeUploadedSet(db: Db, name: string, actorId: number | null = null) {
  const set = await removeBenchmarkSet(db, name);
  return { set, job: await startRecheck(db, null, actorId) };
}

/**
 * Starts the `decontam-recheck` job over every seed (all datasets), one task per range of seed
 * ids: against set `setId`, or, with null, only recomputing flags. Null when there are no seeds.
 */
export async function startRecheck(db: Db, setId: number | null, actorId: number | null): Promise<StartedJob | null> {
  const seeds = await db.seed.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  if (seeds.length === 0) return null;
  const tasks = [];
  for (let i = 0; i < seeds.length; i += SEEDS_PER_TASK) {
    const slice = seeds.slice(i, i + SEEDS_PER_TASK);
    tasks.push({
      kind: DECONTAM_RECHECK,
      payload: { setId, fromSeedId: slice[0]!.id, toSeedId: slice[slice.length - 1]!.id },
    });
  }
  return enqueueJob(
    db,
    { kind: DECONTAM_RECHECK, params: { concurrency: 2, setId }, maxAttempts: 3, createdById: actorId },
    tasks,
  );
}

const payloadSchema = z.object({
  setId: z.number().int().positive().nullable(),
  fromSeedId: z.number().int().positive(),
  toSeedId: z.number().int().positive(),
});

/** A recheck task: the seeds of its id range, their nodes and edited prompts, checked against one set. */
export const recheckHandler: TaskHandler = async (db, task, context) => {
  const payload = payloadSchema.safeParse(task.payload);
  if (!payload.success) throw new PermanentTaskError(`decontam-recheck task ${task.id} has a bad payload`);
  const { setId, fromSeedId, toSeedId } = payload.data;
  const seedRange = { id: { gte: fromSeedId, lte: toSeedId } };
  const set = setId === null ? null : (await checkedSets(db)).find((s) => s.id === setId);
  if (setId !== null && !set) {
    // The set was removed meanwhile: nothing to check against.
    return { progress: { seeds: 0, matches: 0 }, write: async () => {} };
  }
  const seeds = await db.seed.findMany({
    where: seedRange,
    select: { id: true, datasetId: true, instruction: true, input: true },
  });
  const byDataset = new Map<number, { findings: Finding[]; targets: Finding["target"][] }>();
  const add = (datasetId: number, finding: Finding) => {
    const entry = byDataset.get(datasetId) ?? { findings: [], targets: [] };
    entry.findings.push(finding);
    entry.targets.push(finding.target);
    byDataset.set(datasetId, entry);
  };
  if (set) {
    const nodes = await db.node.findMany({
      where: { seed: seedRange },
      select: { id: true, datasetId: true, seedId: true, depth: true, instruction: true, constraints: true },
    });
    const roots = new Map(nodes.filter((n) => n.depth === 0).map((n) => [n.seedId, n]));
    for (const s of seeds) {
      const root = roots.get(s.id);
      add(s.datasetId, {
        target: { seedId: s.id },
        text: root?.instruction ?? seedText(s.instruction, s.input),
        constraintTexts: constraintTextsOf(root?.constraints),
      });
    }
    for (const n of nodes)
      if (n.depth > 0)
        add(n.datasetId, {
          target: { nodeId: n.id },
          text: n.instruction,
          constraintTexts: constraintTextsOf(n.constraints),
        });
    const edited = await db.pair.findMany({
      where: { edited: true, node: { seed: seedRange } },
      select: { id: true, datasetId: true, metadata: true, node: { select: { instruction: true } } },
    });
    for (const p of edited) {
      const prompt = pairPrompt(p.metadata, p.node.instruction);
      if (prompt !== p.node.instruction) add(p.datasetId, { target: { pairId: p.id }, text: prompt });
    }
  }
  if (context.signal.aborted) throw new Error("cancelled");
  const results = [...byDataset].map(([datasetId, { findings, targets }]) => ({
    datasetId,
    targets,
    matches: findMatches([set!], findings),
  }));
  const matches = results.reduce((n, r) => n + r.matches.length, 0);
  return {
    progress: { seeds: seeds.length, matches },
    write: async (tx) => {
      for (const r of results) await storeMatches(tx, r.datasetId, r.targets, r.matches, [setId!]);
      if (!set)
        await refreshFlags(
          tx,
          seeds.map((s) => s.id),
        );
    },
  };
};
