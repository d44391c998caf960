"use client";

import { useActionState, useState } from "react";
import { deleteDatasetAction } from "@/app/datasets/[id]/settings/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";

/** Deletion asks for the dataset's name; it then runs as a background job and the dataset leaves every list at once. */
export function DeleteDatasetForm({ datasetId, name }: { datasetId: number; name: string }) {
  const [result, action, pending] = useActionState(deleteDatasetAction, null);
  const [typed, setTyped] = useState("");
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="datasetId" value={datasetId} />
      <p className="text-sm text-slate-600">
        Removes its seeds, trees, pairs, reviews and exports. Evaluation runs keep their results. This cannot be undone.
      </p>
      <Field label={`Type "${name}" to confirm`} htmlFor="delete-confirm">
        <Input
          id="delete-confirm"
          name="confirm"
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </Field>
      <FormMessage result={result} />
      <Button type="submit" variant="danger" disabled={pending || typed !== name}>
        {pending ? "Deleting…" : "Delete dataset"}
      </Button>
    </form>
  );
}
