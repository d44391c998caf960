import { NextResponse } from "next/server";
import { canAccessJob } from "@/lib/auth/dataset-access";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { getJob } from "@/lib/jobs";
import { parseId } from "@/lib/http/ids";

/** A job's progress as JSON (counters, tokens, cost, elapsed, ETA), for scripts and dashboards. */
export async function GET(_request: Request, { params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  const user = await requireUser("datasets:read", `/jobs/${jobId}`);
  const id = parseId(jobId);
  if (id === null || !(await canAccessJob(getDb(), user, id)))
    return NextResponse.json({ error: "not found" }, { status: 404 });
  try {
    return NextResponse.json(await getJob(getDb(), id), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found")
      return NextResponse.json({ error: error.message }, { status: 404 });
    throw error;
  }
}
