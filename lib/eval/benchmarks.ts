/**
 * Benchmark sets: named prompts (some with verifiable constraints) that models are evaluated on.
 * IFEval's 541 prompts are built in (data/ifeval-input-data.jsonl, Apache-2.0) and stored as the
 * set "ifeval" the first time they are needed. BenchmarkSet and BenchmarkPrompt are written only here.
 */
import { OPERATOR } from "../auth/dataset-access.ts";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PromptRowSchema } from "../constraints/evaluate.ts";
import { lockBenchmarkSets } from "../db/benchmark-lock.ts";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { DomainError } from "../errors.ts";
import { createHash } from "node:crypto";
import { z } from "zod";
import { datasetSettingsSchema, findDatasetByName } from "../datasets/index.ts";
import { heldoutSeedWhere } from "../datasets/heldout.ts";
import type { Constraint } from "../evolution/types.ts";
import { VISIBLE_SEED } from "../db/visibility.ts";

export const IFEVAL_SET = "ifeval";
// Resolved from the project folder, where the app and the CLI run (as the common-password list is):
// the bundled server and the compiled CLI have no source folder of their own, and Turbopack turns a
// `new URL(…, import.meta.url)` into an asset URL that node:fs refuses.
const IFEVAL_FILE = "lib/eval/data/ifeval-input-data.jsonl";

export interface BenchmarkPromptInput {
  key: string | null;
  prompt: string;
  instructionIds: string[];
  kwargs: Record<string, unknown>[];
}

/** The built-in IFEval prompts, in file order. */
export function readIfevalPrompts(): BenchmarkPromptInput[] {
  return readFileSync(path.resolve(/* turbopackIgnore: true */ IFEVAL_FILE), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => {
      const row = PromptRowSchema.parse(JSON.parse(line));
      return {
        key: row.key === undefined ? null : String(row.key),
        prompt: row.prompt,
        instructionIds: row.instruction_id_list,
        kwargs: row.kwargs,
      };
    });
}

/** Stores the built-in sets if they are missing (idempotent; safe to call on every start). */
export async function ensureBuiltinBenchmarks(db: Db): Promise<void> {
  if (await db.benchmarkSet.findUnique({ where: { name: IFEVAL_SET }, select: { id: true } })) return;
  const prompts = readIfevalPrompts();
  await db.$transaction(async (tx) => {
    if (await tx.benchmarkSet.findUnique({ where: { name: IFEVAL_SET }, select: { id: true } })) return;
    const set = await tx.benchmarkSet.create({
      data: {
        name: IFEVAL_SET,
        description: "IFEval: 541 prompts with 25 kinds of verifiable instructions (Zhou et al., 2023)",
        source: "builtin",
        licence: "Apache-2.0",
      },
    });
    await tx.benchmarkPrompt.createMany({
      data: prompts.map((p, position) => ({
        setId: set.id,
        position,
        ...p,
        kwargs: p.kwargs as Prisma.InputJsonValue,
      })),
    });
  });
}

export interface BenchmarkSetSummary {
  id: number;
  name: string;
  description: string;
  source: string;
  licence: string | null;
  prompts: number;
}

export async function listBenchmarkSets(db: Db): Promise<BenchmarkSetSummary[]> {
  await ensureBuiltinBenchmarks(db);
  const sets = await db.benchmarkSet.findMany({
    orderBy: { name: "asc" },
    include: { _count: { select: { prompts: true } } },
  });
  return sets.map(({ _count, createdAt: _createdAt, ...set }) => ({ ...set, prompts: _count.prompts }));
}

/**
 * A dataset as a benchmark (`dataset:NAME`): the kept nodes of its held-out seeds (the dataset's
 * heldoutShare, lib/datasets/heldout.ts) that carry verifiable constraints only, or, when it has
 * no held-out share, those nodes of all its seeds. Stored as a set named after the dataset and a
 * hash of its prompts, so a run keeps the prompts it was run on when the dataset changes later,
 * and the same prompts make the same set.
 */
