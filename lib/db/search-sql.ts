import { type SqlDialect, sqlDialect } from "./dialect.ts";
import { Prisma } from "./generated/client.ts";
import { visibleSeedSql } from "./visibility.ts";

/**
 * Full-text search over seed and node instructions and response texts (migration
 * 20261207000410_full_text_search): on SQLite an FTS5 index per table ("SeedSearch",
 * "NodeSearch", "ResponseSearch", external content: no copy of the text) kept current by
 * triggers; on PostgreSQL a GIN index on the expression `to_tsvector('simple', column with its
 * punctuation made spaces)` of the table itself, which PostgreSQL keeps current.
 *
 * The query language is deliberately small, and the same on both: the words of the query (runs of
 * letters, digits and marks; everything else separates words and is ignored, quotes, `*`, `-`,
 * `OR` and all) must all occur in the one text, each as a word or the start of one, case
 * insensitively. The words are passed as quoted terms, so no input can be an FTS syntax error.
 */

export { FTS_TABLES } from "./fts-tables.ts";

/** At most this many words of a query are used. */
const MAX_TERMS = 16;

/** The words of a search query, lowercased, without repeats (empty: the query has no word). */
export function searchTerms(query: string): string[] {
  const words =
    query
      .normalize("NFC")
      .toLowerCase()
      .match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  // A run of marks alone (a lone virama) is no word: FTS5 finds nothing for it, PostgreSQL cuts it away.
  return [...new Set(words.filter((word) => /[\p{L}\p{N}]/u.test(word)))].slice(0, MAX_TERMS);
}

type Searchable = { table: "Seed" | "Node" | "Response"; column: "instruction" | "text" };
const SEEDS: Searchable = { table: "Seed", column: "instruction" };
const NODES: Searchable = { table: "Node", column: "instruction" };
const RESPONSES: Searchable = { table: "Response", column: "text" };

/** SELECT of the ids of `what`'s rows whose text holds every term (terms: non-empty). */
function matchingIdsSql(what: Searchable, terms: readonly string[], dialect: SqlDialect): Prisma.Sql {
  if (dialect === "postgres") {
    // Each term a quoted lexeme with a prefix match: 'word':* & 'other':*. A term gets the document's
    // treatment first: in a C.UTF-8 database [[:punct:]] also takes some combining marks (the Devanagari
    // virama) for punctuation, so the indexed text has such a word in pieces; the term is cut the same
    // way, its pieces a phrase ('हिन' <-> 'दी':*). Terms hold only letters, digits and marks (searchTerms):
    // nothing to escape.
    // A term with no piece left (marks alone, e.g. a lone virama) is NULL, and array_to_string leaves it out.
    const pieces = terms.map(
      (term) => Prisma.sql`(SELECT string_agg(chr(39) || x.p || chr(39), ' <-> ' ORDER BY x.n) || ':*'
          FROM regexp_split_to_table(btrim(regexp_replace(${term}, '[[:punct:]]', ' ', 'g')), ' +') WITH ORDINALITY AS x(p, n)
          WHERE x.p <> '')`,
    );
    const query = Prisma.sql`array_to_string(ARRAY[${Prisma.join(pieces)}]::text[], ' & ')`;
    // The indexed expression, exactly as the migration wrote it (else the GIN index is not used).
    const document = Prisma.raw(`to_tsvector('simple', regexp_replace(m."${what.column}", '[[:punct:]]', ' ', 'g'))`);
    return Prisma.sql`SELECT m."id" FROM ${Prisma.raw(`"${what.table}"`)} m WHERE ${document} @@ to_tsquery('simple', ${query})`;
  }
  // Each term an FTS5 string with a prefix match: "word"* AND "other"*
  const query = terms.map((term) => `"${term.replaceAll('"', '""')}"*`).join(" AND ");
  const index = Prisma.raw(`"${what.table}Search"`);
  return Prisma.sql`SELECT rowid FROM ${index} WHERE ${index} MATCH ${query}`;
}

/**
 * The condition (on `"Pair" p`) of the pairs table's text filter: the pair's prompt (its node's
 * instruction), its chosen response or its rejected response holds every word of `query`. A
 * query without words matches nothing.
 */
export function pairTextMatchSql(query: string, dialect: SqlDialect = sqlDialect()): Prisma.Sql {
  const terms = searchTerms(query);
  if (!terms.length) return Prisma.sql`1 = 0`;
  const responses = matchingIdsSql(RESPONSES, terms, dialect);
  return Prisma.sql`p."id" IN (
    SELECT x."id" FROM "Pair" x WHERE x."nodeId" IN (${matchingIdsSql(NODES, terms, dialect)})
    UNION SELECT x."id" FROM "Pair" x WHERE x."chosenId" IN (${responses})
    UNION SELECT x."id" FROM "Pair" x WHERE x."rejectedId" IN (${responses}))`;
}

/** Ids of a dataset's visible seeds (visibility.ts) whose instruction holds every word of `query`, after `afterId`, in id order. */
export function seedSearchSql(
  datasetId: number,
  query: string,
  afterId: number,
  limit: number,
  dialect: SqlDialect = sqlDialect(),
): Prisma.Sql {
  const terms = searchTerms(query);
  if (!terms.length) return Prisma.sql`SELECT s."id" FROM "Seed" s WHERE 1 = 0`;
  return Prisma.sql`SELECT s."id" FROM "Seed" s
    WHERE s."datasetId" = ${datasetId} AND s."id" > ${afterId} AND s."id" IN (${matchingIdsSql(SEEDS, terms, dialect)})
      AND ${visibleSeedSql("s")}
    ORDER BY s."id" LIMIT ${limit}`;
}
