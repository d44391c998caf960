import { readFile } from "node:fs/promises";
import { canAccessDataset } from "@/lib/auth/dataset-access";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { datasetCard, getExportBundle } from "@/lib/io";
import { parseId } from "@/lib/http/ids";

export const dynamic = "force-dynamic";

/** The Hugging Face dataset card (README.md) of a past export. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; exportId: string }> }) {
  const { id, exportId } = await params;
  const user = await requireUser("exports:create", `/datasets/${id}/export`);
  const datasetId = parseId(id);
  const exportNumber = parseId(exportId);
  if (datasetId === null || exportNumber === null || !(await canAccessDataset(getDb(), user, datasetId)))
    return new Response("Not found\n", { status: 404 });
  try {
    const bundle = await getExportBundle(getDb(), datasetId, exportNumber);
    const stored = bundle.files.find((f) => f.kind === "card");
    // The stored README.md when the bundle is kept; exports made before bundles get one built from the manifest.
    const body = stored ? await readFile(stored.path) : datasetCard(bundle.manifest);
    return new Response(body, {
      headers: {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": 'attachment; filename="README.md"',
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found")
      return new Response(`${error.message}\n`, { status: 404 });
    throw error;
  }
}
