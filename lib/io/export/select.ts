import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { PAIR_METHODS } from "../../domain.ts";
import { pairPrompt } from "../../review/decide.ts";
import { pairFilterSchema, type PairFilter, RESPONSE_GENERATORS } from "../../review/pair-query.ts";
import { countPairs as countMatchingPairs, matchingPairBatch } from "../../review/query.ts";
import { isHeldOut } from "../../datasets/heldout.ts";
import { inSlices } from "../chunks.ts";

/**
 * Which pairs an export takes: the status (default accepted — an accepted pair with a human edit is
 * accepted and exports its edited text), and the filter keys of lib/review/pair-query.ts, which the
 * pairs table and bulk decisions use too (one definition, run by lib/review's filterConditions).
 */
export const EXPORT_STATUSES = ["accepted", "pending", "rejected", "all"] as const;
/** "all" never includes pairs waiting for adjudication: reviewers disagree on them. */
const EXPORTABLE_STATUSES = ["pending", "accepted", "rejected"] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];
export { PAIR_METHODS };

export const DEDUP_MODES = ["prompt", "prompt+chosen"] as const;
export type DedupMode = (typeof DEDUP_MODES)[number];

const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const exportFiltersSchema = pairFilterSchema
  .pick({
    maxDepth: true,
    chosen: true,
    rejected: true,
    "hard-negative": true,
    unknown: true,
    "max-length-ratio": true,
    "no-override": true,
    jobs: true,
    generator: true,
    provider: true,
    model: true,
  })
  .extend({
    /** The complement of `generator`: leaves out pairs whose chosen response these wrote. */
    "exclude-generator": pairFilterSchema.shape.generator,
    /** Keeps pairs whose prompt matches a benchmark set (lib/decontam); left out by default. */
    "allow-contaminated": pairFilterSchema.shape["has-comments"],
    /** At most K pairs per seed (the first K by pair id). */
    "per-seed": z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: "per-seed must be a whole number" })
        .int("per-seed must be a whole number")
        .min(1, "per-seed must be 1 or more")
        .optional(),
    ),
    /** One pair per prompt, or per (prompt, chosen): the first by pair id. SFT is always per (prompt, chosen). */
    dedup: z.preprocess(
      blankToUndefined,
      z.enum(DEDUP_MODES, { error: `dedup must be one of ${DEDUP_MODES.join(", ")}` }).optional(),
    ),
    minReviews: pairFilterSchema.shape.minReviews.default(0),
    status: z.preprocess(
      blankToUndefined,
      z.enum(EXPORT_STATUSES, { error: `status must be one of ${EXPORT_STATUSES.join(", ")}` }).default("accepted"),
    ),
    method: z.preprocess(
      blankToUndefined,
      z.enum(PAIR_METHODS, { error: `method must be one of ${PAIR_METHODS.join(", ")}` }).optional(),
    ),
  });
export type ExportFilters = z.output<typeof exportFiltersSchema>;
export type ExportFiltersInput = z.input<typeof exportFiltersSchema>;

/** An export's filters as the shared pair filter. */
export function toPairFilter(filters: ExportFilters): PairFilter {
  const {
    status,
    method,
    "exclude-generator": excluded,
    "per-seed": _perSeed,
    dedup: _dedup,
    "allow-contaminated": allowContaminated,
    ...rest
  } = filters;
  const generator = excluded?.length
    ? (rest.generator ?? RESPONSE_GENERATORS).filter((g) => !excluded.includes(g))
    : rest.generator;
  return {
    ...rest,
    // Every generator excluded selects nothing (an empty IN list would select everything).
    generator: generator?.length === 0 ? undefined : generator,
    ids: generator?.length === 0 ? [0] : undefined,
    status: status === "all" ? [...EXPORTABLE_STATUSES] : [status],
    method: method ? [method] : undefined,
    contamination: allowContaminated ? undefined : "not-contaminated",
  };
}

/** How many pairs an export with these filters would hold (shown before exporting). */
export async function countPairs(db: Db, datasetId: number, filters: ExportFilters): Promise<number> {
  return countMatchingPairs(db, datasetId, toPairFilter(filters));
}

export type ExportResponse = {
  id: number;
  text: string;
  role: string;
  provider: string;
  model: string;
  jobId: number | null;
};

/** A pair as exports see it: its current responses (human edits win) and the prompt to train on. */
export type ExportPair = {
  id: number;
  nodeId: number;
  seedId: number;
  method: string;
  status: string;
  depth: number;
  reviewCount: number;
  hardNegative: boolean | null;
  constraintIds: string[];
  /** Ids (or "free") of the constraints new at the pair's node. */
  newConstraintIds: string[];
  /** Texts of the node's free-form constraints. */
  freeFormConstraints: string[];
  jobId: number | null;
  /** The verdict record (lib/review/verdict-record.ts), null until computed. */
  verdicts: unknown;
  /** THE pair prompt (lib/review pairPrompt): the reviewer's edit, else the node's instruction. */
  prompt: string;
  promptEdited: boolean;
  edited: boolean;
  swapped: boolean;
  override: boolean;
  lengthRatio: number | null;
  chosen: ExportResponse;
  rejected: ExportResponse;
};

