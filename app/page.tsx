import Link from "next/link";
import { CreateDatasetForm } from "@/components/datasets/create-dataset-form";
import { Card, PageHeader } from "@/components/ui/card";
import { hasScope } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { listDatasets } from "@/lib/datasets";
import { getDb } from "@/lib/db/client";

export default async function HomePage() {
  const user = await requireUser("datasets:read", "/");
  const datasets = await listDatasets(getDb(), user);
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Each dataset is one curation effort: seeds, evolution trees, pairs, reviews and exports."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={`${datasets.length} dataset${datasets.length === 1 ? "" : "s"}`} className="lg:col-span-2">
          {datasets.length === 0 ? (
            <p className="text-sm text-slate-600">No datasets yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {datasets.map((dataset) => (
                <li key={dataset.id} className="py-2">
                  <Link href={`/datasets/${dataset.id}`} className="font-medium text-indigo-700 hover:underline">
                    {dataset.name}
                  </Link>
                  {dataset.description ? <p className="text-sm text-slate-600">{dataset.description}</p> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
        {hasScope(user.role, "datasets:manage") ? (
          <Card title="New dataset">
            <CreateDatasetForm />
          </Card>
        ) : null}
      </div>
    </>
  );
}
