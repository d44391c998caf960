"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { previewImportAction } from "@/app/datasets/[id]/import/actions";
import { Button } from "@/components/ui/button";
import { type Choice, ChoiceOptions } from "@/components/ui/choice-group";
import { Field, FormMessage, Input, Select } from "@/components/ui/field";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { postFile } from "./post-file";
import type { ActionResult } from "@/lib/auth/action";
import { formatCount, formatCounted } from "@/lib/format";
import type { ImportPreview, ImportReport } from "@/lib/io";

/** The preview reads only the start of the file (the server action's body stays small). */
const SAMPLE_BYTES = 256 * 1024;

type Option = { value: string; label: string };
type Options = {
  format: string;
  shape: string;
  onError: string;
  mapInstruction: string;
  mapInput: string;
  mapResponse: string;
  mapId: string;
};
type UploadResult = { ok: true; report: ImportReport } | { ok: false; error: string };

const MAPPING_LABELS: Record<string, string> = {
  instruction: "Instruction",
  input: "Input",
  response: "Reference response",
  constraints: "Constraints",
  id: "External id",
};

function clip(text: string, max = 220): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const ON_ERROR_CHOICES: Choice[] = [
  { value: "fail", label: "Stop: import nothing if any line is bad" },
  { value: "skip", label: "Skip bad lines and list them" },
];

