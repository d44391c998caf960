import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { PAIR_METHODS } from "../../domain.ts";
import { pairPrompt } from "../../review/decide.ts";
import { pairFilterSchema, type PairFilter, RESPONSE_GENERATORS } from "../../review/pair-query.ts";
import { countPairs as countMatchingPairs, filterConditions } from "../../review/query.ts";
import { jsonColumn } from "../../review/verdict-record.ts";
import { type ExportReviewSqlRow, openExportReader, readPages } from "../../db/export-sql.ts";
import { isHeldOut } from "../../datasets/heldout.ts";

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

// The shortcuts for "", "[]" and "{}" (most rows' values) skip a regex split or a JSON.parse per row.
// They stay here, not in jsonColumn: there (returning a new {} or []) the export at 100k pairs ran
// at 40,000 pairs/s against 45,000-50,000 without, interleaved runs of bench/io.ts (2026-12-07).
const words = (text: string) => (text === "" ? [] : text.split(/\s+/).filter(Boolean));
/** A boolean column as read: raw SQL on SQLite gives 0/1. */
const bool = (value: boolean | number) => value === true || value === 1;
const optionalId = (value: number | bigint | null) => (value === null ? null : Number(value));

/** Pairs whose seed is held out (lib/datasets/heldout.ts): counted, never exported. */
export type HeldOutTally = { pairs: number };

export type IteratePairsOptions = {
  datasetId: number;
  filters: ExportFilters;
  /** Pairs read per statement. */
  batchSize?: number;
  /** The dataset's held-out share (lib/datasets/heldout.ts). */
  heldoutShare?: number;
  /** Counts the pairs of held-out seeds left out. */
  heldOut?: HeldOutTally;
  /** Default: the filters' own. */
  dedup?: DedupMode;
  /** Pairs read so far, duplicates and held-out pairs included (a background export's progress). */
  progress?: { read: number };
  /** Also read each page's reviews (in `reviews`, by pair then review id; some may be of pairs left out). */
  reviews?: boolean;
};

/** A page of selected pairs, and with `reviews` set the reviews of the page's pair-id range. */
export type ExportPairPage = { pairs: ExportPair[]; reviews: ExportReviewSqlRow[] };

/**
 * The selected pairs in id order, a batch at a time, by keyset pagination (id > last, take N):
 * every batch costs the same however deep into the table it is, and memory holds about one batch
 * (one read-only connection's statement per page, lib/db/export-sql.ts).
 * Pairs of held-out seeds are always left out (and counted in `heldOut`).
 */
export async function* iteratePairs(db: Db, options: IteratePairsOptions): AsyncGenerator<ExportPairPage> {
  const { datasetId, filters, batchSize = 1000, heldoutShare = 0 } = options;
  const heldOut = options.heldOut ?? { pairs: 0 };
  const progress = options.progress ?? { read: 0 };
  const dedup = options.dedup ?? filters.dedup;
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
  const conditions = filterConditions(datasetId, toPairFilter(filters));
  const reader = await openExportReader(db);
  try {
    // One statement per page: the pairs with their node, seed and both responses (lib/db/export-sql.ts).
    const pages = readPages(reader, conditions, batchSize, { reviews: options.reviews, seedHash: heldoutShare > 0 });
    for await (const page of pages) {
      let rows = page.pairs;
      page.pairs = [];
      progress.read += rows.length;
      const pairs: ExportPair[] = [];
      for (const row of rows) {
        if (row.contentHash !== null && isHeldOut(row.contentHash, heldoutShare)) {
          heldOut.pairs++;
          continue;
        }
        const prompt = row.metadata === "{}" ? row.instruction : pairPrompt(row.metadata, row.instruction);
        const pair: ExportPair = {
          id: Number(row.id),
          nodeId: Number(row.nodeId),
          seedId: Number(row.seedId),
          method: row.method,
          status: row.status,
          depth: Number(row.depth),
          reviewCount: Number(row.reviewCount),
          hardNegative: row.hardNegative === null ? null : bool(row.hardNegative),
          constraintIds: words(row.constraintIds),
          newConstraintIds: words(row.newConstraintIds),
          freeFormConstraints: row.constraints === "[]" ? [] : freeFormTexts(jsonColumn(row.constraints)),
          jobId: optionalId(row.jobId),
          verdicts: jsonColumn(row.verdicts),
          prompt,
          promptEdited: prompt !== row.instruction,
          edited: bool(row.edited),
          swapped: bool(row.swapped),
          override: bool(row.override),
          lengthRatio: row.lengthRatio === null ? null : Number(row.lengthRatio),
          chosen: {
            id: Number(row.chosenId),
            text: row.chosenText,
            role: row.chosenRole,
            provider: row.chosenProvider,
            model: row.chosenModel,
            jobId: optionalId(row.chosenJobId),
          },
          rejected: {
            id: Number(row.rejectedId),
            text: row.rejectedText,
            role: row.rejectedRole,
            provider: row.rejectedProvider,
            model: row.rejectedModel,
            jobId: optionalId(row.rejectedJobId),
          },
        };
        if (keep(pair)) pairs.push(pair);
      }
      rows = []; // not kept alive while the page is written
      yield { pairs, reviews: page.reviews };
    }
  } finally {
    reader.close();
  }
}
