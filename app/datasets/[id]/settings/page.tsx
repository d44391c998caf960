import type { Metadata } from "next";
import Link from "next/link";
import { DeleteDatasetForm } from "@/components/datasets/delete-dataset-form";
import { GuidelineHistory } from "@/components/datasets/guideline-history";
import { MembersPanel } from "@/components/datasets/members-panel";
import { SettingsForm } from "@/components/datasets/settings-form";
import { Card, PageHeader } from "@/components/ui/card";
import { datasetSettingsSchema } from "@/lib/datasets";
import { listGuidelineVersions } from "@/lib/datasets/guidelines";
import { listMembers } from "@/lib/datasets/members";
import { loadDatasetPage } from "../load-dataset";

export const metadata: Metadata = { title: "Dataset settings" };

/** Settings, guidelines with their versions, members and deletion (researchers and admins). */
export default async function SettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { db, dataset, datasetId } = await loadDatasetPage(id, "datasets:manage", `/datasets/${id}/settings`);
  const [versions, members] = await Promise.all([listGuidelineVersions(db, datasetId), listMembers(db, datasetId)]);
  const settings = datasetSettingsSchema.parse(dataset.settings ?? {});
  return (
    <>
      <PageHeader
        title={`Settings · ${dataset.name}`}
        description="Changes apply to pairs that are not final; pending pairs are settled again under new rules."
        actions={
          <Link href={`/datasets/${datasetId}`} className="text-sm font-medium text-indigo-700 hover:underline">
            Overview
          </Link>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Settings" className="lg:col-span-2">
          <SettingsForm
            datasetId={datasetId}
            values={{
              name: dataset.name,
              description: dataset.description,
              guidelines: dataset.guidelines,
              ...settings,
            }}
          />
        </Card>
        <div className="space-y-6">
          <Card title={`Members (${members.length})`}>
            <MembersPanel
              datasetId={datasetId}
              members={members.map((m) => ({ email: m.email, name: m.name, addedAt: m.addedAt.toISOString() }))}
            />
          </Card>
          <Card title="Guideline versions">
            <GuidelineHistory versions={versions} />
          </Card>
          <Card title="Delete dataset">
            <DeleteDatasetForm datasetId={datasetId} name={dataset.name} />
          </Card>
        </div>
      </div>
    </>
  );
}
