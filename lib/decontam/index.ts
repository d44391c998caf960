/**
 * Stored decontamination: the one write path for Contamination rows and the `contaminated` flags
 * on Seed, Node and Pair (see README.md here for why flags). The matching itself is lib/io/decontam.ts.
 *
 * Every entry point calls in here: the import (seeds), the generation runner (evolved nodes), the
 * review's prompt edit (an edited pair prompt), and the recheck job after a set is uploaded.
 */
import { createHash } from "node:crypto";
import { lockBenchmarkSets } from "../db/benchmark-lock.ts";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { ensureBuiltinBenchmarks } from "../eval/benchmarks.ts";
import { BenchmarkIndex, checkInstruction, type DecontamMatch } from "../io/decontam.ts";
import type { PairFilter } from "../review/pair-query.ts";
import { matchingPairBatch } from "../review/query.ts";

/** Sets checked for decontamination: built-in and uploaded ones (not a dataset's own held-out prompts). */
export const CHECKED_SOURCES = ["builtin", "upload"] as const;

export type CheckedSet = { id: number; name: string; prompts: number; hash: string; index: BenchmarkIndex };

// Built once per process per set: keyed by set id and creation time (a set's prompts are stored
// with it, in one transaction, and never change; a removed set's id is never reused).
const cache = new Map<string, Promise<CheckedSet>>();
// The last list of sets seen, by its version (see setsVersion).
let current: { version: string; sets: Promise<CheckedSet[]> } | null = null;

/** checkedSets, after storing the built-in sets if missing (needs a client, not a transaction). */
export async function loadCheckedSets(db: Db): Promise<CheckedSet[]> {
  // Two processes may store the built-in set at once: the loser's unique-name error is harmless.
  await ensureBuiltinBenchmarks(db).catch(async (error: unknown) => {
    if (!(await db.benchmarkSet.count({ where: { source: "builtin" } }))) throw error;
  });
  return checkedSets(db);
}

type SetRow = { id: number; name: string; createdAt: Date };

/** The checked sets' ids, names and creation times: one small indexed read, no prompts. */
async function checkedSetRows(db: DbOrTx): Promise<{ rows: SetRow[]; version: string }> {
  const rows = await db.benchmarkSet.findMany({
    where: { source: { in: [...CHECKED_SOURCES] } },
    select: { id: true, name: true, createdAt: true },
    orderBy: { id: "asc" },
  });
  return { rows, version: rows.map((r) => `${r.id}:${r.createdAt.getTime()}`).join(",") };
}

/**
 * The sets every instruction is checked against, each indexed once per process. Costs one small
 * query (the list of sets) when nothing changed; a set's prompts are read only when it is new.
 */
export async function checkedSets(db: DbOrTx): Promise<CheckedSet[]> {
  return (await versionedSets(db)).sets;
}

async function versionedSets(db: DbOrTx): Promise<{ version: string; sets: CheckedSet[] }> {
  const { rows, version } = await checkedSetRows(db);
  if (current?.version !== version) {
    const sets = Promise.all(rows.map((row) => indexedSet(db, row)));
    current = { version, sets };
    const keys = new Set(rows.map((r) => `${r.id}:${r.createdAt.getTime()}`));
    for (const key of cache.keys()) if (!keys.has(key)) cache.delete(key);
  }
  const mine = current;
  try {
    return { version, sets: await mine.sets };
  } catch (error) {
    if (current === mine) current = null; // a failed load is not kept
    throw error;
  }
}

/**
 * The sets this process loaded last, with no query when it has them (else versionedSets). For a
 * check that storeNodeCheck confirms: it compares the version with the stored one in the
 * transaction that writes the nodes, and matches again if the sets changed. (Through the client a
 * query waits for the transaction the process has open: on a busy worker, its group commit.)
 */
