import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { refreshVerdicts } from "./verdict-store.ts";

/**
 * The data step of the pair_trust migration: computes and stores the verdict record of every
 * pair that has none yet (Pair.verdicts IS NULL). Idempotent and resumable: each batch is its own
 * transaction, and a pair done once is never touched again. Returns how many pairs it filled.
 */
export async function backfillVerdicts(db: Db, batchSize = 500): Promise<number> {
  let done = 0;
  let afterId = 0;
  for (;;) {
    const ids = (
      await db.pair.findMany({
        where: { id: { gt: afterId }, verdicts: { equals: Prisma.DbNull } },
        orderBy: { id: "asc" },
        take: batchSize,
        select: { id: true },
      })
    ).map((p) => p.id);
    if (!ids.length) return done;
    afterId = ids[ids.length - 1]!;
    await db.$transaction((tx) => refreshVerdicts(tx, ids), { maxWait: 15_000, timeout: 120_000 });
    done += ids.length;
  }
}
