// lint as: lib/io/raw-sql-outside-db.ts
// Raw SQL outside lib/db.
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";

export async function countSeeds(db: Db, datasetId: number) {
  const where = Prisma.sql`"datasetId" = ${datasetId}`;
  const rows = await db.$queryRaw<{ n: number }[]>`SELECT COUNT(*) AS n FROM "Seed" WHERE ${where}`;
  await db.$executeRawUnsafe(`DELETE FROM "Seed" WHERE "datasetId" = ${datasetId}`);
  return rows[0].n;
}
