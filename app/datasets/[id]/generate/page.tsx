import type { Metadata } from "next";
import Link from "next/link";
import { GenerateForm } from "@/components/jobs/generate-form";
import { Card, PageHeader } from "@/components/ui/card";
import { countSeeds } from "@/lib/datasets";
import { DomainError } from "@/lib/errors";
import { listProviders } from "@/lib/llm/providers";
import { loadDatasetPage } from "../load-dataset";

export const metadata: Metadata = { title: "New generation" };

export default async function GeneratePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { db, dataset, datasetId } = await loadDatasetPage(id, "jobs:run", `/datasets/${id}/generate`);
  const seedCount = await countSeeds(db, datasetId);
  let providers;
  let providerError: string | null = null;
  try {
    providers = listProviders().map(({ name, kind, models, ready, apiKeyEnv, batch }) => ({
      name,
      kind,
      models,
      ready,
      apiKeyEnv,
      batch,
    }));
  } catch (error) {
    // A broken providers.json must not hide the page: rule-based still works.
    if (!(error instanceof DomainError)) throw error;
    providerError = error.message;
    providers = [{ name: "rule-based", kind: "rule-based" as const, models: [], ready: true, apiKeyEnv: null }];
  }
  return (
    <>
      <PageHeader
        title="New generation"
        description={
          <>
            Run a pipeline over the seeds of{" "}
            <Link href={`/datasets/${datasetId}`} className="text-indigo-700 hover:underline">
              {dataset.name}
            </Link>{" "}
            as a durable job: one task per seed, resumed after a restart.
          </>
        }
        actions={
          <Link href={`/datasets/${datasetId}/jobs`} className="text-sm font-medium text-indigo-700 hover:underline">
            Jobs of this dataset
          </Link>
        }
      />
      <Card>
        {providerError ? (
          <p role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
            The provider configuration could not be read ({providerError}); only the rule-based provider is offered.
          </p>
        ) : null}
        <GenerateForm datasetId={datasetId} seedCount={seedCount} providers={providers} />
      </Card>
    </>
  );
}
