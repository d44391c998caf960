/**
 * SQLite's FTS5 tables and their shadow tables (lib/db/search-sql.ts): not Prisma models, so every
 * migration diff treats them as external — ours (schema-diff.ts) and the Prisma CLI's
 * (prisma.config.ts). No imports: prisma.config.ts loads this file.
 */
export const FTS_TABLES = ["SeedSearch", "NodeSearch", "ResponseSearch"].flatMap((name) =>
  ["", "_config", "_data", "_docsize", "_idx"].map((suffix) => `${name}${suffix}`),
);