export function ImportForm({
  datasetId,
  maxBytes,
  maxLabel,
  formats,
  shapes,
}: {
  datasetId: number;
  maxBytes: number;
  maxLabel: string;
  formats: Option[];
  shapes: Option[];
}) {
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<Options>({
    format: "",
    shape: "auto",
    onError: "fail",
    mapInstruction: "",
    mapInput: "",
    mapResponse: "",
    mapId: "",
  });
  const [preview, setPreview] = useState<ActionResult<ImportPreview> | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [previewing, startPreview] = useTransition();
  const [uploading, setUploading] = useState(false);
  const [result, setResult] = useState<UploadResult | null>(null);

  function runPreview(f: File | null, opts: Options) {
    setResult(null);
    if (!f) {
      setPreview(null);
      return;
    }
    const form = new FormData();
    form.set("datasetId", String(datasetId));
    form.set("sample", new File([f.slice(0, SAMPLE_BYTES)], f.name));
    form.set("partial", f.size > SAMPLE_BYTES ? "1" : "0");
    form.set("fileName", f.name);
    for (const [key, value] of Object.entries(opts)) form.set(key, value);
    startPreview(async () => {
      const answer = await previewImportAction(form);
      setPreview(answer);
      if (answer.ok) setColumns(answer.data.columns);
    });
  }

  function change(patch: Partial<Options>, rerun = true) {
    const next = { ...options, ...patch };
    setOptions(next);
    if (rerun) runPreview(file, next);
  }

  async function upload() {
    if (!file) return;
    setUploading(true);
    setResult(null);
    const params = new URLSearchParams({ fileName: file.name });
    for (const [key, value] of Object.entries(options)) if (value) params.set(key, value);
    setResult(
      await postFile<UploadResult & { ok: true }>(`/datasets/${datasetId}/import/upload?${params}`, file, {
        maxBytes,
        maxLabel,
        instead: "use npm run ecd -- import for bigger files",
        retry: "import",
        nothingDone: "Nothing was imported.",
      }),
    );
    setUploading(false);
  }

  const fileError = preview && !preview.ok ? preview.error : undefined;
  const data = preview?.ok ? preview.data : null;

  return (
    <div className="space-y-6">
      <div className="grid gap-4 md:grid-cols-4">
        <div className="md:col-span-2">
          <Field
            label="File"
            htmlFor="import-file"
            hint={`JSON Lines, JSON array, CSV or TSV, up to ${maxLabel}`}
            error={fileError}
          >
            <Input
              id="import-file"
              type="file"
              accept=".jsonl,.ndjson,.json,.csv,.tsv,.txt"
              aria-invalid={!!fileError}
              onChange={(event) => {
                const chosen = event.target.files?.[0] ?? null;
                setFile(chosen);
                runPreview(chosen, options);
              }}
            />
          </Field>
        </div>
        <Field label="Format" htmlFor="import-format">
          <Select id="import-format" value={options.format} onChange={(e) => change({ format: e.target.value })}>
            <ChoiceOptions choices={[{ value: "", label: "Detect" }, ...formats]} />
          </Select>
        </Field>
        <Field label="Row shape" htmlFor="import-shape">
          <Select
            id="import-shape"
            value={options.shape}
            onChange={(e) => change({ shape: e.target.value }, e.target.value !== "mapped" || !!options.mapInstruction)}
          >
            <ChoiceOptions choices={[{ value: "auto", label: "Detect" }, ...shapes]} />
          </Select>
        </Field>
      </div>

      {options.shape === "mapped" ? (
        <fieldset className="space-y-3 rounded-md bg-slate-50 p-3">
          <legend className="text-sm font-medium text-slate-700">Column mapping</legend>
          <datalist id="import-columns">
            {columns.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <div className="grid gap-3 md:grid-cols-4">
            {(
              [
                ["mapInstruction", "Instruction column"],
                ["mapInput", "Input column (optional)"],
                ["mapResponse", "Reference response column (optional)"],
                ["mapId", "Id column (optional)"],
              ] as const
            ).map(([key, label]) => (
              <Field key={key} label={label} htmlFor={`import-${key}`}>
                <Input
                  id={`import-${key}`}
                  list="import-columns"
                  value={options[key]}
                  onChange={(e) => change({ [key]: e.target.value }, false)}
                />
              </Field>
            ))}
          </div>
          <Button
            type="button"
            variant="secondary"
            disabled={!file || previewing}
            onClick={() => runPreview(file, options)}
          >
            Preview with this mapping
          </Button>
        </fieldset>
      ) : null}

      {previewing ? <p className="text-sm text-slate-500">Reading the start of the file…</p> : null}

      {data ? (
        <section aria-labelledby="import-preview-heading" className="space-y-3">
          <h2 id="import-preview-heading" className="text-sm font-semibold text-slate-800">
            Preview
          </h2>
          <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]" data-testid="import-detected">
            <dt className="text-slate-500">Format</dt>
            <dd>{data.formatLabel}</dd>
            <dt className="text-slate-500">Shape</dt>
            <dd>{data.shapeLabel}</dd>
            {Object.entries(data.mapping)
              .filter(([, column]) => column)
              .map(([field, column]) => (
                <div key={field} className="contents">
                  <dt className="text-slate-500">{MAPPING_LABELS[field] ?? field}</dt>
                  <dd>
                    <code className="text-xs">{column}</code>
                  </dd>
                </div>
              ))}
            <dt className="text-slate-500">Fields</dt>
            <dd className="text-xs text-slate-600">{data.columns.join(", ")}</dd>
          </dl>
          <Table label="First rows">
            <THead>
              <Tr>
                <Th>Line</Th>
                <Th>Seed text</Th>
                <Th>Reference response</Th>
                <Th>Constraints</Th>
              </Tr>
            </THead>
            <TBody>
              {data.rows.map((row) => (
                <Tr key={row.line}>
                  <Td numeric muted>
                    {row.line}
                  </Td>
                  <Td className="whitespace-pre-wrap">{clip(row.seedText)}</Td>
                  <Td muted className="whitespace-pre-wrap">
                    {row.referenceResponse ? clip(row.referenceResponse, 160) : "—"}
                  </Td>
                  <Td className="text-xs">
                    {row.constraints.map((c) => (
                      <span
                        key={c.id}
                        title={c.text}
                        className="mr-1 inline-block rounded bg-indigo-50 px-1.5 py-0.5 text-indigo-700"
                      >
                        {c.id}
                      </span>
                    ))}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
          {data.issues.length ? (
            <div className="rounded-md bg-amber-50 p-3 text-sm text-amber-800">
              <p className="font-medium">Problems in the previewed rows</p>
              <ul className="mt-1 list-disc pl-5">
                {data.issues.map((issue) => (
                  <li key={`${issue.line}-${issue.reason}`}>
                    line {issue.line}: {issue.reason}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
      ) : null}

      <div className="flex flex-wrap items-end gap-4">
        <Field label="Bad lines" htmlFor="import-on-error">
          <Select
            id="import-on-error"
            value={options.onError}
            onChange={(e) => change({ onError: e.target.value }, false)}
          >
            <ChoiceOptions choices={ON_ERROR_CHOICES} />
          </Select>
        </Field>
        <Button type="button" disabled={!file || !data || previewing || uploading} onClick={upload}>
          {uploading ? "Importing…" : "Import"}
        </Button>
      </div>

      {result && !result.ok ? <FormMessage result={result} /> : null}
      {result?.ok ? <ImportResult report={result.report} datasetId={datasetId} /> : null}
    </div>
  );
}

function ImportResult({ report, datasetId }: { report: ImportReport; datasetId: number }) {
  return (
    <section className="space-y-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
      <p role="status">
        Imported {formatCounted(report.imported, "seed")} into {report.dataset}:{" "}
        {formatCounted(report.records, "record")} read, {formatCounted(report.duplicates, "duplicate")},{" "}
        {formatCount(report.skipped)} skipped.
      </p>
      {report.overlaps.map((overlap) => (
        <p key={overlap.set} role="alert" className="rounded-md bg-amber-50 p-2 text-amber-900">
          {formatCounted(overlap.seeds, "seed")} overlap {overlap.set}: imported and flagged as contaminated (exports
          leave them out unless you keep them).
        </p>
      ))}
      {report.issues.length ? (
        <Table label="Skipped lines">
          <THead>
            <Tr>
              <Th>Skipped line</Th>
              <Th>Why</Th>
            </Tr>
          </THead>
          <TBody>
            {report.issues.map((issue) => (
              <Tr key={issue.line}>
                <Td numeric>{issue.line}</Td>
                <Td>{issue.reason}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      ) : null}
      {report.duplicateLines.length ? (
        <p>
          Duplicates (already in the dataset or earlier in the file): line
          {report.duplicateLines.length === 1 ? "" : "s"} {report.duplicateLines.map((d) => d.line).join(", ")}
          {report.truncated ? ", …" : ""}
        </p>
      ) : null}
      {report.truncated ? (
        <p>
          The lists above show the first {formatCount(Math.max(report.issues.length, report.duplicateLines.length))}{" "}
          entries; the counts are complete.
        </p>
      ) : null}
      <Link href={`/datasets/${datasetId}`} className="font-medium text-indigo-700 hover:underline">
        Go to the dataset
      </Link>
    </section>
  );
}