async function lastLoadedSets(db: Db): Promise<{ version: string; sets: CheckedSet[] }> {
  const known = current;
  if (known) {
    const sets = await known.sets.catch(() => null);
    if (sets) return { version: known.version, sets };
  }
  return versionedSets(db); // not loaded yet, or the load failed: this one reports its own error
}

function indexedSet(db: DbOrTx, row: SetRow): Promise<CheckedSet> {
  const key = `${row.id}:${row.createdAt.getTime()}`;
  let set = cache.get(key);
  if (!set) {
    set = (async () => {
      const prompts = await db.benchmarkPrompt.findMany({
        where: { setId: row.id },
        select: { position: true, prompt: true },
        orderBy: { position: "asc" },
      });
      const hash = createHash("sha256");
      for (const p of prompts) hash.update(p.prompt).update("\n");
      // The n-gram index is built on first use: an export's manifest only needs the name, count and hash
      // (building it cost ~0.25 CPU s per `ecd export`).
      let index: BenchmarkIndex | undefined;
      return {
        id: row.id,
        name: row.name,
        prompts: prompts.length,
        hash: hash.digest("hex"),
        get index() {
          return (index ??= new BenchmarkIndex(row.name, prompts));
        },
      };
    })();
    set.catch(() => cache.delete(key));
    cache.set(key, set);
  }
  return set;
}

type Target = { seedId: number } | { nodeId: number } | { pairId: number };
export type Finding = { target: Target; text: string; constraintTexts?: readonly string[] };
export type StoredMatch = DecontamMatch & { setId: number; target: Target };

/** Checks texts against the sets; the matches, one per (text, set) at most. */
export function findMatches(sets: readonly CheckedSet[], findings: readonly Finding[]): StoredMatch[] {
  const bySetName = new Map(sets.map((s) => [s.name, s.id]));
  const indexes = sets.map((s) => s.index);
  return findings.flatMap((f) =>
    checkInstruction(indexes, f.text, f.constraintTexts ?? []).map((m) => ({
      ...m,
      setId: bySetName.get(m.set)!,
      target: f.target,
    })),
  );
}

const targetWhere = (targets: readonly Target[]) => ({
  OR: [
    { seedId: { in: targets.flatMap((t) => ("seedId" in t ? [t.seedId] : [])) } },
    { nodeId: { in: targets.flatMap((t) => ("nodeId" in t ? [t.nodeId] : [])) } },
    { pairId: { in: targets.flatMap((t) => ("pairId" in t ? [t.pairId] : [])) } },
  ],
});

/**
 * Stores the result of checking `targets` against `setIds` (all checked sets when omitted): their
 * earlier rows for those sets are replaced by `matches`; then the flags of the seeds involved are
 * recomputed. The only writer of Contamination rows and the flags.
 */
export async function storeMatches(
  tx: Tx,
  datasetId: number,
  targets: readonly Target[],
  matches: readonly StoredMatch[],
  setIds?: readonly number[],
): Promise<void> {
  if (targets.length === 0) return;
  await tx.contamination.deleteMany({
    where: { ...targetWhere(targets), ...(setIds ? { setId: { in: [...setIds] } } : {}) },
  });
  if (matches.length)
    await tx.contamination.createMany({
      data: matches.map((m) => ({
        datasetId,
        ...m.target,
        setId: m.setId,
        position: m.position,
        overlap: m.overlap,
        exact: m.reason === "equal",
      })),
    });
  const seedIds = new Set<number>();
  for (const t of targets) if ("seedId" in t) seedIds.add(t.seedId);
  const nodeIds = targets.flatMap((t) => ("nodeId" in t ? [t.nodeId] : []));
  const pairIds = targets.flatMap((t) => ("pairId" in t ? [t.pairId] : []));
  if (nodeIds.length)
    for (const n of await tx.node.findMany({ where: { id: { in: nodeIds } }, select: { seedId: true } }))
      seedIds.add(n.seedId);
  if (pairIds.length)
    for (const p of await tx.pair.findMany({
      where: { id: { in: pairIds } },
      select: { node: { select: { seedId: true } } },
    }))
      seedIds.add(p.node.seedId);
  await refreshFlags(tx, [...seedIds]);
}

