import type { Db } from "./db/client.ts";

/** Anything that can write an audit event: the client or a transaction. */
type AuditWriter = Pick<Db, "auditEvent">;

/** Records who did what to which entity. Called inside the same transaction as the change. */
export async function recordAudit(
  db: AuditWriter,
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
