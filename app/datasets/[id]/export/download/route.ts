import { randomUUID } from "node:crypto";
import { canAccessDataset } from "@/lib/auth/dataset-access";
import { isCrossSiteRequest } from "@/lib/auth/same-origin";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import {
  bundleZipResponse,
  exportFiltersSchema,
  getExportBundle,
  parseExportFilters,
  parseExportFormat,
  startExport,
} from "@/lib/io";
import { parseId } from "@/lib/http/ids";

export const dynamic = "force-dynamic";

function text(message: string, status: number) {
  return new Response(message + "\n", {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/**
 * A new export: the export page's form POSTs format and filters here; the bundle (data file,
 * metadata.jsonl, README.md, manifest.json) is written under ECD_EXPORT_DIR and recorded, then
 * answered as one .zip (streamed from the stored files). It can be downloaded again from the list
 * of past exports. An export of more pairs than ECD_EXPORT_BACKGROUND_OVER is queued as a
 * background job instead, and the browser goes back to the export page, which shows its progress.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser("exports:create", `/datasets/${id}/export`);
  if (isCrossSiteRequest(request)) return text("Refused: the request did not come from this site", 403);
  const datasetId = parseId(id);
  const db = getDb();
  if (datasetId === null || !(await canAccessDataset(db, user, datasetId))) return text("No such dataset", 404);

  try {
    const form = await request.formData();
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" ? value : undefined;
    };
    const format = parseExportFormat(field("format"));
    // Every key of the one filter definition, as the export form names them.
    const filters = parseExportFilters(
      Object.fromEntries(Object.keys(exportFiltersSchema.shape).map((key) => [key, field(key)])),
    );
    const started = await startExport(db, { datasetId, format, filters, actorId: user.id });
    if (started.kind === "background")
      return new Response(null, {
        status: 303,
        headers: { location: `/datasets/${datasetId}/export?job=${started.jobId}`, "cache-control": "no-store" },
      });
    const bundle = await getExportBundle(db, datasetId, started.exportId);
    return bundleZipResponse(bundle);
  } catch (error) {
    if (error instanceof DomainError) return text(error.message, error.code === "not_found" ? 404 : 400);
    const ref = randomUUID().slice(0, 8);
    console.error(`[export error ${ref}]`, error);
    return text(`Something went wrong (reference ${ref}). Nothing was exported.`, 500);
  }
}