/**
 * Recomputes the flags of these seeds' trees from the stored rows: a seed is contaminated when it
 * has a row; a node when it, an ancestor or its seed has one; a pair when its node is or its
 * edited prompt has one. Work is per seed, so a generation task touches only its own tree.
 */
export async function refreshFlags(tx: Tx, seedIds: readonly number[]): Promise<void> {
  for (let i = 0; i < seedIds.length; i += 500) {
    const ids = seedIds.slice(i, i + 500);
    const rows = await tx.contamination.findMany({
      where: {
        OR: [{ seedId: { in: ids } }, { node: { seedId: { in: ids } } }, { pair: { node: { seedId: { in: ids } } } }],
      },
      select: { seedId: true, nodeId: true, pairId: true },
    });
    const seeds = new Set(rows.flatMap((r) => (r.seedId === null ? [] : [r.seedId])));
    const ownNodes = new Set(rows.flatMap((r) => (r.nodeId === null ? [] : [r.nodeId])));
    const ownPairs = rows.flatMap((r) => (r.pairId === null ? [] : [r.pairId]));
    const nodes = await tx.node.findMany({
      where: { seedId: { in: ids } },
      select: { id: true, parentId: true, seedId: true },
      orderBy: [{ depth: "asc" }, { id: "asc" }],
    });
    const flagged = new Set<number>();
    for (const n of nodes)
      if (seeds.has(n.seedId) || ownNodes.has(n.id) || (n.parentId !== null && flagged.has(n.parentId)))
        flagged.add(n.id);
    const on = [...flagged];
    const off = nodes.filter((n) => !flagged.has(n.id)).map((n) => n.id);
    await tx.seed.updateMany({ where: { id: { in: ids } }, data: { contaminated: false } });
    if (seeds.size) await tx.seed.updateMany({ where: { id: { in: [...seeds] } }, data: { contaminated: true } });
    for (const [list, value] of [
      [on, true],
      [off, false],
    ] as const)
      for (let j = 0; j < list.length; j += 1000) {
        const slice = list.slice(j, j + 1000);
        await tx.node.updateMany({ where: { id: { in: slice }, contaminated: !value }, data: { contaminated: value } });
        await tx.pair.updateMany({
          where: { nodeId: { in: slice }, contaminated: !value, ...(value ? {} : { id: { notIn: ownPairs } }) },
          data: { contaminated: value },
        });
      }
    if (ownPairs.length) await tx.pair.updateMany({ where: { id: { in: ownPairs } }, data: { contaminated: true } });
  }
}

/** A seed about to be imported, by its content hash, and its matches (see matchImportedSeeds). */
export type ImportedSeedMatches = Map<string, StoredMatch[]>;

/** A seed of an import batch, as it is checked. */
export type ImportedSeedText = { contentHash: string; text: string; constraintTexts: readonly string[] };

/** An import batch checked against the sets of `version` (checkImportedSeeds rechecks if they changed). */
export type ImportedSeedCheck = { version: string; seeds: readonly ImportedSeedText[]; matched: ImportedSeedMatches };

/**
 * Seeds about to be imported, checked against the current sets (CPU: the import runs it before the
 * batch's short transaction, not inside it; the list of sets costs one small query). Only seeds with
 * a match are in `matched`, keyed by content hash; their target is filled in by checkImportedSeeds
 * once the seed ids are known.
 */
export async function matchImportedSeeds(db: DbOrTx, seeds: readonly ImportedSeedText[]): Promise<ImportedSeedCheck> {
  const { version, sets } = await versionedSets(db);
  return { version, seeds, matched: matchSeeds(sets, seeds) };
}

