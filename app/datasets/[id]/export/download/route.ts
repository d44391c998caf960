import { randomUUID } from "node:crypto";
import { canAccessDataset } from "@/lib/auth/dataset-access";
import { isCrossSiteRequest } from "@/lib/auth/same-origin";
import { requireUser } from "@/lib/auth/session";
import { getDataset } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { exportFileName, exportFiltersSchema, parseExportFilters, parseExportFormat, streamExport } from "@/lib/io";
import { parseId } from "@/lib/http/ids";

export const dynamic = "force-dynamic";

function text(message: string, status: number) {
  return new Response(message + "\n", {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/**
 * The export download: the export page's form POSTs format and filters here and the browser
 * saves the answer. The body is streamed as it is produced (keyset-paginated pairs, 64 KB
 * chunks), so memory stays flat for any size; the Export row and its manifest are written
 * when the last byte has been produced. A cancelled download records nothing.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser("exports:create", `/datasets/${id}/export`);
  if (isCrossSiteRequest(request)) return text("Refused: the request did not come from this site", 403);
  const datasetId = parseId(id);
  const db = getDb();
  if (datasetId === null || !(await canAccessDataset(db, user, datasetId))) return text("No such dataset", 404);

  let stream: AsyncGenerator<Uint8Array, unknown>;
  let first: IteratorResult<Uint8Array, unknown>;
  let fileName: string;
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
    const dataset = await getDataset(db, datasetId);
    fileName = exportFileName(dataset.name, format);
    stream = streamExport(db, { datasetId, format, filters, actorId: user.id, fileName });
    // The first chunk is read before answering, so bad input is a clear 4xx rather than a broken download.
    first = await stream.next();
  } catch (error) {
    if (error instanceof DomainError) return text(error.message, error.code === "not_found" ? 404 : 400);
    const ref = randomUUID().slice(0, 8);
    console.error(`[export error ${ref}]`, error);
    return text(`Something went wrong (reference ${ref}). Nothing was exported.`, 500);
  }

  let pending: IteratorResult<Uint8Array, unknown> | null = first;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pending ?? (await stream.next());
        pending = null;
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        console.error("[export stream error]", error);
        controller.error(error);
      }
    },
    async cancel() {
      await stream.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/jsonl; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