async function datasetBenchmark(db: Db, datasetName: string): Promise<{ id: number; name: string }> {
  // Evaluation runs need the jobs:run scope (researchers and admins), who see every dataset.
  const dataset = await findDatasetByName(db, datasetName, OPERATOR);
  const share = datasetSettingsSchema.parse(dataset.settings ?? {}).heldoutShare;
  const nodes = await db.node.findMany({
    where: { datasetId: dataset.id, status: "kept", seed: { ...VISIBLE_SEED, ...heldoutSeedWhere(share) } },
    select: { instruction: true, constraints: true },
    orderBy: { id: "asc" },
  });
  const prompts: BenchmarkPromptInput[] = [];
  for (const node of nodes) {
    const constraints = (Array.isArray(node.constraints) ? node.constraints : []) as Constraint[];
    if (constraints.length === 0 || constraints.some((c) => c.kind !== "verifiable")) continue;
    const verifiable = constraints as Extract<Constraint, { kind: "verifiable" }>[];
    prompts.push({
      key: null,
      prompt: node.instruction,
      instructionIds: verifiable.map((c) => c.id),
      kwargs: verifiable.map((c) => c.kwargs as Record<string, unknown>),
    });
  }
  if (prompts.length === 0)
    throw new DomainError(
      `Dataset "${datasetName}" has no ${share > 0 ? "held-out " : ""}nodes with verifiable constraints only`,
      "invalid",
      "benchmark",
    );
  const hash = createHash("sha256").update(JSON.stringify(prompts)).digest("hex").slice(0, 12);
  const name = `dataset:${datasetName}#${hash}`;
  const known = await db.benchmarkSet.findUnique({ where: { name }, select: { id: true, name: true } });
  if (known) return known;
  return db.$transaction(async (tx) => {
    const set = await tx.benchmarkSet.create({
      data: {
        name,
        description: `${prompts.length} prompt(s) of dataset "${datasetName}" (${share > 0 ? `held-out share ${share}` : "all seeds"}) with verifiable constraints only`,
        source: "dataset",
      },
      select: { id: true, name: true },
    });
    await tx.benchmarkPrompt.createMany({
      data: prompts.map((p, position) => ({
        setId: set.id,
        position,
        ...p,
        kwargs: p.kwargs as Prisma.InputJsonValue,
      })),
    });
    return set;
  });
}

/** The set a `--benchmark` value names: `ifeval`, `set:NAME` for a stored set, `dataset:NAME` for a dataset. */
export async function resolveBenchmark(db: Db, benchmark: string): Promise<{ id: number; name: string }> {
  await ensureBuiltinBenchmarks(db);
  if (benchmark.startsWith("dataset:")) return datasetBenchmark(db, benchmark.slice("dataset:".length));
  const name = benchmark.startsWith("set:") ? benchmark.slice(4) : benchmark;
  if (name !== IFEVAL_SET && !benchmark.startsWith("set:")) {
    throw new DomainError(
      `unknown benchmark "${benchmark}" (ifeval, set:NAME or dataset:NAME)`,
      "invalid",
      "benchmark",
    );
  }
  const set = await db.benchmarkSet.findUnique({ where: { name }, select: { id: true, name: true } });
  if (!set) throw new DomainError(`no benchmark set named "${name}"`, "not_found", "benchmark");
  return set;
}

/** A set name: letters, digits, `-`, `_`, `.`; not one of the reserved prefixes. */
export const benchmarkSetNameSchema = z
  .string({ error: "name is required" })
  .trim()
  .min(1, "name is required")
  .max(80, "name must be at most 80 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "name may hold letters, digits, '.', '_' and '-' only")
  .refine((name) => name !== IFEVAL_SET, `name "${IFEVAL_SET}" is the built-in set`);

/** Stores an uploaded set (the name must be new). */
export async function addBenchmarkSet(
  db: Db,
  input: { name: string; description?: string; licence?: string | null; prompts: BenchmarkPromptInput[] },
): Promise<{ id: number; name: string; prompts: number }> {
  const name = benchmarkSetNameSchema.parse(input.name);
  if (input.prompts.length === 0) throw new DomainError("the file holds no prompts", "invalid", "file");
  if (await db.benchmarkSet.findUnique({ where: { name }, select: { id: true } }))
    throw new DomainError(`a benchmark set named "${name}" exists already`, "conflict", "name");
  return db.$transaction(
    async (tx) => {
      await lockBenchmarkSets(tx, "change");
      const set = await tx.benchmarkSet.create({
        data: { name, description: input.description ?? "", source: "upload", licence: input.licence || null },
        select: { id: true, name: true },
      });
      for (let i = 0; i < input.prompts.length; i += 1000)
        await tx.benchmarkPrompt.createMany({
          data: input.prompts.slice(i, i + 1000).map((p, k) => ({
            setId: set.id,
            position: i + k,
            ...p,
            kwargs: p.kwargs as Prisma.InputJsonValue,
          })),
        });
      return { ...set, prompts: input.prompts.length };
    },
    // A big uploaded set takes longer than the default 5 s to store (7,000 prompts expired it on PostgreSQL).
    { maxWait: 30_000, timeout: Math.max(60_000, input.prompts.length * 2) },
  );
}

/** Removes an uploaded set (with its stored matches); built-in sets and sets with eval runs stay. */
export async function removeBenchmarkSet(db: Db, name: string): Promise<{ id: number; name: string }> {
  const set = await db.benchmarkSet.findUnique({
    where: { name },
    select: { id: true, name: true, source: true, _count: { select: { evalRuns: true } } },
  });
  if (!set) throw new DomainError(`no benchmark set named "${name}"`, "not_found", "name");
  if (set.source !== "upload")
    throw new DomainError(`"${name}" is a ${set.source} set: only uploaded sets can be removed`, "invalid", "name");
  if (set._count.evalRuns > 0)
    throw new DomainError(
      `"${name}" has ${set._count.evalRuns} evaluation run(s): remove them first`,
      "conflict",
      "name",
    );
  await db.$transaction(async (tx) => {
    await lockBenchmarkSets(tx, "change");
    await tx.benchmarkSet.delete({ where: { id: set.id } });
  });
  return { id: set.id, name: set.name };
}
