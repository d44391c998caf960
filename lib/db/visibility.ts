import { Prisma } from "./generated/client.ts";

/**
 * THE rule of which seeds exist for readers. A seed written by an import (`Seed.importId`) is
 * invisible until that import is committed (lib/io/import.ts writes its rows in short batches and
 * commits with one small write); a seed made any other way (`importId` null) is always visible.
 * A node, and everything hanging off it, is visible when its seed is. Pairs need no filter: they
 * are made by jobs, and jobs only pick visible seeds.
 *
 * Cost: a committed or seedless row is decided on the row itself (`importId IS NULL`) or by a
 * lookup in the small SeedImport table; nothing is updated in bulk at commit.
 */

/** Visible seeds, as a Prisma `where` (for `db.seed`). */
export const VISIBLE_SEED = {
  OR: [{ importId: null }, { seedImport: { status: "committed" } }],
} satisfies Prisma.SeedWhereInput;

/** Nodes of visible seeds, as a Prisma `where` (for `db.node`). */
export const VISIBLE_NODE = { seed: VISIBLE_SEED } satisfies Prisma.NodeWhereInput;

/** The same rule as SQL, on the seed row aliased `alias` (the twin of VISIBLE_SEED). */
export function visibleSeedSql(alias: string): Prisma.Sql {
  const importId = Prisma.raw(`${alias}."importId"`);
  return Prisma.sql`(${importId} IS NULL OR ${importId} IN (SELECT i."id" FROM "SeedImport" i WHERE i."status" = 'committed'))`;
}
