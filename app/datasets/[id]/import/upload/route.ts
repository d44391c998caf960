import { revalidatePath } from "next/cache";
import { canAccessDataset } from "@/lib/auth/dataset-access";
import { requireUser } from "@/lib/auth/session";
import { getDataset } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";
import { describeZodIssues } from "@/lib/errors";
import { importSeeds, UPLOAD_LIMITS, uploadMapping, uploadOptionsSchema, webStreamSource } from "@/lib/io";
import { parseId } from "@/lib/http/ids";
import { crossSiteRefusal, jsonAnswer, jsonFailure, jsonFailureOf, uploadedBody } from "@/lib/http/upload-route";

export const dynamic = "force-dynamic";

/**
 * The upload page's import: the file is the request body, streamed straight into lib/io (so a
 * large file never sits in memory), options in the query string. Answers with the import report
 * as JSON, or { ok: false, error } naming the line.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser("datasets:manage", `/datasets/${id}/import`);
  const refusal = crossSiteRefusal(request);
  if (refusal) return refusal;
  const datasetId = parseId(id);
  if (datasetId === null || !(await canAccessDataset(getDb(), user, datasetId)))
    return jsonFailure("No such dataset", 404);

  const parsed = uploadOptionsSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return jsonFailure(describeZodIssues(parsed.error.issues), 400);
  const body = uploadedBody(request, UPLOAD_LIMITS.maxBytes, "use npm run ecd -- import for bigger files");
  if (body instanceof Response) return body;

  const db = getDb();
  try {
    await getDataset(db, datasetId);
    const report = await importSeeds(db, datasetId, webStreamSource(body), {
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
    return jsonAnswer({ ok: true, report });
  } catch (error) {
    return jsonFailureOf(error, "import", "Nothing was imported.");
  }
}
