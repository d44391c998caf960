import type { ReactNode } from "react";
import { requireUser } from "@/lib/auth/session";

/**
 * Authorizes before loading.tsx streams (see app/datasets/[id]/load-dataset.ts); the page checks again.
 * The skeleton covers only the list (this route group): a missing run under evals/[id] must still answer 404.
 */
export default async function EvalsListLayout({ children }: { children: ReactNode }) {
  await requireUser("jobs:run", "/evals");
  return children;
}
