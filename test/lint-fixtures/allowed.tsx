// lint as: components/jobs/allowed.tsx
"use client";
// What the boundaries allow: a client component importing a server action, pure lib modules and
// types only from server modules.
import { cancelJobAction } from "@/app/jobs/[jobId]/actions";
import type { JobSummary } from "@/lib/jobs";
import { PIPELINE_ROLES } from "@/lib/jobs/schemas";

export function Allowed({ job }: { job: JobSummary }) {
  return (
    <form action={cancelJobAction}>
      {job.id} {PIPELINE_ROLES.ecd.join(", ")}
    </form>
  );
}
