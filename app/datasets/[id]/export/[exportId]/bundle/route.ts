import { canAccessDataset } from "@/lib/auth/dataset-access";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { bundleZipResponse, getExportBundle } from "@/lib/io";
import { parseId } from "@/lib/http/ids";

export const dynamic = "force-dynamic";

/** A past export's stored bundle (data file, metadata.jsonl, README.md, manifest.json) as one .zip. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; exportId: string }> }) {
  const { id, exportId } = await params;
  const user = await requireUser("exports:create", `/datasets/${id}/export`);
  const datasetId = parseId(id);
  const exportNumber = parseId(exportId);
  if (datasetId === null || exportNumber === null) return new Response("Not found\n", { status: 404 });
  const db = getDb();
  // A dataset the user may not see (or one being deleted) answers like a missing one.
  if (!(await canAccessDataset(db, user, datasetId))) return new Response("Not found\n", { status: 404 });
  try {
    const bundle = await getExportBundle(db, datasetId, exportNumber);
    if (bundle.files.length === 0)
      return new Response("This export was made before bundles were stored; only its manifest is kept.\n", {
        status: 404,
      });
    return bundleZipResponse(bundle);
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found")
      return new Response(`${error.message}\n`, { status: 404 });
    throw error;
  }
}
