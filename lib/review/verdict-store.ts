import type { Prisma } from "../db/generated/client.ts";
import { parseConstraints, parseVerification, type VerificationEntry } from "./types.ts";
import { computePairVerdicts, verdictColumns, type PairVerdicts } from "./verdict-record.ts";

/**
 * Storing the verdict record: the one place that turns a pair's node, responses and stored judge
 * verdicts into Pair.verdicts (+ its summary columns). Called when a pair is created, after an
 * edit or a swap, and by the migration step's backfill.
 */

type Tx = Prisma.TransactionClient;

export type VerdictResponse = { id: number; text: string; role: string; nodeId: number; verification: unknown };

/**
 * The judge verdicts that apply to a response on a pair's node. A response on the pair's node
 * carries them itself; ECD's rejected response lives on the parent node, and the pipeline stored
 * its verdicts against this node in the pair's metadata (rejectedVerification). A human edit is
 * made for one pair and checked against that pair's node: its free-form verdicts are unknown until
 * the background re-check (rejudge.ts) stores the judge's on it.
 */
export function judgedEntries(response: VerdictResponse, pairNodeId: number, metadata: unknown): VerificationEntry[] {
  if (response.role === "human" || response.nodeId === pairNodeId) return parseVerification(response.verification);
  const stored =
    metadata && typeof metadata === "object"
      ? (metadata as { rejectedVerification?: unknown }).rejectedVerification
      : [];
  return parseVerification(stored);
}

export type VerdictSource = {
  method: string;
  nodeId: number;
  metadata: unknown;
  node: { constraints: unknown; parent: { constraints: unknown } | null };
  chosen: VerdictResponse;
  rejected: VerdictResponse;
};

export function verdictsOf(pair: VerdictSource): PairVerdicts {
  return computePairVerdicts({
    method: pair.method,
    constraints: parseConstraints(pair.node.constraints),
    parentConstraints: pair.node.parent ? parseConstraints(pair.node.parent.constraints) : null,
    chosen: { text: pair.chosen.text, judged: judgedEntries(pair.chosen, pair.nodeId, pair.metadata) },
    rejected: { text: pair.rejected.text, judged: judgedEntries(pair.rejected, pair.nodeId, pair.metadata) },
  });
}

const responseSelect = { id: true, text: true, role: true, nodeId: true, verification: true } as const;
export const verdictSourceSelect = {
  id: true,
  method: true,
  nodeId: true,
  metadata: true,
  status: true,
  node: { select: { constraints: true, parent: { select: { constraints: true } } } },
  chosen: { select: responseSelect },
  rejected: { select: responseSelect },
} as const;

/** Whether an accepted pair is an override (its chosen response fails a code-checked constraint). */
export function isOverride(status: string, record: PairVerdicts | null): boolean {
  return status === "accepted" && !!record?.chosenFailsCode;
}

/** Recomputes and stores the verdict record of these pairs (and their override flag). */
export async function refreshVerdicts(tx: Tx, pairIds: readonly number[]): Promise<Map<number, PairVerdicts>> {
  const out = new Map<number, PairVerdicts>();
  if (!pairIds.length) return out;
  const pairs = await tx.pair.findMany({ where: { id: { in: [...pairIds] } }, select: verdictSourceSelect });
  for (const pair of pairs) {
    const record = verdictsOf(pair);
    out.set(pair.id, record);
    await tx.pair.update({
      where: { id: pair.id },
      data: { ...verdictColumns(record), override: isOverride(pair.status, record) },
    });
  }
  return out;
}
