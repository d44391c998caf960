import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { passwordSchema } from "./schemas.ts";

/**
 * New passwords follow NIST SP 800-63B: at least 12 characters (passwordSchema), no composition
 * rules, and not a commonly used or trivially guessable value. Server-only (reads the list from
 * disk); the browser checks only the length.
 */

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  if (!common) {
    // The app and the CLI run from the project folder; the bundled server has no source folder of its own.
    const file = path.resolve("lib/auth/data/common-passwords.txt");
    const text = readFileSync(file, "utf8");
    common = new Set(text.split("\n").filter(Boolean));
  }
  return common;
}

/** Why a new password is refused, or null when it may be used. */
export function weakPasswordReason(password: string): string | null {
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return "Password is on the list of commonly used passwords: choose another";
  // One short unit repeated ("aaaaaaaaaaaa", "abcabcabcabc", "121212121212").
  if (/^(.{1,4})\1+$/s.test(lower)) return "Password is one short pattern repeated: choose another";
  if (/^(?:0123456789|1234567890|abcdefghijklmnopqrstuvwxyz|qwertyuiop)/.test(lower) && new Set(lower).size <= 13)
    return "Password is a simple sequence: choose another";
  return null;
}

export const newPasswordSchema = passwordSchema.superRefine((password, ctx) => {
  const reason = weakPasswordReason(password);
  if (reason) ctx.addIssue({ code: "custom", message: reason });
});

export type NewPassword = z.output<typeof newPasswordSchema>;
