import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { NextResponse } from "next/server";
import { isCrossSiteRequest } from "@/lib/auth/same-origin";
import { canAccessDataset } from "@/lib/auth/dataset-access";
import { requireUser } from "@/lib/auth/session";
import { getDataset } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";
import { describeZodIssues, DomainError } from "@/lib/errors";
import { formatBytes, importSeeds, UPLOAD_LIMITS, uploadMapping, uploadOptionsSchema, webStreamSource } from "@/lib/io";
import { parseId } from "@/lib/http/ids";

export const dynamic = "force-dynamic";

function fail(error: string, status: number) {
  return NextResponse.json({ ok: false, error }, { status, headers: { "cache-control": "no-store" } });
}

/**
 * The upload page's import: the file is the request body, streamed straight into lib/io (so a
 * large file never sits in memory), options in the query string. Answers with the import report
 * as JSON, or { ok: false, error } naming the line.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser("datasets:manage", `/datasets/${id}/import`);
  if (isCrossSiteRequest(request)) return fail("Refused: the upload did not come from this site", 403);
  const datasetId = parseId(id);
  if (datasetId === null || !(await canAccessDataset(getDb(), user, datasetId))) return fail("No such dataset", 404);

  const parsed = uploadOptionsSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return fail(describeZodIssues(parsed.error.issues), 400);
  const length = Number(request.headers.get("content-length") ?? NaN);
  if (length > UPLOAD_LIMITS.maxBytes) {
    return fail(
      `The file is ${formatBytes(length)}, larger than the ${formatBytes(UPLOAD_LIMITS.maxBytes)} upload limit (use npm run ecd -- import for bigger files)`,
      413,
    );
  }
  if (!request.body) return fail("No file was sent", 400);

  const db = getDb();
  try {
    await getDataset(db, datasetId);
    const report = await importSeeds(db, datasetId, webStreamSource(request.body), {
      fileName: parsed.data.fileName,
      format: parsed.data.format,
      shape: parsed.data.shape,
      mapping: uploadMapping(parsed.data),
      onError: parsed.data.onError,
      limits: UPLOAD_LIMITS,
      actorId: user.id,
      reportLimit: 1000,
    });
    revalidatePath(`/datasets/${datasetId}`);
    return NextResponse.json({ ok: true, report }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof DomainError) return fail(error.message, error.code === "not_found" ? 404 : 400);
    const ref = randomUUID().slice(0, 8);
    console.error(`[import error ${ref}]`, error);
    return fail(`Something went wrong (reference ${ref}). Nothing was imported.`, 500);
  }
}