function matchSeeds(sets: readonly CheckedSet[], seeds: readonly ImportedSeedText[]): ImportedSeedMatches {
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

/**
 * Seeds just imported (ids by content hash): their matches stored; how many overlap each set. A set
 * added or removed since the batch was matched (an upload during a long import) is matched here,
 * inside the transaction; lockBenchmarkSets keeps the two in order on PostgreSQL.
 */
export async function checkImportedSeeds(
  tx: Tx,
  datasetId: number,
  check: ImportedSeedCheck,
  ids: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  const now = await versionedSetsIfChanged(tx, check.version);
  const matched = now ? matchSeeds(now, check.seeds) : check.matched;
  const perSet = new Map<string, number>();
  const matches: StoredMatch[] = [];
  const hit: Target[] = [];
  for (const [hash, found] of matched) {
    const seedId = ids.get(hash);
    if (seedId === undefined) continue; // not inserted (a duplicate)
    hit.push({ seedId });
    for (const m of found) {
      matches.push({ ...m, target: { seedId } });
      perSet.set(m.set, (perSet.get(m.set) ?? 0) + 1);
    }
  }
  // A slice at a time: refreshFlags' queries list each seed id three times (Prisma's SQLite limit is 999 parameters).
  for (let i = 0; i < hit.length; i += 250) {
    const slice = hit.slice(i, i + 250);
    const ids = new Set(slice.map((t) => (t as { seedId: number }).seedId));
    await storeMatches(
      tx,
      datasetId,
      slice,
      matches.filter((m) => ids.has((m.target as { seedId: number }).seedId)),
    );
  }
  return perSet;
}

/** An evolved instruction a generation task is about to write, by its pipeline key. */
export type NewNode = { key: string; instruction: string; constraints: unknown };

/**
 * A generation task's evolved instructions checked against the sets, before its write
 * transaction (the matching is the costly part; the transaction only stores what it found).
 */
export type NodeCheck = { version: string; nodes: readonly NewNode[]; matches: (StoredMatch & { key: string })[] };

export async function checkNewNodes(db: Db, nodes: readonly NewNode[]): Promise<NodeCheck> {
  const { version, sets } = await lastLoadedSets(db);
  return { version, nodes, matches: matchNodes(sets, nodes) };
}

function matchNodes(sets: readonly CheckedSet[], nodes: readonly NewNode[]): NodeCheck["matches"] {
  const keyOf = new Map(nodes.map((n, i) => [i, n.key]));
  return findMatches(
    sets,
    nodes.map((n, i) => ({
      target: { nodeId: i },
      text: n.instruction,
      constraintTexts: constraintTextsOf(n.constraints),
    })),
  ).map((m) => ({ ...m, key: keyOf.get((m.target as { nodeId: number }).nodeId)! }));
}

/**
 * Stores a NodeCheck for the nodes a generation task just inserted (`nodeIds` by key), inside its
 * write transaction, and gives them their flags before the pairs copy them. When the sets changed
 * since the check, it is redone here against the current ones (rare: a set was just uploaded or
 * removed), so no node is written unchecked against a set whose recheck job may have passed it.
 * Without matches the new nodes only inherit their seed's flag (a depth-0 node has no rows).
 * Returns that flag, which every checked node now has; null when matches were stored (flags then
 * differ per node: read them).
 */
export async function storeNodeCheck(
  tx: Tx,
  check: NodeCheck,
  target: { datasetId: number; seedId: number; nodeIds: ReadonlyMap<string, number> },
): Promise<boolean | null> {
  if (check.nodes.length === 0) return null;
  let { matches } = check;
  const now = await versionedSetsIfChanged(tx, check.version);
  if (now) matches = matchNodes(now, check.nodes);
  const ids = check.nodes.map((n) => target.nodeIds.get(n.key)!);
  if (matches.length) {
    await storeMatches(
      tx,
      target.datasetId,
      ids.map((nodeId) => ({ nodeId })),
      matches.map(({ key, ...m }) => ({ ...m, target: { nodeId: target.nodeIds.get(key)! } })),
    );
    return null;
  }
  const seed = await tx.seed.findUnique({ where: { id: target.seedId }, select: { contaminated: true } });
  if (seed?.contaminated && ids.length)
    await tx.node.updateMany({ where: { id: { in: ids } }, data: { contaminated: true } });
  return seed?.contaminated ?? false;
}

/**
 * Inside a write transaction: the current sets if their version is no longer `version`, else null.
 * Takes the shared benchmark lock first (PostgreSQL), so no set changes until the transaction ends;
 * on SQLite the transaction's write lock does the same. So the version is read once per
 * transaction, however many tasks a group commit stores in it.
 */
async function versionedSetsIfChanged(tx: Tx, version: string): Promise<CheckedSet[] | null> {
  let stored = versionInTransaction.get(tx);
  if (!stored) {
    stored = lockBenchmarkSets(tx, "check").then(async () => (await checkedSetRows(tx)).version);
    versionInTransaction.set(tx, stored);
  }
  return (await stored) === version ? null : (await versionedSets(tx)).sets;
}
const versionInTransaction = new WeakMap<Tx, Promise<string>>();

/**
 * Nodes already stored (a re-run that found its rows): read back, checked and stored, flags
 * refreshed for the whole seed tree.
 */
export async function checkWrittenNodes(tx: Tx, datasetId: number, seedId: number, nodeIds: readonly number[]) {
  const sets = await checkedSets(tx);
  const nodes = await tx.node.findMany({
    where: { id: { in: [...nodeIds] }, depth: { gt: 0 } },
    select: { id: true, instruction: true, constraints: true },
  });
  const matches = findMatches(
    sets,
    nodes.map((n) => ({
      target: { nodeId: n.id },
      text: n.instruction,
      constraintTexts: constraintTextsOf(n.constraints),
    })),
  );
  if (matches.length)
    await storeMatches(
      tx,
      datasetId,
      nodes.map((n) => ({ nodeId: n.id })),
      matches,
    );
  else await refreshFlags(tx, [seedId]); // the new nodes inherit their seed's and ancestors' flags
}

/** A prompt a person edited, on save: the pair's own row is replaced, its flag recomputed. */
export async function checkEditedPrompt(tx: Tx, datasetId: number, pairId: number, prompt: string | null) {
  const sets = await checkedSets(tx);
  const matches = prompt ? findMatches(sets, [{ target: { pairId }, text: prompt }]) : [];
  await storeMatches(tx, datasetId, [{ pairId }], matches);
}

/** The texts of a node's stored constraints (they are cut as the prompt's own boilerplate). */
export function constraintTextsOf(constraints: unknown): string[] {
  return Array.isArray(constraints)
    ? constraints.flatMap((c) => (c && typeof c === "object" && typeof c.text === "string" ? [c.text as string] : []))
    : [];
}

export type NodeContamination = { set: string; position: number; overlap: number; from: "seed" | "node" | "ancestor" };

/**
 * The matches behind each contaminated node of a seed's tree, for the tree's flag: the seed's own,
 * the node's own, and those it inherits from its ancestors. Nodes without any are left out.
 */
export async function treeContamination(db: DbOrTx, seedId: number): Promise<Map<number, NodeContamination[]>> {
  const out = new Map<number, NodeContamination[]>();
  const rows = await db.contamination.findMany({
    where: { OR: [{ seedId }, { node: { seedId } }] },
    select: { seedId: true, nodeId: true, position: true, overlap: true, set: { select: { name: true } } },
  });
  if (rows.length === 0) return out;
  const nodes = await db.node.findMany({
    where: { seedId },
    select: { id: true, parentId: true },
    orderBy: [{ depth: "asc" }, { id: "asc" }],
  });
  const match = (r: (typeof rows)[number], from: NodeContamination["from"]) => ({
    set: r.set.name,
    position: r.position,
    overlap: r.overlap,
    from,
  });
  const seedRows = rows.filter((r) => r.seedId !== null).map((r) => match(r, "seed"));
  for (const n of nodes) {
    const inherited =
      n.parentId === null
        ? seedRows
        : (out.get(n.parentId) ?? []).map((m) => (m.from === "node" ? { ...m, from: "ancestor" as const } : m));
    const own = rows.filter((r) => r.nodeId === n.id).map((r) => match(r, "node"));
    if (own.length || inherited.length) out.set(n.id, [...own, ...inherited]);
  }
  return out;
}

/** The manifest's decontamination section: what was checked, and the contaminated pairs per set. */
export type DecontaminationSection = {
  /** The sets checked, with their prompt counts and a sha256 of their prompts (one per line, in order). */
  sets: { name: string; prompts: number; sha256: string }[];
  /** True when the export kept contaminated pairs (`--allow-contaminated`). */
  allowContaminated: boolean;
  /** Pairs matching the export's other filters that are contaminated: left out, unless allowed. */
  contaminatedPairs: number;
  removedPairs: number;
  /** Contaminated pairs per set they match (a pair may match several sets). */
  pairsBySet: Record<string, number>;
};

/**
 * Counts the contaminated pairs among those a filter selects (`filter` without its contamination
 * key), and which sets each matches: its seed's rows, its node's and its ancestors' rows, and its
 * edited prompt's row. Reads a batch of pairs at a time.
 */
export async function decontaminationSection(
  db: Db,
  datasetId: number,
  filter: PairFilter,
  allowContaminated: boolean,
): Promise<DecontaminationSection> {
  const sets = await loadCheckedSets(db);
  const pairsBySet: Record<string, number> = {};
  let contaminatedPairs = 0;
  const BATCH = 300; // ids appear twice per query: well within SQLite's parameter limit
  const contaminatedOnly: PairFilter = { ...filter, contamination: "contaminated" };
  for (let last = 0; ;) {
    const ids = (await matchingPairBatch(db, datasetId, contaminatedOnly, last, BATCH)).map((p) => p.id);
    if (ids.length === 0) break;
    last = ids[ids.length - 1]!;
    contaminatedPairs += ids.length;
    const pairs = await db.pair.findMany({
      where: { id: { in: ids } },
      select: { id: true, nodeId: true, node: { select: { seedId: true } } },
    });
    const seedIds = [...new Set(pairs.map((p) => p.node.seedId))];
    const [nodes, rows] = await Promise.all([
      db.node.findMany({ where: { seedId: { in: seedIds } }, select: { id: true, parentId: true } }),
      db.contamination.findMany({
        where: { OR: [{ seedId: { in: seedIds } }, { node: { seedId: { in: seedIds } } }, { pairId: { in: ids } }] },
        select: { seedId: true, nodeId: true, pairId: true, set: { select: { name: true } } },
      }),
    ]);
    const parent = new Map(nodes.map((n) => [n.id, n.parentId]));
    const setsOf = (key: "seedId" | "nodeId" | "pairId", id: number) =>
      rows.filter((r) => r[key] === id).map((r) => r.set.name);
    for (const pair of pairs) {
      const names = new Set([...setsOf("seedId", pair.node.seedId), ...setsOf("pairId", pair.id)]);
      for (let node: number | null | undefined = pair.nodeId; node; node = parent.get(node))
        for (const name of setsOf("nodeId", node)) names.add(name);
      for (const name of names) pairsBySet[name] = (pairsBySet[name] ?? 0) + 1;
    }
    if (ids.length < BATCH) break;
  }
  return {
    sets: sets.map((s) => ({ name: s.name, prompts: s.prompts, sha256: s.hash })),
    allowContaminated,
    contaminatedPairs,
    removedPairs: allowContaminated ? 0 : contaminatedPairs,
    pairsBySet,
  };
}
