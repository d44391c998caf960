"use client";

import { useActionState } from "react";
import { startEvalRunAction } from "@/app/evals/actions";
import { Button } from "@/components/ui/button";
import { ChoiceOptions } from "@/components/ui/choice-group";
import { Field, FormMessage, Input, Select, Textarea } from "@/components/ui/field";

export type EvalProviderOption = { name: string; models: string[]; ready: boolean };

/** The start form of /evals: provider, model, benchmark, sampling, concurrency. */
export function StartEvalForm({
  providers,
  benchmarks,
  datasets,
}: {
  providers: EvalProviderOption[];
  /** Stored sets (built-in, uploaded); sets made from datasets are reached through `datasets`. */
  benchmarks: { name: string; prompts: number; source: string }[];
  /** Dataset names, offered as `dataset:NAME` (held-out seeds' nodes with verifiable constraints only). */
  datasets: string[];
}) {
  const [result, action, pending] = useActionState(startEvalRunAction, null);
  const failed = result && !result.ok ? result : null;
  const value = (key: string, fallback = "") => failed?.values?.[key] ?? fallback;
  const error = (key: string) => failed?.fieldErrors?.[key];
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-2" data-testid="start-eval-form">
      <Field label="Provider" htmlFor="provider" error={error("provider")}>
        <Select id="provider" name="provider" defaultValue={value("provider", providers[0]?.name)}>
          <ChoiceOptions choices={providers.map((p) => ({ value: p.name, label: p.name, disabled: !p.ready }))} />
        </Select>
      </Field>
      <Field label="Model" htmlFor="model" error={error("model")}>
        <Input id="model" name="model" defaultValue={value("model", providers[0]?.models[0])} list="eval-models" />
        <datalist id="eval-models">
          {providers
            .flatMap((p) => p.models)
            .map((m) => (
              <option key={m} value={m} />
            ))}
        </datalist>
      </Field>
      <Field
        label="Benchmark"
        htmlFor="benchmark"
        error={error("benchmark")}
        hint="a dataset gives its held-out seeds' prompts that carry verifiable constraints only (all its seeds' without a held-out share)"
      >
        <Select id="benchmark" name="benchmark" defaultValue={value("benchmark", "ifeval")}>
          <ChoiceOptions
            choices={[
              ...benchmarks
                .filter((b) => b.source !== "dataset")
                .map((b) => ({
                  value: b.name === "ifeval" ? "ifeval" : `set:${b.name}`,
                  label: `${b.name} (${b.prompts} prompts)`,
                })),
              ...datasets.map((name) => ({ value: `dataset:${name}`, label: `dataset ${name}` })),
            ]}
          />
        </Select>
      </Field>
      <Field label="Temperature" htmlFor="temperature" error={error("temperature")} hint="0 by default">
        <Input id="temperature" name="temperature" inputMode="decimal" defaultValue={value("temperature", "0")} />
      </Field>
      <Field label="Max tokens" htmlFor="maxTokens" error={error("maxTokens")} hint="empty: the provider's default">
        <Input id="maxTokens" name="maxTokens" inputMode="numeric" defaultValue={value("maxTokens")} />
      </Field>
      <Field label="Concurrency" htmlFor="concurrency" error={error("concurrency")}>
        <Input id="concurrency" name="concurrency" inputMode="numeric" defaultValue={value("concurrency", "4")} />
      </Field>
      <Field label="System prompt (optional)" htmlFor="systemPrompt" error={error("systemPrompt")}>
        <Textarea id="systemPrompt" name="systemPrompt" rows={2} defaultValue={value("systemPrompt")} />
      </Field>
      <Field
        label="Trained on (optional)"
        htmlFor="trainingData"
        error={error("trainingData")}
        hint="an export id or free text"
      >
        <Input id="trainingData" name="trainingData" defaultValue={value("trainingData")} />
      </Field>
      <div className="flex items-center gap-3 sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Starting…" : "Start evaluation"}
        </Button>
        <FormMessage result={result} />
      </div>
    </form>
  );
}
