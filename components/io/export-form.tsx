"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { countExportAction } from "@/app/datasets/[id]/export/actions";
import { Button } from "@/components/ui/button";
import { type Choice, ChoiceOptions } from "@/components/ui/choice-group";
import { Field, FormMessage, Input, Select } from "@/components/ui/field";
import { formatCount, formatCounted } from "@/lib/format";

type Option = { value: string; label: string };

/**
 * Format and filters of a new export, with the number of matching pairs (re-counted on every
 * change) and the download. The form posts to the download route, so the browser streams the
 * file straight to disk; above `backgroundOver` pairs the route queues a background export and
 * the browser comes back to this page, where its progress shows under Past exports.
 */
const STATUS_CHOICES: Choice[] = [
  { value: "accepted", label: "Accepted" },
  { value: "pending", label: "Pending" },
  { value: "rejected", label: "Rejected" },
  { value: "all", label: "All" },
];

const METHOD_CHOICES: Choice[] = [
  { value: "", label: "Any" },
  { value: "ecd", label: "ECD" },
  { value: "c2s", label: "C2S" },
  { value: "manual", label: "Manual" },
];

const GENERATOR_CHOICES: Choice[] = [
  { value: "", label: "Any" },
  { value: "llm,human", label: "LLM or human (no rule-based)" },
  { value: "llm", label: "LLM" },
  { value: "human", label: "Human edit" },
  { value: "rule-based", label: "Rule-based" },
  { value: "reference", label: "Seed reference" },
];

const DEDUP_CHOICES: Choice[] = [
  { value: "", label: "Keep all" },
  { value: "prompt", label: "One per prompt" },
  { value: "prompt+chosen", label: "One per prompt + chosen" },
];

export function ExportForm({
  datasetId,
  initialCount,
  formats,
  backgroundOver,
}: {
  datasetId: number;
  initialCount: number;
  formats: Option[];
  backgroundOver: number;
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [count, setCount] = useState<number | null>(initialCount);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [counting, startCount] = useTransition();
  const [started, setStarted] = useState(false);
  const background = count !== null && count > backgroundOver;

  function recount() {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    const input = {
      datasetId,
      status: String(data.get("status") ?? ""),
      method: String(data.get("method") ?? ""),
      minReviews: String(data.get("minReviews") ?? ""),
      maxDepth: String(data.get("maxDepth") ?? ""),
      "max-length-ratio": String(data.get("max-length-ratio") ?? ""),
      "no-override": data.get("no-override") ? "1" : "",
      "allow-contaminated": data.get("allow-contaminated") ? "1" : "",
      generator: String(data.get("generator") ?? ""),
      jobs: String(data.get("jobs") ?? ""),
    };
    setStarted(false);
    startCount(async () => {
      const answer = await countExportAction(input);
      if (answer.ok) {
        setCount(answer.data.count);
        setError(null);
      } else {
        setCount(null);
        setError({ message: answer.error, field: answer.fieldErrors ? Object.keys(answer.fieldErrors)[0] : undefined });
      }
    });
  }

  return (
    <form
      ref={formRef}
      method="post"
      action={`/datasets/${datasetId}/export/download`}
      onChange={recount}
      onSubmit={() => {
        setStarted(true);
        // The Export row is written when the download finishes; show it in the list then.
        for (const delay of [1500, 5000]) setTimeout(() => router.refresh(), delay);
      }}
      className="space-y-4"
    >
      <div className="grid gap-4 md:grid-cols-5">
        <div className="md:col-span-2">
          <Field label="Format" htmlFor="export-format">
            <Select id="export-format" name="format" defaultValue="trl-dpo">
              <ChoiceOptions choices={formats} />
            </Select>
          </Field>
        </div>
        <Field label="Status" htmlFor="export-status" hint="Accepted includes edited pairs">
          <Select id="export-status" name="status" defaultValue="accepted">
            <ChoiceOptions choices={STATUS_CHOICES} />
          </Select>
        </Field>
        <Field label="Method" htmlFor="export-method">
          <Select id="export-method" name="method" defaultValue="">
            <ChoiceOptions choices={METHOD_CHOICES} />
          </Select>
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field
            label="Min reviews"
            htmlFor="export-min-reviews"
            error={error?.field === "minReviews" ? error.message : undefined}
          >
            <Input
              id="export-min-reviews"
              name="minReviews"
              type="number"
              min={0}
              max={1000}
              step={1}
              defaultValue={0}
            />
          </Field>
          <Field
            label="Max depth"
            htmlFor="export-max-depth"
            error={error?.field === "maxDepth" ? error.message : undefined}
          >
            <Input id="export-max-depth" name="maxDepth" type="number" min={0} max={1000} step={1} placeholder="any" />
          </Field>
        </div>
      </div>
      <div className="grid gap-4 md:grid-cols-5">
        <Field label="Chosen written by" htmlFor="export-generator" hint="The current chosen response's author">
          <Select id="export-generator" name="generator" defaultValue="">
            <ChoiceOptions choices={GENERATOR_CHOICES} />
          </Select>
        </Field>
        <Field
          label="Jobs"
          htmlFor="export-jobs"
          hint="Job ids, comma-separated"
          error={error?.field === "jobs" ? error.message : undefined}
        >
          <Input id="export-jobs" name="jobs" placeholder="any" />
        </Field>
        <Field
          label="Pairs per seed"
          htmlFor="export-per-seed"
          hint="Applied when the file is written"
          error={error?.field === "per-seed" ? error.message : undefined}
        >
          <Input id="export-per-seed" name="per-seed" type="number" min={1} step={1} placeholder="any" />
        </Field>
        <Field label="Duplicates" htmlFor="export-dedup" hint="SFT always keeps one row per prompt + chosen">
          <Select id="export-dedup" name="dedup" defaultValue="">
            <ChoiceOptions choices={DEDUP_CHOICES} />
          </Select>
        </Field>
        <Field
          label="Max length ratio"
          htmlFor="export-max-length-ratio"
          error={error?.field === "max-length-ratio" ? error.message : undefined}
        >
          <Input
            id="export-max-length-ratio"
            name="max-length-ratio"
            type="number"
            min={1}
            step="any"
            placeholder="any (e.g. 1.25)"
          />
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="no-override" value="1" onChange={recount} /> Leave out overrides
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="allow-contaminated" value="1" onChange={recount} /> Keep contaminated pairs
          (prompts matching a benchmark set; left out by default)
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <p role="status" aria-live="polite" className="text-sm text-slate-700" data-testid="export-count">
          {counting ? "Counting…" : count === null ? "" : `${formatCounted(count, "pair")} match`}
        </p>
        <Button type="submit" disabled={counting || count === null || count === 0}>
          {background ? "Start background export" : "Download"}
        </Button>
        {background && !started ? (
          <span className="text-sm text-slate-500" data-testid="export-background-note">
            Over {formatCount(backgroundOver)} pairs: the export runs in the background with a progress bar below; you
            can leave and come back for the file.
          </span>
        ) : null}
        {started && !background ? (
          <span className="text-sm text-slate-500">
            The download has started; it appears under Past exports once complete.
          </span>
        ) : null}
      </div>
      {error && !error.field ? <FormMessage result={{ ok: false, error: error.message }} /> : null}
    </form>
  );
}
