/**
 * The pairs table's query (filters, sort, page size, cursors) and its URL form. Pure: the table's
 * client components build links with it; lib/review/query.ts runs it.
 */
import { z } from "zod";
import { PAIR_METHODS, PAIR_STATUSES } from "../domain.ts";

export const CHOSEN_FILTERS = ["pass", "fail"] as const;
export const REJECTED_FILTERS = ["fail", "fail-new"] as const;

/** The filter keys that are flags (present or absent), as written in the URL and on the CLI. */
export const FLAG_FILTERS = ["hard-negative", "unknown", "no-override", "has-comments"] as const;

export const CONTAMINATION_FILTERS = ["contaminated", "not-contaminated"] as const;

export const RESPONSE_GENERATORS = ["llm", "rule-based", "reference", "human"] as const;
export type ResponseGenerator = (typeof RESPONSE_GENERATORS)[number];

export const PAIR_SORTS = ["id", "depth", "status", "method"] as const;
export type PairSort = (typeof PAIR_SORTS)[number];

const csv = <T extends z.ZodType>(item: T, max = 50) =>
  z.preprocess((v) => {
    if (v === undefined || v === null || v === "") return undefined;
    const parts = (Array.isArray(v) ? v : [v])
      .flatMap((x) => String(x).split(","))
      .map((x) => x.trim())
      .filter(Boolean);
    return parts.length ? [...new Set(parts)] : undefined;
  }, z.array(item).max(max).optional());

const optionalId = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  z.coerce.number().int().positive().optional(),
);

const flag = z.preprocess(
  (v) => (v === undefined || v === null || v === "" || v === false || v === "false" || v === "0" ? undefined : true),
  z.literal(true).optional(),
);

/**
 * THE filter definition for selecting pairs: the pairs table (URL), bulk decisions, counts, the
 * export page and `ecd export` all parse it and run it through lib/review/query.ts's
 * filterConditions. The verdict keys read the stored verdict record (lib/review/verdict-record.ts):
 * - `chosen=pass`: every constraint passes for chosen (unknown is not a pass); `chosen=fail`: some fails.
 * - `rejected=fail`: some constraint fails for rejected; `rejected=fail-new`: some NEW constraint fails.
 * - `hard-negative`: rejected passes every old (not new) constraint (not for c2s, where all are new).
 * - `unknown`: some verdict of either response is unknown.
 * - `max-length-ratio=R`: the chosen/rejected word ratio r has 1/R ≤ r ≤ R.
 * - `no-override`: leaves out pairs accepted over a failing code-checked constraint.
 * - `has-comments`: the pair has at least one comment (Pair.commentCount).
 * - `contamination=contaminated|not-contaminated`: the pair's prompt (its node, an ancestor, its seed
 *   or its edited prompt) matches a benchmark set, or not (Pair.contaminated, lib/decontam).
 */
export const pairFilterSchema = z.object({
  status: csv(z.enum(PAIR_STATUSES, { error: `status must be one of ${PAIR_STATUSES.join(", ")}` })),
  method: csv(z.enum(PAIR_METHODS, { error: `method must be one of ${PAIR_METHODS.join(", ")}` })),
  depth: csv(z.coerce.number({ error: "depth must be a number" }).int().min(0).max(1000)),
  maxDepth: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.coerce
      .number({ error: "maxDepth must be a whole number" })
      .int("maxDepth must be a whole number")
      .min(0, "maxDepth must be 0 or more")
      .max(1000)
      .optional(),
  ),
  minReviews: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.coerce
      .number({ error: "minReviews must be a whole number" })
      .int("minReviews must be a whole number")
      .min(0, "minReviews must be 0 or more")
      .max(1000, "minReviews must be at most 1000")
      .optional(),
  ),
  /** Constraint ids the node must carry (all of them). */
  cid: csv(z.string().regex(/^[a-z_]+:[a-z_]+$/, "constraint ids look like group:name")),
  chosen: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(CHOSEN_FILTERS, { error: "chosen must be pass or fail" }).optional(),
  ),
  rejected: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(REJECTED_FILTERS, { error: "rejected must be fail or fail-new" }).optional(),
  ),
  "hard-negative": flag,
  unknown: flag,
  "max-length-ratio": z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.coerce
      .number({ error: "max-length-ratio must be a number" })
      .min(1, "max-length-ratio must be 1 or more")
      .max(1000)
      .optional(),
  ),
  "no-override": flag,
  "has-comments": flag,
  contamination: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.enum(CONTAMINATION_FILTERS, { error: "contamination must be contaminated or not-contaminated" }).optional(),
  ),
  reviewer: optionalId,
  job: optionalId,
  /** Pairs made by any of these jobs. */
  jobs: csv(z.coerce.number({ error: "jobs must be job ids" }).int().positive(), 200),
  /** What wrote the current chosen response: llm, rule-based, reference (the seed's answer) or human (an edit). */
  generator: csv(z.enum(RESPONSE_GENERATORS, { error: `generator must be one of ${RESPONSE_GENERATORS.join(", ")}` })),
  /** The chosen response's provider (e.g. openai, rule-based) and model. */
  provider: csv(z.string().min(1).max(100)),
  model: csv(z.string().min(1).max(200)),
  /**
   * Text search (lib/db/search-sql.ts): every word must occur in the prompt or in one response, as a
   * word or the start of one, in any case; punctuation and operators are ignored. `#123` is pair 123.
   */
  q: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() || undefined : v),
    z.string().max(200, "search text must be at most 200 characters").optional(),
  ),
  /** An explicit selection (rows ticked on a page). */
  ids: csv(z.coerce.number().int().positive(), 500),
});
export type PairFilter = z.output<typeof pairFilterSchema>;

