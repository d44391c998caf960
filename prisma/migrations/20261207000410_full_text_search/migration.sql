-- CreateIndex
CREATE INDEX "Pair_chosenId_idx" ON "Pair"("chosenId");

-- CreateIndex
CREATE INDEX "Pair_rejectedId_idx" ON "Pair"("rejectedId");

-- Full-text search over "Seed"."instruction": an FTS5 index with "Seed" as its content (no copy of the text),
-- kept current by triggers on every write, filled from the existing rows by 'rebuild' (lib/db/search-sql.ts)
CREATE VIRTUAL TABLE "SeedSearch" USING fts5("instruction", content='Seed', content_rowid='id', tokenize='unicode61 remove_diacritics 0');

CREATE TRIGGER "SeedSearch_insert" AFTER INSERT ON "Seed" BEGIN
  INSERT INTO "SeedSearch" (rowid, "instruction") VALUES (new."id", new."instruction");
END;

CREATE TRIGGER "SeedSearch_delete" AFTER DELETE ON "Seed" BEGIN
  INSERT INTO "SeedSearch" ("SeedSearch", rowid, "instruction") VALUES ('delete', old."id", old."instruction");
END;

CREATE TRIGGER "SeedSearch_update" AFTER UPDATE OF "instruction" ON "Seed" BEGIN
  INSERT INTO "SeedSearch" ("SeedSearch", rowid, "instruction") VALUES ('delete', old."id", old."instruction");
  INSERT INTO "SeedSearch" (rowid, "instruction") VALUES (new."id", new."instruction");
END;

INSERT INTO "SeedSearch" ("SeedSearch") VALUES ('rebuild');

-- Full-text search over "Node"."instruction": an FTS5 index with "Node" as its content (no copy of the text),
-- kept current by triggers on every write, filled from the existing rows by 'rebuild' (lib/db/search-sql.ts)
CREATE VIRTUAL TABLE "NodeSearch" USING fts5("instruction", content='Node', content_rowid='id', tokenize='unicode61 remove_diacritics 0');

CREATE TRIGGER "NodeSearch_insert" AFTER INSERT ON "Node" BEGIN
  INSERT INTO "NodeSearch" (rowid, "instruction") VALUES (new."id", new."instruction");
END;

CREATE TRIGGER "NodeSearch_delete" AFTER DELETE ON "Node" BEGIN
  INSERT INTO "NodeSearch" ("NodeSearch", rowid, "instruction") VALUES ('delete', old."id", old."instruction");
END;

CREATE TRIGGER "NodeSearch_update" AFTER UPDATE OF "instruction" ON "Node" BEGIN
  INSERT INTO "NodeSearch" ("NodeSearch", rowid, "instruction") VALUES ('delete', old."id", old."instruction");
  INSERT INTO "NodeSearch" (rowid, "instruction") VALUES (new."id", new."instruction");
END;

INSERT INTO "NodeSearch" ("NodeSearch") VALUES ('rebuild');

-- Full-text search over "Response"."text": an FTS5 index with "Response" as its content (no copy of the text),
-- kept current by triggers on every write, filled from the existing rows by 'rebuild' (lib/db/search-sql.ts)
CREATE VIRTUAL TABLE "ResponseSearch" USING fts5("text", content='Response', content_rowid='id', tokenize='unicode61 remove_diacritics 0');

CREATE TRIGGER "ResponseSearch_insert" AFTER INSERT ON "Response" BEGIN
  INSERT INTO "ResponseSearch" (rowid, "text") VALUES (new."id", new."text");
END;

CREATE TRIGGER "ResponseSearch_delete" AFTER DELETE ON "Response" BEGIN
  INSERT INTO "ResponseSearch" ("ResponseSearch", rowid, "text") VALUES ('delete', old."id", old."text");
END;

CREATE TRIGGER "ResponseSearch_update" AFTER UPDATE OF "text" ON "Response" BEGIN
  INSERT INTO "ResponseSearch" ("ResponseSearch", rowid, "text") VALUES ('delete', old."id", old."text");
  INSERT INTO "ResponseSearch" (rowid, "text") VALUES (new."id", new."text");
END;

INSERT INTO "ResponseSearch" ("ResponseSearch") VALUES ('rebuild');
