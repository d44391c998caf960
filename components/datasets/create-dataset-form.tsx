"use client";

import { useActionState } from "react";
import { createDatasetAction } from "@/app/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";

export function CreateDatasetForm() {
  const [result, action, pending] = useActionState(createDatasetAction, null);
  const fieldErrors = result && !result.ok ? result.fieldErrors : undefined;
  const values = result && !result.ok ? result.values : undefined;
  return (
    <form action={action} className="space-y-3">
      <Field label="Name" htmlFor="dataset-name" error={fieldErrors?.name}>
        <Input
          id="dataset-name"
          name="name"
          required
          maxLength={80}
          defaultValue={values?.name}
          aria-invalid={!!fieldErrors?.name}
        />
      </Field>
      <Field label="Description" htmlFor="dataset-description" error={fieldErrors?.description}>
        <Input id="dataset-description" name="description" maxLength={2000} defaultValue={values?.description} />
      </Field>
      <FormMessage result={result} />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create dataset"}
      </Button>
    </form>
  );
}
