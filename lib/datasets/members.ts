import { z } from "zod";
import { recordAudit } from "../audit.ts";
import type { Db } from "../db/client.ts";
import { DomainError } from "../errors.ts";
import { getDataset } from "./index.ts";

/**
 * Members: the annotators admitted to a dataset (lib/auth/dataset-access.ts reads them on every
 * request). The one write path for DatasetMember rows; every change is audited.
 */

export const memberEmailSchema = z.string().trim().toLowerCase().email("email: not an email address");

export type MemberRow = { userId: number; email: string; name: string; role: string; addedAt: Date };

async function annotatorByEmail(db: Db, email: string) {
  const parsed = memberEmailSchema.safeParse(email);
  if (!parsed.success) throw new DomainError(parsed.error.issues[0].message, "invalid", "email");
  const user = await db.user.findUnique({
    where: { email: parsed.data },
    select: { id: true, email: true, role: true },
  });
  if (!user) throw new DomainError(`email: no user with the email ${parsed.data}`, "not_found", "email");
  if (user.role !== "annotator")
    throw new DomainError(
      `email: ${user.email} is a ${user.role}, who sees every dataset; only annotators are members`,
      "invalid",
      "email",
    );
  return user;
}

export async function addMember(db: Db, datasetId: number, email: string, actorId: number | null): Promise<MemberRow> {
  await getDataset(db, datasetId);
  const user = await annotatorByEmail(db, email);
  await db.$transaction(async (tx) => {
    const existing = await tx.datasetMember.findUnique({ where: { datasetId_userId: { datasetId, userId: user.id } } });
    if (existing) return;
    await tx.datasetMember.create({ data: { datasetId, userId: user.id, addedById: actorId } });
    await recordAudit(tx, {
      userId: actorId,
      action: "dataset.member_add",
      entityType: "dataset",
      entityId: datasetId,
      data: { userId: user.id, email: user.email },
    });
  });
  return (await listMembers(db, datasetId)).find((m) => m.userId === user.id)!;
}

export async function removeMember(db: Db, datasetId: number, email: string, actorId: number | null): Promise<void> {
  await getDataset(db, datasetId);
  const user = await annotatorByEmail(db, email);
  await db.$transaction(async (tx) => {
    const removed = await tx.datasetMember.deleteMany({ where: { datasetId, userId: user.id } });
    if (removed.count === 0)
      throw new DomainError(`email: ${user.email} is not a member of this dataset`, "not_found", "email");
    await recordAudit(tx, {
      userId: actorId,
      action: "dataset.member_remove",
      entityType: "dataset",
      entityId: datasetId,
      data: { userId: user.id, email: user.email },
    });
  });
}

export async function listMembers(db: Db, datasetId: number): Promise<MemberRow[]> {
  const rows = await db.datasetMember.findMany({
    where: { datasetId },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true, user: { select: { id: true, email: true, name: true, role: true } } },
  });
  return rows.map((r) => ({
    userId: r.user.id,
    email: r.user.email,
    name: r.user.name,
    role: r.user.role,
    addedAt: r.createdAt,
  }));
}
