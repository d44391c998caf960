/**
 * Matching seeds against indexed benchmark sets, with no database: what the import's worker thread
 * (lib/io/import-batches.ts) runs, apart from lib/decontam/index.ts and its Prisma imports.
 */
import { type BenchmarkIndex, checkInstruction, type DecontamMatch } from "../io/decontam.ts";

export type Target = { seedId: number } | { nodeId: number } | { pairId: number };
export type StoredMatch = DecontamMatch & { setId: number; target: Target };

/** A set as matching needs it: its id, name and index. */
export type IndexedSet = { id: number; name: string; index: BenchmarkIndex };

/** A seed about to be imported, by its content hash, and its matches (see matchImportedSeeds). */
export type ImportedSeedMatches = Map<string, StoredMatch[]>;

/** A seed of an import batch, as it is checked. */
export type ImportedSeedText = { contentHash: string; text: string; constraintTexts: readonly string[] };

/** The seeds with a match, keyed by content hash; their target is filled in once the seed ids are known. */
export function matchSeeds(sets: readonly IndexedSet[], seeds: readonly ImportedSeedText[]): ImportedSeedMatches {
  const out: ImportedSeedMatches = new Map();
  if (sets.length === 0) return out;
  const bySetName = new Map(sets.map((s) => [s.name, s.id]));
  const indexes = sets.map((s) => s.index);
  for (const seed of seeds) {
    const matches = checkInstruction(indexes, seed.text, seed.constraintTexts);
    if (matches.length)
      out.set(
        seed.contentHash,
        matches.map((m) => ({ ...m, setId: bySetName.get(m.set)!, target: { seedId: 0 } })),
      );
  }
  return out;
}
