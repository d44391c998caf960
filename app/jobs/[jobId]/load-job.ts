import { notFound } from "next/navigation";
import { cache } from "react";
import { canAccessJob } from "@/lib/auth/dataset-access";
import { type CurrentUser, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { idOrNotFound } from "@/lib/http/route-ids";

/**
 * How the job page and its layout start: signed in with `datasets:read` (else the sign-in page,
 * back here afterwards), and allowed to see the job's dataset, else a 404. The access check runs
 * once per request (React's per-render cache; `user` is the request's own, so nothing is shared
 * between requests or users), though both the layout and the page ask for it.
 */
export async function loadJobPage(jobId: string) {
  const user = await requireUser("datasets:read", `/jobs/${jobId}`);
  const id = idOrNotFound(jobId);
  if (!(await mayViewJob(user, id))) notFound();
  return { user, id, db: getDb() };
}

const mayViewJob = cache((user: CurrentUser, jobId: number) => canAccessJob(getDb(), user, jobId));
