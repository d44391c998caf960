"use client";

import { useActionState } from "react";
import { cancelJobAction, retryFailedAction } from "@/app/jobs/[jobId]/actions";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";

export function JobActions({ jobId, canCancel, canRetry }: { jobId: number; canCancel: boolean; canRetry: boolean }) {
  const [cancelResult, cancel, cancelling] = useActionState(cancelJobAction, null);
  const [retryResult, retry, retrying] = useActionState(retryFailedAction, null);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {canCancel ? (
        <form action={cancel}>
          <input type="hidden" name="jobId" value={jobId} />
          <Button type="submit" variant="danger" disabled={cancelling}>
            {cancelling ? "Cancelling…" : "Cancel job"}
          </Button>
        </form>
      ) : null}
      {canRetry ? (
        <form action={retry}>
          <input type="hidden" name="jobId" value={jobId} />
          <Button type="submit" variant="secondary" disabled={retrying}>
            {retrying ? "Queueing…" : "Retry failed"}
          </Button>
        </form>
      ) : null}
      <FormMessage result={cancelResult ?? retryResult} />
    </div>
  );
}
