import type { ReactNode } from "react";
import { requireUser } from "@/lib/auth/session";

/** Authorizes before evals/loading.tsx streams (see app/datasets/[id]/load-dataset.ts); each page checks again. */
export default async function EvalsLayout({ children }: { children: ReactNode }) {
  await requireUser("jobs:run", "/evals");
  return children;
}
