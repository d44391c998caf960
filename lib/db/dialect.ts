import { parseDatabaseUrl } from "./datasource-url.mjs";
import { Prisma } from "./generated/client.ts";

/** The SQL dialect of DATABASE_URL, and the few dialect differences the raw statements in lib/db need. */

export type SqlDialect = "sqlite" | "postgres";

export function sqlDialect(url = process.env.DATABASE_URL): SqlDialect {
  return parseDatabaseUrl(url).kind;
}

/** A JSON value as a statement parameter (PostgreSQL's jsonb wants the cast; SQLite stores text). */
export function jsonParam(value: unknown, dialect: SqlDialect = sqlDialect()): Prisma.Sql {
  const text = JSON.stringify(value ?? null);
  return dialect === "postgres" ? Prisma.sql`CAST(${text} AS jsonb)` : Prisma.sql`${text}`;
}
