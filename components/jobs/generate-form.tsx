"use client";

import { startTransition, useActionState, useState } from "react";
import { startEstimateAction, startGenerationAction } from "@/app/datasets/[id]/generate/actions";
import { Button } from "@/components/ui/button";
import { type Choice, ChoiceGroup, ChoiceOptions } from "@/components/ui/choice-group";
import { Field, FormMessage, Input, Select } from "@/components/ui/field";
import { NumberField } from "@/components/ui/number-field";
import { formatCount } from "@/lib/format";
import {
  DEFAULT_ESTIMATE_SAMPLE,
  type ModelRole,
  PIPELINE_ROLES,
  type Pipeline,
  ROLE_DESCRIPTIONS,
  SAMPLING_FIELDS,
} from "@/lib/jobs/schemas";

/** Label and input attributes of each sampling setting. */
const SAMPLING_INPUTS: Record<(typeof SAMPLING_FIELDS)[number], { label: string; step: string; min: string }> = {
  temperature: { label: "temperature", step: "0.05", min: "0" },
  topP: { label: "top_p", step: "0.05", min: "0" },
  maxTokens: { label: "max tokens", step: "1", min: "1" },
  seed: { label: "seed", step: "1", min: "0" },
};

export type ProviderOption = {
  name: string;
  kind: "openai-compatible" | "rule-based";
  models: string[];
  ready: boolean;
  apiKeyEnv: string | null;
  /** Serves the Batch API (offers batch mode). */
  batch?: boolean;
};

function RoleModel({
  role,
  providers,
  values,
  errors,
}: {
  role: ModelRole;
  providers: ProviderOption[];
  values?: Record<string, string>;
  errors?: Record<string, string>;
}) {
  const providerKey = `models.${role}.provider`;
  const modelKey = `models.${role}.model`;
  const [provider, setProvider] = useState(values?.[providerKey] ?? "rule-based");
  const info = providers.find((p) => p.name === provider);
  const ruleBased = info?.kind === "rule-based";
  const samplingKey = (field: string) => `sampling.${role}.${field}`;
  const error =
    errors?.[providerKey] ??
    errors?.[modelKey] ??
    SAMPLING_FIELDS.map((field) => errors?.[samplingKey(field)]).find(Boolean);
  return (
    <fieldset className="rounded-md border border-slate-200 p-3" data-testid={`role-${role}`}>
      <legend className="px-1 text-sm font-medium text-slate-700">
        {role} <span className="font-normal text-slate-500">— {ROLE_DESCRIPTIONS[role]}</span>
      </legend>
      <div className="grid gap-2 sm:grid-cols-2">
        <Select
          name={providerKey}
          aria-label={`${role} provider`}
          value={provider}
          onChange={(e) => setProvider(e.target.value)}
          aria-invalid={!!errors?.[providerKey]}
        >
          <ChoiceOptions
            choices={providers.map((p) => ({
              value: p.name,
              label: `${p.name}${p.kind === "rule-based" ? " (no LLM)" : p.ready ? "" : ` (set ${p.apiKeyEnv})`}`,
              disabled: !p.ready,
            }))}
          />
        </Select>
        <Input
          name={modelKey}
          aria-label={`${role} model`}
          list={`models-${role}`}
          placeholder={ruleBased ? "rules, no model" : "model name"}
          disabled={ruleBased}
          defaultValue={values?.[modelKey] ?? info?.models[0] ?? ""}
          key={provider}
          aria-invalid={!!errors?.[modelKey]}
        />
        <datalist id={`models-${role}`}>
          {(info?.models ?? []).map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      </div>
      {ruleBased ? null : (
        <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
          {SAMPLING_FIELDS.map((field) => (
            <Input
              key={field}
              type="number"
              name={samplingKey(field)}
              aria-label={`${role} ${SAMPLING_INPUTS[field].label}`}
              placeholder={`${SAMPLING_INPUTS[field].label} (default)`}
              step={SAMPLING_INPUTS[field].step}
              min={SAMPLING_INPUTS[field].min}
              defaultValue={values?.[samplingKey(field)] ?? ""}
              aria-invalid={!!errors?.[samplingKey(field)]}
            />
          ))}
        </div>
      )}
      {error ? <p className="mt-1 text-sm text-rose-600">{error}</p> : null}
    </fieldset>
  );
}

const R0_CHOICES: Choice[] = [
  { value: "", label: "Automatic: the responder, unless it is rule-based" },
  { value: "responder", label: "The responder's answer to the seed" },
  { value: "reference", label: "The seed's reference answer" },
];
const CONSTRAINT_TEXT_CHOICES: Choice[] = [
  { value: "check", label: "Check: drop a candidate whose text and kwargs disagree" },
  { value: "render", label: "Render: write the registry's sentence of each constraint" },
  { value: "off", label: "Off: trust the evolver's text" },
];
const NEGATIVE_CHOICES: Choice[] = [
  { value: "ancestors", label: "ancestors two or more rounds back" },
  { value: "siblings", label: "kept siblings" },
];
const C2S_MODE_CHOICES: Choice[] = [
  { value: "strict", label: "Strict: the final response must pass every constraint" },
  { value: "original", label: "Original: keep every fix that passes its own constraint" },
];

/** The method controls for ablations (recorded in the job's parameters). */
function MethodControls({
  pipeline,
  values,
  errors,
}: {
  pipeline: Pipeline;
  values?: Record<string, string>;
  errors?: Record<string, string>;
}) {
  if (pipeline === "c2s")
    return (
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Mode" htmlFor="gen-c2s-mode" error={errors?.c2sMode}>
          <Select id="gen-c2s-mode" name="c2sMode" defaultValue={values?.c2sMode ?? "strict"}>
            <ChoiceOptions choices={C2S_MODE_CHOICES} />
          </Select>
        </Field>
        <ChoiceGroup
          legend="Corrections"
          name="secondPass"
          choices={[{ value: "on", label: "a second pass over what the first left failing" }]}
          checked={values?.secondPass ? ["on"] : []}
        />
      </div>
    );
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field label="R(0) from" htmlFor="gen-r0" error={errors?.r0Source}>
        <Select id="gen-r0" name="r0Source" defaultValue={values?.r0Source ?? ""}>
          <ChoiceOptions choices={R0_CHOICES} />
        </Select>
      </Field>
      <Field label="Written constraints" htmlFor="gen-constraint-text" error={errors?.constraintText}>
        <Select id="gen-constraint-text" name="constraintText" defaultValue={values?.constraintText ?? "check"}>
          <ChoiceOptions choices={CONSTRAINT_TEXT_CHOICES} />
        </Select>
      </Field>
      <NumberField
        label="Word budget"
        id="gen-word-budget"
        name="wordBudget"
        error={errors?.wordBudget}
        hint="At most this many words added per evolution step (blank: no budget; WizardLM used 10–20)"
        min={1}
        defaultValue={values?.wordBudget}
      />
      <div className="text-sm">
        <ChoiceGroup
          legend="Extra negatives (ablations)"
          name="negatives"
          choices={NEGATIVE_CHOICES}
          checked={values?.negatives ? [values.negatives] : []}
        />
        {errors?.negatives ? <p className="mt-1 text-sm text-rose-600">{errors.negatives}</p> : null}
      </div>
    </div>
  );
}

