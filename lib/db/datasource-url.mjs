// Parses DATABASE_URL into the one of the two supported databases. Plain JavaScript because the
// schema-engine stand-in (run directly by the Prisma CLI) shares it with lib/db/client.ts.
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/ecd.db";

/**
 * @param {string | undefined} url
 * @returns {{ kind: "sqlite", url: string, file: string } | { kind: "postgres", url: string }}
 */
export function parseDatabaseUrl(url = DEFAULT_DATABASE_URL) {
  if (url.startsWith("file:")) {
    const raw = url.slice("file:".length).split("?")[0];
    if (!raw) throw new Error("DATABASE_URL: a SQLite URL needs a file path, e.g. file:./data/ecd.db");
    const file = raw === ":memory:" ? raw : path.resolve(raw);
    return { kind: "sqlite", url: `file:${file}`, file };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: "postgres", url };
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
}
