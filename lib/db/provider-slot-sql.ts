import type { Db } from "./client.ts";
import { type SqlDialect, sqlDialect } from "./dialect.ts";
import { Prisma } from "./generated/client.ts";

/**
 * The ProviderSlot statements (lib/llm/provider-slots.ts is their only caller): a provider's
 * `concurrency` as rows 0…limit-1 that a call takes with one conditional UPDATE and gives back
 * with another. Never find-then-update: the take statement picks and claims a free slot in one
 * statement; PostgreSQL also locks the chosen row with `FOR UPDATE SKIP LOCKED` (concurrent
 * takers skip each other's row) and the outer WHERE repeats the "free" test, so a slot taken by a
 * concurrent transaction between the sub-select and the update is never taken twice. On SQLite
 * the statement runs under the database's write lock.
 */

/** Creates the slot rows 0…count-1 of `provider` that do not exist yet (idempotent). */
export async function ensureProviderSlots(db: Db, provider: string, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, slot) => Prisma.sql`(${provider}, ${slot})`);
  for (let i = 0; i < rows.length; i += 200)
    await db.$executeRaw`INSERT INTO "ProviderSlot" ("provider", "slot") VALUES ${Prisma.join(rows.slice(i, i + 200))} ON CONFLICT DO NOTHING`;
}

export function takeProviderSlotSql(options: {
  provider: string;
  limit: number;
  holder: string;
  now: Date;
  leaseUntil: Date;
  dialect?: SqlDialect;
}): Prisma.Sql {
  const { provider, limit, holder, now, leaseUntil } = options;
  const lock = (options.dialect ?? sqlDialect()) === "postgres" ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
  return Prisma.sql`
    UPDATE "ProviderSlot"
       SET "holder" = ${holder}, "leaseExpiresAt" = ${leaseUntil}
     WHERE "provider" = ${provider}
       AND "slot" = (
         SELECT s."slot" FROM "ProviderSlot" s
          WHERE s."provider" = ${provider} AND s."slot" < ${limit}
            AND (s."holder" IS NULL OR s."leaseExpiresAt" < ${now})
          ORDER BY s."slot" LIMIT 1 ${lock})
       AND ("holder" IS NULL OR "leaseExpiresAt" < ${now})
    RETURNING "slot"`;
}

/** Takes a free slot (or one whose lease expired) for `holder` until `leaseUntil`: its number, or null when all are held. */
export async function takeProviderSlot(
  db: Db,
  options: Parameters<typeof takeProviderSlotSql>[0],
): Promise<number | null> {
  const [row] = await db.$queryRaw<{ slot: number | bigint }[]>(takeProviderSlotSql(options));
  return row ? Number(row.slot) : null;
}

/** Gives a slot back, if `holder` still holds it (after its lease expired someone else may). */
export async function releaseProviderSlot(
  db: Db,
  o: { provider: string; slot: number; holder: string },
): Promise<void> {
  await db.$executeRaw`UPDATE "ProviderSlot" SET "holder" = NULL, "leaseExpiresAt" = NULL
    WHERE "provider" = ${o.provider} AND "slot" = ${o.slot} AND "holder" = ${o.holder}`;
}

/** Extends the leases of the slots these holders hold. */
export async function renewProviderSlots(db: Db, holders: readonly string[], leaseUntil: Date): Promise<void> {
  if (!holders.length) return;
  await db.$executeRaw`UPDATE "ProviderSlot" SET "leaseExpiresAt" = ${leaseUntil} WHERE "holder" IN (${Prisma.join(holders)})`;
}

export type ProviderSlotRow = { provider: string; slot: number; holder: string | null; leaseExpiresAt: Date | null };

/** A provider's slot rows in slot order (tests and diagnostics). */
export async function listProviderSlots(db: Db, provider: string): Promise<ProviderSlotRow[]> {
  return db.providerSlot.findMany({ where: { provider }, orderBy: { slot: "asc" } });
}
