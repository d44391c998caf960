import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseDatabaseUrl } from "../db/datasource-url.mjs";

/**
 * The key that signs session tokens: NEXTAUTH_SECRET when set; otherwise one generated on first
 * start and kept in the data folder (mode 600), so sessions survive restarts with no setup. On
 * PostgreSQL several instances must sign with one key, so there it is required.
 */
export function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  if (parseDatabaseUrl(process.env.DATABASE_URL).kind === "postgres") {
    throw new Error("NEXTAUTH_SECRET is required on PostgreSQL: every app instance must sign sessions with one key");
  }
  const file = path.resolve(process.env.ECD_DATA_DIR ?? "data", "auth-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return readFileSync(file, "utf8").trim(); // another process wrote it first
    }
  }
}