export const pairQuerySchema = pairFilterSchema.extend({
  sort: z.preprocess((v) => (v === "" ? undefined : v), z.enum(PAIR_SORTS).default("id")),
  dir: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["asc", "desc"]).default("desc")),
  after: z.string().max(500).optional(),
  before: z.string().max(500).optional(),
  size: z.coerce.number().int().min(10).max(200).default(50),
});
export type PairQuery = z.output<typeof pairQuerySchema>;

/** URL search params → query; bad values are reported (by field) and dropped. */
export function parsePairQuery(params: Record<string, string | string[] | undefined>): {
  query: PairQuery;
  errors: string[];
} {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) raw[key] = Array.isArray(value) && key !== "ids" ? value.join(",") : value;
  const parsed = pairQuerySchema.safeParse(raw);
  if (parsed.success) return { query: parsed.data, errors: [] };
  const errors: string[] = [];
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "");
    errors.push(`${key}: ${issue.message}`);
    delete raw[key];
  }
  const retry = pairQuerySchema.safeParse(raw);
  return { query: retry.success ? retry.data : pairQuerySchema.parse({}), errors };
}

/** Query → URL search params (defaults left out), for links and the browser's address bar. */
export function pairQueryToParams(query: Partial<PairQuery>): URLSearchParams {
  const out = new URLSearchParams();
  const list = (key: string, v: readonly unknown[] | undefined) => v?.length && out.set(key, v.join(","));
  list("status", query.status);
  list("method", query.method);
  list("depth", query.depth);
  list("cid", query.cid);
  if (query.maxDepth !== undefined) out.set("maxDepth", String(query.maxDepth));
  if (query.minReviews) out.set("minReviews", String(query.minReviews));
  if (query.chosen) out.set("chosen", query.chosen);
  if (query.rejected) out.set("rejected", query.rejected);
  for (const key of FLAG_FILTERS) if (query[key]) out.set(key, "1");
  if (query.contamination) out.set("contamination", query.contamination);
  if (query["max-length-ratio"] !== undefined) out.set("max-length-ratio", String(query["max-length-ratio"]));
  if (query.reviewer) out.set("reviewer", String(query.reviewer));
  if (query.job) out.set("job", String(query.job));
  list("jobs", query.jobs);
  list("generator", query.generator);
  list("provider", query.provider);
  list("model", query.model);
  if (query.q) out.set("q", query.q);
  if (query.sort && query.sort !== "id") out.set("sort", query.sort);
  if (query.dir && query.dir !== "desc") out.set("dir", query.dir);
  if (query.size && query.size !== 50) out.set("size", String(query.size));
  if (query.after) out.set("after", query.after);
  if (query.before) out.set("before", query.before);
  return out;
}

/** Columns of the pairs table a person can hide (kept in the URL as `hide=`). */
export const HIDEABLE_COLUMNS: { id: string; label: string }[] = [
  { id: "status", label: "Status" },
  { id: "method", label: "Method" },
  { id: "depth", label: "Depth" },
  { id: "prompt", label: "Prompt" },
  { id: "constraints", label: "Constraints" },
  { id: "chosen", label: "Chosen checks" },
  { id: "rejected", label: "Rejected checks" },
  { id: "ratio", label: "Length ratio" },
  { id: "reviews", label: "Reviews" },
  { id: "comments", label: "Comments" },
  { id: "contaminated", label: "Contaminated" },
  { id: "version", label: "Version" },
  { id: "job", label: "Job" },
  { id: "updated", label: "Updated" },
];
