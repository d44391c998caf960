-- Full-text search without a pending list: with GIN's default fastupdate, new rows wait in an
-- unsorted list (up to gin_pending_list_limit, 4 MB) that every search reads in full, about 60 ms
-- per index measured at 200k responses (bench/review.ts, BENCH_DB=postgres). Rows now go straight
-- into the index (a little more work per insert), and entries already waiting are merged now.
ALTER INDEX "SeedSearch" SET (fastupdate = off);
ALTER INDEX "NodeSearch" SET (fastupdate = off);
ALTER INDEX "ResponseSearch" SET (fastupdate = off);
SELECT gin_clean_pending_list('"SeedSearch"'::regclass);
SELECT gin_clean_pending_list('"NodeSearch"'::regclass);
SELECT gin_clean_pending_list('"ResponseSearch"'::regclass);

-- Statistics on the expression the pairs table's constraint-id filter tests (lib/db/review-sql.ts).
-- Without them the planner guessed a handful of matching pairs, sorted them all and took about 300 ms
-- at 200k pairs, instead of walking the id order for 50 rows (0.5 ms).
CREATE STATISTICS "Pair_constraintIds_words" ON ((' ' || "constraintIds" || ' ')) FROM "Pair";
ANALYZE "Pair";
