import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Db, Tx } from "../db/client.ts";
import { deleteImportedSeedsBatch } from "../db/import-sql.ts";
import type { SeedImportStatus } from "../domain.ts";
import { DomainError } from "../errors.ts";

/**
 * The life of a SeedImport (lib/db/visibility.ts says what its status means to readers):
 * `pending` with a lease its process renews with every batch → `committed` by one small write, or
 * `failed` → its rows removed in batches, then the row itself. A pending import whose lease ran
 * out (its process died) is abandoned: whichever process finds it fails it and removes its rows.
 * Every write of the importing process is fenced by its lease: once another process has failed
 * the import, the importer's next batch or commit finds no pending import it holds, and stops.
 */

/** How long an import's lease lasts without renewal (ECD_IMPORT_LEASE_MS; a batch renews it). */
export function importLeaseMs(): number {
  const ms = Number(process.env.ECD_IMPORT_LEASE_MS ?? 60_000);
  if (!Number.isInteger(ms) || ms < 100) throw new Error("ECD_IMPORT_LEASE_MS must be a whole number of at least 100");
  return ms;
}

/** Rows deleted per statement when an import's rows are removed. */
const REMOVE_BATCH = 2000;

const PENDING: SeedImportStatus = "pending";
const COMMITTED: SeedImportStatus = "committed";
const FAILED: SeedImportStatus = "failed";

export type ImportLease = { id: number; holder: string; leaseMs: number };

/** This process's name as a lease holder (host, pid and a random part, so a reused pid differs). */
function holderName(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/** Starts an import: a pending SeedImport held by this process. */
export async function beginImport(
  db: Db,
  data: { datasetId: number; fileName: string | null; sha256: string },
  leaseMs = importLeaseMs(),
): Promise<ImportLease> {
  const holder = holderName();
  const created = await db.seedImport.create({
    data: { ...data, status: PENDING, holder, leaseUntil: new Date(Date.now() + leaseMs) },
    select: { id: true },
  });
  return { id: created.id, holder, leaseMs };
}

function lostLease(lease: ImportLease) {
  return new DomainError(
    `import ${lease.id} stopped: its lease ran out and another process removed its rows (was it paused for longer than ${Math.round(lease.leaseMs / 1000)} s?)`,
  );
}

/** Renews the lease inside a batch's transaction; refuses (and so rolls the batch back) if it was lost. */
export async function renewLease(tx: Tx, lease: ImportLease): Promise<void> {
  const renewed = await tx.seedImport.updateMany({
    where: { id: lease.id, holder: lease.holder, status: PENDING },
    data: { leaseUntil: new Date(Date.now() + lease.leaseMs) },
  });
  if (renewed.count === 0) throw lostLease(lease);
}

/** The one write that makes an import's rows visible (inside the caller's transaction). */
export async function commitImport(tx: Tx, lease: ImportLease, imported: number): Promise<void> {
  const committed = await tx.seedImport.updateMany({
    where: { id: lease.id, holder: lease.holder, status: PENDING },
    data: { status: COMMITTED, imported, finishedAt: new Date() },
  });
  if (committed.count === 0) throw lostLease(lease);
}

/** Removes a failed import's rows in short batches, then the import itself. Returns the seeds removed. */
async function removeFailedImport(db: Db, importId: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const n = await deleteImportedSeedsBatch(db, importId, REMOVE_BATCH);
    removed += n;
    if (n < REMOVE_BATCH) break;
  }
  await db.seedImport.deleteMany({ where: { id: importId, status: FAILED } });
  return removed;
}

/** An import that ends in an error: failed, its rows removed (best effort: a sweep finishes it otherwise). */
export async function abandonImport(db: Db, lease: ImportLease): Promise<void> {
  try {
    const failed = await db.seedImport.updateMany({
      where: { id: lease.id, holder: lease.holder, status: PENDING },
      data: { status: FAILED, finishedAt: new Date() },
    });
    if (failed.count) await removeFailedImport(db, lease.id);
  } catch {
    // The database refused (the reason the import failed, perhaps): the lease expires and a sweep removes the rows.
  }
}

/**
 * Finds failed imports and pending ones whose lease ran out (their process died), fails them and
 * removes their rows in batches. Any process may run it (an import at its start, the worker's
 * sweep); two at once only share the deleting. Returns the seeds removed.
 */
export async function sweepAbandonedImports(db: Db, now = new Date()): Promise<number> {
  const abandoned = await db.seedImport.findMany({
    where: { OR: [{ status: FAILED }, { status: PENDING, leaseUntil: { lt: now } }] },
    select: { id: true },
    orderBy: { id: "asc" },
    take: 20,
  });
  let removed = 0;
  for (const { id } of abandoned) {
    // Conditional, so a live importer that renewed its lease meanwhile keeps its import.
    await db.seedImport.updateMany({
      where: { id, status: PENDING, leaseUntil: { lt: now } },
      data: { status: FAILED, finishedAt: now },
    });
    if ((await db.seedImport.count({ where: { id, status: FAILED } })) === 0) continue;
    removed += await removeFailedImport(db, id);
  }
  return removed;
}
