"use client";

import { useActionState } from "react";
import { cancelExportAction } from "@/app/datasets/[id]/export/actions";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";

/** Cancels a running background export. */
export function CancelExportButton({ datasetId, jobId }: { datasetId: number; jobId: number }) {
  const [result, cancel, cancelling] = useActionState(cancelExportAction, null);
  return (
    <form action={cancel} className="inline-flex items-center gap-2">
      <input type="hidden" name="datasetId" value={datasetId} />
      <input type="hidden" name="jobId" value={jobId} />
      <Button type="submit" variant="secondary" disabled={cancelling}>
        {cancelling ? "Cancelling…" : "Cancel"}
      </Button>
      <FormMessage result={result} />
    </form>
  );
}
