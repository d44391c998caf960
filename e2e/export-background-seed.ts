/**
 * Pairs for e2e/export-background.spec.ts: one pending pair on every node of the dataset, written
 * through lib/review's createPair (the write path the pipelines use; test/fixtures/pairs.ts). Run by the spec:
 * `node --import tsx e2e/export-background-seed.ts DATASET_ID` with the e2e server's DATABASE_URL;
 * prints {pairs} as JSON.
 */
import { configureDatabase, createDb } from "../lib/db/client.ts";
import { createPairOnNode } from "../test/fixtures/pairs.ts";

const datasetId = Number(process.argv[2]);
const db = createDb();
await configureDatabase(db);
const nodes = await db.node.findMany({ where: { datasetId }, orderBy: { id: "asc" }, select: { id: true } });
for (const [i, node] of nodes.entries())
  await createPairOnNode(db, {
    datasetId,
    nodeId: node.id,
    chosen: { text: `A careful answer, number ${i}, that follows the instruction.`, model: "gpt-4o-mini" },
    rejected: { text: `Answer ${i}.`, model: "llama-2-7b" },
    method: "ecd",
  });
await db.$disconnect();
process.stdout.write(JSON.stringify({ pairs: nodes.length }));
