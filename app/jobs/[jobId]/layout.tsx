import type { ReactNode } from "react";
import { loadJobPage } from "./load-job";

/**
 * Authorizes before loading.tsx streams (see app/datasets/[id]/load-dataset.ts), with the job's
 * dataset, so a refusal keeps its status; the page asks again (answered from the request's cache).
 */
export default async function JobLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ jobId: string }>;
}) {
  const { jobId } = await params;
  await loadJobPage(jobId);
  return children;
}
