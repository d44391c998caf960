import type { Metadata } from "next";
import { RemoveBenchmarkButton, UploadBenchmarkForm } from "@/components/benchmarks/benchmark-forms";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyRow, Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listBenchmarkSets } from "@/lib/eval";
import { formatBytes, formatCount } from "@/lib/format";
import { UPLOAD_LIMITS } from "@/lib/io";

export const metadata: Metadata = { title: "Benchmark sets" };

export default async function BenchmarksPage() {
  await requireUser("datasets:manage", "/benchmarks");
  const sets = (await listBenchmarkSets(getDb())).filter((s) => s.source !== "dataset");
  return (
    <>
      <PageHeader
        title="Benchmark sets"
        description="Prompts kept out of training data: every seed, evolved instruction and edited prompt is checked against each set, and exports leave matches out."
      />
      <div className="space-y-6">
        <Card title="Add a set">
          <UploadBenchmarkForm maxBytes={UPLOAD_LIMITS.maxBytes} maxLabel={formatBytes(UPLOAD_LIMITS.maxBytes)} />
        </Card>
        <Card title="Sets">
          <Table label="Benchmark sets">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Source</Th>
                <Th>Prompts</Th>
                <Th>Licence</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {sets.length === 0 ? <EmptyRow columns={5}>No sets</EmptyRow> : null}
              {sets.map((s) => (
                <Tr key={s.id}>
                  <Td>{s.name}</Td>
                  <Td>{s.source}</Td>
                  <Td>{formatCount(s.prompts)}</Td>
                  <Td>{s.licence ?? "—"}</Td>
                  <Td>{s.source === "upload" ? <RemoveBenchmarkButton name={s.name} /> : null}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
      </div>
    </>
  );
}
