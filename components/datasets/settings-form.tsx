"use client";

import { useActionState, useState } from "react";
import { updateSettingsAction } from "@/app/datasets/[id]/settings/actions";
import { Markdown } from "@/components/review/markdown";
import { Button } from "@/components/ui/button";
import { ChoiceOptions } from "@/components/ui/choice-group";
import { Field, FormMessage, Input, Select, Textarea } from "@/components/ui/field";
import { NumberField } from "@/components/ui/number-field";

export type SettingsValues = {
  name: string;
  description: string;
  guidelines: string;
  reviewsPerPair: number;
  blind: boolean;
  mode: "labelled" | "ab";
  adjudication: boolean;
  licence: string;
  heldoutShare: number;
};

const MODES = [
  { value: "labelled", label: "Labelled: accept or reject the generated orientation" },
  { value: "ab", label: "A/B: which response is better, orientation hidden (needs blind)" },
];

/** The dataset's settings in one form; the guidelines with a live preview rendered like responses. */
export function SettingsForm({ datasetId, values }: { datasetId: number; values: SettingsValues }) {
  const [result, action, pending] = useActionState(updateSettingsAction, null);
  const [guidelines, setGuidelines] = useState(values.guidelines);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const echoed = result && !result.ok ? result.values : undefined;
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="datasetId" value={datasetId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Name"
          htmlFor="settings-name"
          error={errors?.name}
          hint="Links use the id, so renaming breaks none."
        >
          <Input id="settings-name" name="name" required maxLength={80} defaultValue={echoed?.name ?? values.name} />
        </Field>
        <Field
          label="Licence"
          htmlFor="settings-licence"
          error={errors?.licence}
          hint="Named in the dataset card, e.g. CC-BY-4.0"
        >
          <Input
            id="settings-licence"
            name="licence"
            maxLength={200}
            defaultValue={echoed?.licence ?? values.licence}
          />
        </Field>
      </div>
      <Field label="Description" htmlFor="settings-description" error={errors?.description}>
        <Input
          id="settings-description"
          name="description"
          maxLength={2000}
          defaultValue={echoed?.description ?? values.description}
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Guidelines (Markdown)"
          htmlFor="settings-guidelines"
          error={errors?.guidelines}
          hint="Each save with a change is a new version."
        >
          <Textarea
            id="settings-guidelines"
            name="guidelines"
            rows={12}
            maxLength={50_000}
            value={guidelines}
            onChange={(event) => setGuidelines(event.target.value)}
          />
        </Field>
        <div className="space-y-1">
          <p className="text-sm font-medium text-slate-700">Preview</p>
          <div className="max-h-72 overflow-auto rounded-md bg-slate-50 p-3" data-testid="guidelines-preview">
            {guidelines.trim() ? (
              <Markdown text={guidelines} />
            ) : (
              <p className="text-sm text-slate-500">No guidelines.</p>
            )}
          </div>
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <NumberField
          label="Reviews per pair"
          id="settings-reviews"
          name="reviewsPerPair"
          error={errors?.reviewsPerPair}
          hint="1 to 10 votes before a pair is final"
          min={1}
          max={10}
          step={1}
          required
          defaultValue={echoed?.reviewsPerPair ?? values.reviewsPerPair}
        />
        <Field label="Review mode" htmlFor="settings-mode" error={errors?.mode}>
          <Select id="settings-mode" name="mode" defaultValue={echoed?.mode ?? values.mode}>
            <ChoiceOptions choices={MODES} />
          </Select>
        </Field>
        <NumberField
          label="Held-out share"
          id="settings-heldout"
          name="heldoutShare"
          error={errors?.heldoutShare}
          hint="0 to 0.5 of the seeds, kept out of exports"
          min={0}
          max={0.5}
          step={0.01}
          required
          defaultValue={echoed?.heldoutShare ?? values.heldoutShare}
        />
      </div>
      <div className="space-y-2 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" name="blind" defaultChecked={values.blind} /> Blind review: a reviewer sees no other
          reviewer&apos;s votes, comments or names before voting
        </label>
        {errors?.blind ? <p className="text-sm text-rose-600">{errors.blind}</p> : null}
        <label className="flex items-center gap-2">
          <input type="checkbox" name="adjudication" defaultChecked={values.adjudication} /> Adjudication: disagreeing
          votes go to a researcher instead of the majority
        </label>
      </div>
      <FormMessage result={result} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save settings"}
      </Button>
    </form>
  );
}
