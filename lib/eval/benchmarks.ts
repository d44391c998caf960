/**
 * Benchmark sets: named prompts (some with verifiable constraints) that models are evaluated on.
 * IFEval's 541 prompts are built in (data/ifeval-input-data.jsonl, Apache-2.0) and stored as the
 * set "ifeval" the first time they are needed. BenchmarkSet and BenchmarkPrompt are written only here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { PromptRowSchema } from "../constraints/evaluate.ts";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { DomainError } from "../errors.ts";

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
 * The set a `--benchmark` value names: `ifeval`, or `set:NAME` for a stored set. (`dataset:NAME`,
 * a dataset's held-out seeds as a benchmark, is not built yet.)
 */
export async function resolveBenchmark(db: Db, benchmark: string): Promise<{ id: number; name: string }> {
  await ensureBuiltinBenchmarks(db);
  if (benchmark.startsWith("dataset:")) {
    throw new DomainError(
      "dataset:NAME benchmarks are not supported yet (use ifeval or set:NAME)",
      "invalid",
      "benchmark",
    );
  }
  const name = benchmark.startsWith("set:") ? benchmark.slice(4) : benchmark;
  if (name !== IFEVAL_SET && !benchmark.startsWith("set:")) {
    throw new DomainError(`unknown benchmark "${benchmark}" (ifeval or set:NAME)`, "invalid", "benchmark");
  }
  const set = await db.benchmarkSet.findUnique({ where: { name }, select: { id: true, name: true } });
  if (!set) throw new DomainError(`no benchmark set named "${name}"`, "not_found", "benchmark");
  return set;
}
