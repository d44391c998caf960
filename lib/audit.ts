import type { Db } from "./db/client.ts";

type DbOrTx = Pick<Db, "auditEvent">;

/** Records who did what to which entity. Called inside the same transaction as the change. */
export async function recordAudit(
  db: DbOrTx,
  event: {
    userId: number | null;
    action: string;
    entityType: string;
    entityId: string | number;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await db.auditEvent.create({
    data: {
      userId: event.userId,
      action: event.action,
      entityType: event.entityType,
      entityId: String(event.entityId),
      data: (event.data ?? {}) as object,
    },
  });
}
