import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { canAccessJob } from "@/lib/auth/dataset-access";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { idOrNotFound } from "@/lib/http/route-ids";

/**
 * Authorizes before loading.tsx streams (see app/datasets/[id]/load-dataset.ts), with the job's
 * dataset, so a refusal keeps its status; the page checks again.
 */
export default async function JobLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ jobId: string }>;
}) {
  const { jobId } = await params;
  const user = await requireUser("datasets:read", `/jobs/${jobId}`);
  if (!(await canAccessJob(getDb(), user, idOrNotFound(jobId)))) notFound();
  return children;
}
