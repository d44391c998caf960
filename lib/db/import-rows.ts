/**
 * The JSON rows an import batch's statements read (lib/db/import-sql.ts: seed row elements 0–5,
 * node row elements 0–2). Apart from import-sql.ts so a worker thread can encode a batch without
 * loading Prisma (lib/io/import-batches.ts).
 */

export type ImportedSeedRow = {
  externalId: string;
  instruction: string;
  input: string;
  referenceResponse: string | null;
  contentHash: string;
  metadata: unknown;
  /** The depth-0 node's text and constraints. */
  nodeInstruction: string;
  constraints: unknown;
};

/**
 * One seed of a batch encoded for the insert: its row of the seeds' parameter, and its depth-0
 * node's row without the seed id (`"text",constraints]`, completed once the id is known). Plain
 * strings, so a worker thread can encode a batch while the previous one is written.
 */
export type EncodedSeed = { contentHash: string; seed: string; nodeTail: string };

export function encodeImportedSeed(r: ImportedSeedRow): EncodedSeed {
  return {
    contentHash: r.contentHash,
    seed: JSON.stringify([
      r.externalId,
      r.instruction,
      r.input,
      r.referenceResponse,
      r.contentHash,
      r.metadata ?? null,
    ]),
    nodeTail: JSON.stringify([r.nodeInstruction, r.constraints ?? null]).slice(1),
  };
}