const responseSelect = { id: true, text: true, role: true, provider: true, model: true, jobId: true } as const;

/** The Pair columns every export format carries (the chains add the response ids and the verdict record). */
export const exportedPairColumns = {
  id: true,
  nodeId: true,
  method: true,
  status: true,
  depth: true,
  reviewCount: true,
  hardNegative: true,
  constraintIds: true,
  metadata: true,
  edited: true,
  swapped: true,
  override: true,
  lengthRatio: true,
  newConstraintIds: true,
  jobId: true,
} as const;

function freeFormTexts(constraints: unknown): string[] {
  if (!Array.isArray(constraints)) return [];
  return constraints.flatMap((c: { kind?: unknown; text?: unknown }) =>
    c && c.kind === "free" && typeof c.text === "string" ? [c.text] : [],
  );
}

/** Pairs whose seed is held out (lib/datasets/heldout.ts): counted, never exported. */
export type HeldOutTally = { pairs: number };

/**
 * The selected pairs in id order, a batch at a time, by keyset pagination (id > last, take N):
 * every batch costs the same however deep into the table it is, and memory holds one batch.
 * Pairs of held-out seeds are always left out (and counted in `heldOut`).
 */
export async function* iteratePairs(
  db: Db,
  datasetId: number,
  filters: ExportFilters,
  batchSize = 400,
  heldoutShare = 0,
  heldOut: HeldOutTally = { pairs: 0 },
  dedup: DedupMode | undefined = filters.dedup,
  /** Pairs read so far, duplicates and held-out pairs included (a background export's progress). */
  progress: { read: number } = { read: 0 },
): AsyncGenerator<ExportPair[]> {
  const perSeed = new Map<number, number>();
  // sha256 digests (base64) of what was kept, so memory per pair stays small at millions of pairs.
  const seen = new Set<string>();
  const keep = (pair: ExportPair): boolean => {
    const limit = filters["per-seed"];
    if (limit !== undefined) {
      const n = perSeed.get(pair.seedId) ?? 0;
      if (n >= limit) return false;
      perSeed.set(pair.seedId, n + 1);
    }
    if (dedup) {
      const key = createHash("sha256")
        .update(JSON.stringify(dedup === "prompt" ? [pair.prompt] : [pair.prompt, pair.chosen.text]))
        .digest("base64");
      if (seen.has(key)) return false;
      seen.add(key);
    }
    return true;
  };
  const filter = toPairFilter(filters);
  let last = 0;
  for (;;) {
    const ids = (await matchingPairBatch(db, datasetId, filter, last, batchSize)).map((p) => p.id);
    if (ids.length === 0) return;
    last = ids[ids.length - 1]!;
    const rows = await inSlices(ids, (slice) =>
      db.pair.findMany({
        where: { id: { in: slice } },
        orderBy: { id: "asc" },
        select: {
          ...exportedPairColumns,
          verdicts: true,
          node: {
            select: { instruction: true, seedId: true, constraints: true, seed: { select: { contentHash: true } } },
          },
          chosen: { select: responseSelect },
          rejected: { select: responseSelect },
        },
      }),
    );
    rows.sort((x, y) => x.id - y.id);
    progress.read += rows.length;
    const kept = rows.filter((row) => !isHeldOut(row.node.seed.contentHash, heldoutShare));
    heldOut.pairs += rows.length - kept.length;
    const pairs = kept.map((row): ExportPair => {
      const prompt = pairPrompt(row.metadata, row.node.instruction);
      return {
        id: row.id,
        nodeId: row.nodeId,
        seedId: row.node.seedId,
        method: row.method,
        status: row.status,
        depth: row.depth,
        reviewCount: row.reviewCount,
        hardNegative: row.hardNegative,
        constraintIds: row.constraintIds.split(/\s+/).filter(Boolean),
        newConstraintIds: row.newConstraintIds.split(/\s+/).filter(Boolean),
        freeFormConstraints: freeFormTexts(row.node.constraints),
        jobId: row.jobId,
        verdicts: row.verdicts,
        prompt,
        promptEdited: prompt !== row.node.instruction,
        edited: row.edited,
        swapped: row.swapped,
        override: row.override,
        lengthRatio: row.lengthRatio,
        chosen: row.chosen,
        rejected: row.rejected,
      };
    });
    yield pairs.filter(keep);
    if (ids.length < batchSize) return;
  }
}
