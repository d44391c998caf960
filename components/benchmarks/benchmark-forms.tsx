"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useActionState, useState } from "react";
import { removeBenchmarkSetAction } from "@/app/benchmarks/actions";
import { postFile, type UploadFailure } from "@/components/io/post-file";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";

type UploadAnswer = { ok: true; message: string; jobId: number | null };

/**
 * Upload a prompt file as a named benchmark set; existing seeds and nodes are re-checked by a job.
 * The file goes to the upload route as the request body (a server action's body limit would
 * refuse sets over 1 MB); the form keeps its values when the upload is refused.
 */
export function UploadBenchmarkForm({ maxBytes, maxLabel }: { maxBytes: number; maxLabel: string }) {
  const [result, setResult] = useState<UploadAnswer | UploadFailure | null>(null);
  const [pending, setPending] = useState(false);
  const router = useRouter();
  const jobId = result?.ok ? result.jobId : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setResult({ ok: false, error: "choose a prompt file" });
      return;
    }
    const params = new URLSearchParams({ fileName: file.name });
    for (const key of ["name", "licence"]) params.set(key, String(data.get(key) ?? ""));
    setPending(true);
    setResult(null);
    const answer = await postFile<UploadAnswer>(`/benchmarks/upload?${params}`, file, {
      maxBytes,
      maxLabel,
      instead: "split the set into several files",
      retry: "upload the set",
      nothingDone: "No set was added.",
    });
    setPending(false);
    setResult(answer);
    if (answer.ok) {
      form.reset();
      router.refresh();
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Upload a benchmark set">
      <div className="grid gap-3 md:grid-cols-3">
        <Field label="Name" htmlFor="benchmark-name" hint="letters, digits, . _ -">
          <Input id="benchmark-name" name="name" required />
        </Field>
        <Field label="Licence" htmlFor="benchmark-licence" hint="e.g. Apache-2.0 (optional)">
          <Input id="benchmark-licence" name="licence" />
        </Field>
        <Field
          label="Prompt file"
          htmlFor="benchmark-file"
          hint={`JSON Lines, JSON, CSV/TSV or .txt, up to ${maxLabel}; IFEval's layout keeps its constraints`}
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
