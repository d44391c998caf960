// lint as: app/datasets/[id]/prisma-page/page.tsx
// A page importing Prisma and querying the database itself.
import type { Prisma } from "@/lib/db/generated/client";
import { getDb } from "@/lib/db/client";

export default async function Page() {
  const db = getDb();
  const where: Prisma.SeedWhereInput = { datasetId: 1 };
  const seeds = await db.seed.count({ where });
  const jobs = await getDb().job.findMany();
  return (
    <p>
      {seeds} seeds, {jobs.length} jobs
    </p>
  );
}
