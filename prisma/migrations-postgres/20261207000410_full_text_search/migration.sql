-- CreateIndex
CREATE INDEX "Pair_chosenId_idx" ON "Pair"("chosenId");

-- CreateIndex
CREATE INDEX "Pair_rejectedId_idx" ON "Pair"("rejectedId");

-- Full-text search over "Seed"."instruction": a GIN index on its tsvector (the 'simple' configuration: lowercased
-- words, no stemming, punctuation made a separator first: words as FTS5 on SQLite cuts them), kept current by PostgreSQL on every write and built from the
-- existing rows here (lib/db/search-sql.ts)
CREATE INDEX "SeedSearch" ON "Seed" USING GIN (to_tsvector('simple', regexp_replace("instruction", '[[:punct:]]', ' ', 'g')));

-- Full-text search over "Node"."instruction": a GIN index on its tsvector (the 'simple' configuration: lowercased
-- words, no stemming, punctuation made a separator first: words as FTS5 on SQLite cuts them), kept current by PostgreSQL on every write and built from the
-- existing rows here (lib/db/search-sql.ts)
CREATE INDEX "NodeSearch" ON "Node" USING GIN (to_tsvector('simple', regexp_replace("instruction", '[[:punct:]]', ' ', 'g')));

-- Full-text search over "Response"."text": a GIN index on its tsvector (the 'simple' configuration: lowercased
-- words, no stemming, punctuation made a separator first: words as FTS5 on SQLite cuts them), kept current by PostgreSQL on every write and built from the
-- existing rows here (lib/db/search-sql.ts)
CREATE INDEX "ResponseSearch" ON "Response" USING GIN (to_tsvector('simple', regexp_replace("text", '[[:punct:]]', ' ', 'g')));
