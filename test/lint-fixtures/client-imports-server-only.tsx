// lint as: components/jobs/client-imports-server-only.tsx
"use client";
// A client component importing modules that must never reach the browser.
import { getDb } from "@/lib/db/client";
import { requireUser } from "@/lib/auth/session";
import { listProviders } from "@/lib/llm/providers";
import { readFileSync } from "node:fs";

export function Leaky() {
  void getDb;
  void requireUser;
  void readFileSync;
  return <p>{listProviders().length}</p>;
}