const PIPELINE_CHOICES: Choice[] = [
  { value: "ecd", label: "ECD — evolve instructions step by step; hard negatives from the previous step" },
  { value: "c2s", label: "Complex to simple — compose constraints, correct the student one at a time" },
];

export function GenerateForm({
  datasetId,
  seedCount,
  providers,
}: {
  datasetId: number;
  seedCount: number;
  providers: ProviderOption[];
}) {
  const [started, action, pending] = useActionState(startGenerationAction, null);
  const [estimated, estimateAction, estimating] = useActionState(startEstimateAction, null);
  // The form shows what came back from whichever button was pressed last.
  const [last, setLast] = useState<"start" | "estimate">("start");
  const result = last === "start" ? started : estimated;
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const values = result && !result.ok ? result.values : undefined;
  const sample = Math.min(DEFAULT_ESTIMATE_SAMPLE, seedCount);
  const [pipeline, setPipeline] = useState<Pipeline>((values?.pipeline as Pipeline) ?? "ecd");
  return (
    <form
      className="space-y-5"
      aria-label="New generation"
      // Submitted by hand rather than through `action`: React resets a form after its action ran,
      // and the controlled provider selects would then show (and the next submit send) their
      // first option instead of the one chosen.
      onSubmit={(event) => {
        event.preventDefault();
        const estimate = (event.nativeEvent as SubmitEvent).submitter?.dataset.submit === "estimate";
        const data = new FormData(event.currentTarget);
        // The actions take (previous state, FormData); their dispatchers take the FormData.
        const dispatch = (estimate ? estimateAction : action) as (payload: FormData) => void;
        startTransition(() => dispatch(data));
      }}
    >
      <input type="hidden" name="datasetId" value={datasetId} />
      <Field label="Pipeline" htmlFor="gen-pipeline" error={errors?.pipeline}>
        <Select
          id="gen-pipeline"
          name="pipeline"
          value={pipeline}
          onChange={(e) => setPipeline(e.target.value as Pipeline)}
        >
          <ChoiceOptions choices={PIPELINE_CHOICES} />
        </Select>
      </Field>
      <div className="grid gap-4 sm:grid-cols-3">
        {pipeline === "ecd" ? (
          <>
            <NumberField
              label="Rounds"
              id="gen-rounds"
              name="rounds"
              error={errors?.rounds}
              hint="Evolution steps per seed (tree depth), 1–10"
              min={1}
              max={10}
              defaultValue={values?.rounds ?? "2"}
            />
            <NumberField
              label="Branches"
              id="gen-branches"
              name="branches"
              error={errors?.branches}
              hint="Children per node: 1 makes a chain"
              min={1}
              max={5}
              defaultValue={values?.branches ?? "1"}
            />
          </>
        ) : (
          <Field
            label="Constraints per prompt"
            htmlFor="gen-constraints"
            error={errors?.constraintsPerPrompt}
            hint='A number or a range such as "3-5"'
          >
            <Input
              id="gen-constraints"
              name="constraintsPerPrompt"
              defaultValue={values?.constraintsPerPrompt ?? "3-5"}
            />
          </Field>
        )}
        <NumberField
          label="Limit"
          id="gen-limit"
          name="limit"
          error={errors?.limit}
          hint={`Only the first N seeds (blank: all ${formatCount(seedCount)})`}
          min={1}
          placeholder={String(seedCount)}
          defaultValue={values?.limit}
        />
        <NumberField
          label="Concurrency"
          id="gen-concurrency"
          name="concurrency"
          error={errors?.concurrency}
          hint="Tasks of this job running at once"
          min={1}
          max={256}
          defaultValue={values?.concurrency ?? "8"}
        />
        <NumberField
          label="Max attempts"
          id="gen-attempts"
          name="maxAttempts"
          error={errors?.maxAttempts}
          hint="Per task, before it is marked failed"
          min={1}
          max={10}
          defaultValue={values?.maxAttempts ?? "3"}
        />
      </div>
      <div className="space-y-3">
        <h3 className="text-sm font-semibold text-slate-800">Method</h3>
        {/* Remounted with each returned form: a select's new defaultValue applies only on mount. */}
        <MethodControls
          key={`${pipeline}:${JSON.stringify(values ?? {})}`}
          pipeline={pipeline}
          values={values}
          errors={errors}
        />
      </div>
      <div className="space-y-3">
        <h3 className="text-sm font-semibold text-slate-800">Models</h3>
        <p className="text-xs text-slate-500">
          Providers are configured on the server (environment or providers.json); API keys never reach the browser. The
          rule-based provider needs no LLM, and everything it makes is labelled rule-based.
        </p>
        {PIPELINE_ROLES[pipeline].map((role) => (
          <RoleModel key={`${pipeline}-${role}`} role={role} providers={providers} values={values} errors={errors} />
        ))}
      </div>
      {providers.some((p) => p.batch) ? (
        <div className="space-y-1" data-testid="batch-mode">
          <ChoiceGroup
            legend="Batch API"
            name="batch"
            choices={[
              {
                value: "on",
                label: `send every call through the Batch API of ${providers
                  .filter((p) => p.batch)
                  .map((p) => p.name)
                  .join(", ")}`,
              },
            ]}
            checked={values?.batch ? ["on"] : []}
          />
          <p className="text-xs text-slate-500">
            Half the price (or the provider&apos;s batch price); answers arrive within 24 hours, a batch at a time, and
            the job survives restarts without paying twice. Every role with an LLM must use a batch provider.
          </p>
          {errors?.batch ? <p className="text-xs text-red-700">{errors.batch}</p> : null}
        </div>
      ) : null}
      <FormMessage result={result} />
      <p className="text-xs text-slate-500" data-testid="estimate-notice">
        Estimate runs this job on a random sample of {formatCount(sample)} seed(s) and extrapolates calls, tokens, cost
        and pairs to all of them. Its LLM calls are real and paid at the provider&apos;s prices (at most what{" "}
        {formatCount(sample)} seed(s) of the real run cost); they are cached, so the real run re-uses them.
      </p>
      <div className="flex gap-3">
        <Button type="submit" disabled={pending || estimating || seedCount === 0} onClick={() => setLast("start")}>
          {pending ? "Starting…" : "Start generation"}
        </Button>
        <Button
          type="submit"
          variant="secondary"
          data-submit="estimate"
          disabled={pending || estimating || seedCount === 0}
          onClick={() => setLast("estimate")}
        >
          {estimating ? "Estimating…" : `Estimate on ${formatCount(sample)} seed(s)`}
        </Button>
      </div>
      {seedCount === 0 ? <p className="text-sm text-slate-600">Import seeds into this dataset first.</p> : null}
    </form>
  );
}
