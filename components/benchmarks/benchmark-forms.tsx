"use client";

import Link from "next/link";
import { useActionState } from "react";
import { removeBenchmarkSetAction, uploadBenchmarkSetAction } from "@/app/benchmarks/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";

/** Upload a prompt file as a named benchmark set; existing seeds and nodes are re-checked by a job. */
export function UploadBenchmarkForm() {
  const [result, action, pending] = useActionState(uploadBenchmarkSetAction, null);
  const jobId = result?.ok ? result.data.jobId : null;
  return (
    <form action={action} className="space-y-3" aria-label="Upload a benchmark set">
      <div className="grid gap-3 md:grid-cols-3">
        <Field label="Name" htmlFor="benchmark-name" hint="letters, digits, . _ -">
          <Input id="benchmark-name" name="name" required defaultValue={result?.ok ? "" : result?.values?.name} />
        </Field>
        <Field label="Licence" htmlFor="benchmark-licence" hint="e.g. Apache-2.0 (optional)">
          <Input id="benchmark-licence" name="licence" defaultValue={result?.ok ? "" : result?.values?.licence} />
        </Field>
        <Field
          label="Prompt file"
          htmlFor="benchmark-file"
          hint="JSON Lines, JSON, CSV/TSV or .txt; IFEval's layout keeps its constraints"
        >
          <Input id="benchmark-file" name="file" type="file" accept=".jsonl,.json,.csv,.tsv,.txt" required />
        </Field>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Uploading…" : "Add set"}
      </Button>
      <FormMessage result={result} />
      {jobId ? (
        <p className="text-sm">
          <Link className="text-indigo-700 underline" href={`/jobs/${jobId}`}>
            Follow the re-check (job #{jobId})
          </Link>
        </p>
      ) : null}
    </form>
  );
}

export function RemoveBenchmarkButton({ name }: { name: string }) {
  const [result, action, pending] = useActionState(removeBenchmarkSetAction, null);
  return (
    <form action={action} className="inline">
      <input type="hidden" name="name" value={name} />
      <Button type="submit" variant="secondary" disabled={pending} aria-label={`Remove ${name}`}>
        Remove
      </Button>
      {result && !result.ok ? <FormMessage result={result} /> : null}
    </form>
  );
}
