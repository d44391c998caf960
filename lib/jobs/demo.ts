import { recordAudit } from "../audit.ts";
import { createDataset } from "../datasets/index.ts";
import type { Db } from "../db/client.ts";
import { DomainError } from "../errors.ts";
import { importSeeds } from "../io/import.ts";
import { bytesOf } from "../io/parse/lines.ts";
import { DEMO_SEEDS } from "./demo-seeds.ts";
import { startJob } from "./commands.ts";
import type { JobModels } from "./schemas.ts";

/**
 * The demo: on a fresh installation (no dataset, and no demo made before), a "Demo" dataset with
 * our own seed instructions and reference responses, and one job per pipeline with the
 * rule-based provider, run by the normal job system, so a new user sees trees and pairs to review
 * within a minute. ECD_DEMO=off turns it off.
 */

export const DEMO_DATASET_NAME = "Demo";

const RULE_BASED = { provider: "rule-based", model: "" };
const ALL_RULE_BASED: JobModels = {
  evolver: RULE_BASED,
  responder: RULE_BASED,
  judge: RULE_BASED,
  student: RULE_BASED,
  teacher: RULE_BASED,
};

export type DemoResult = { datasetId: number; seeds: number; jobIds: number[] };

export function demoEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return !["off", "0", "false", "no"].includes((env.ECD_DEMO ?? "").trim().toLowerCase());
}

/** The demo seeds as an Alpaca JSONL file (instruction, input, output), imported like any upload. */
export function demoSeedsJsonl(): string {
  return (
    DEMO_SEEDS.map((s) =>
      JSON.stringify({ instruction: s.instruction, input: s.input ?? "", output: s.response, category: s.category }),
    ).join("\n") + "\n"
  );
}

export async function ensureDemo(
  db: Db,
  options: { actorId?: number | null; env?: Record<string, string | undefined> } = {},
): Promise<DemoResult | null> {
  if (!demoEnabled(options.env)) return null;
  if ((await db.dataset.count()) > 0) return null;
  if ((await db.auditEvent.count({ where: { action: "demo.create" } })) > 0) return null; // deleted on purpose: do not bring it back
  const actorId = options.actorId ?? null;
  let dataset;
  try {
    dataset = await createDataset(
      db,
      {
        name: DEMO_DATASET_NAME,
        description:
          "Sample seeds with reference responses, evolved by the rule-based provider (no LLM). Safe to delete.",
        guidelines:
          "This is demo data made by the **rule-based** provider: evolutions add verifiable constraints and responses are rule-based repairs of the reference answer. A repair only adds or reformats (a title, section labels, bullets, a postscript, a keywords line, capitals, quotes) and never deletes words of the answer. Accept a pair when the chosen response follows every constraint of the prompt and still reads well; reject it otherwise.",
      },
      actorId,
    );
  } catch (error) {
    if (error instanceof DomainError && error.code === "conflict") return null; // another process made it
    throw error;
  }
  const report = await importSeeds(db, dataset.id, bytesOf(demoSeedsJsonl()), {
    format: "jsonl",
    shape: "alpaca",
    fileName: "demo-seeds.jsonl",
    actorId,
  });
  const ecd = await startJob(db, {
    datasetId: dataset.id,
    pipeline: "ecd",
    params: { rounds: 2, branches: 1, concurrency: 4 },
    models: ALL_RULE_BASED,
    createdById: actorId,
  });
  const c2s = await startJob(db, {
    datasetId: dataset.id,
    pipeline: "c2s",
    params: { constraintsPerPrompt: { min: 3, max: 5 }, concurrency: 4 },
    models: ALL_RULE_BASED,
    createdById: actorId,
  });
  await recordAudit(db, {
    userId: actorId,
    action: "demo.create",
    entityType: "dataset",
    entityId: dataset.id,
    data: { seeds: report.imported, jobs: [ecd.id, c2s.id] },
  });
  return { datasetId: dataset.id, seeds: report.imported, jobIds: [ecd.id, c2s.id] };
}
