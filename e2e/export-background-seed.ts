/**
 * Pairs for e2e/export-background.spec.ts: one pending pair on every node of the dataset, written
 * through lib/review's createPair (the write path the pipelines use). Run by the spec:
 * `node --import tsx e2e/export-background-seed.ts DATASET_ID` with the e2e server's DATABASE_URL;
 * prints {pairs} as JSON.
 */
import { configureDatabase, createDb } from "../lib/db/client.ts";
import { createPair } from "../lib/review/pairs.ts";

const datasetId = Number(process.argv[2]);
const db = createDb();
await configureDatabase(db);
const nodes = await db.node.findMany({ where: { datasetId }, orderBy: { id: "asc" }, select: { id: true } });
for (const [i, node] of nodes.entries()) {
  const response = async (text: string, model: string) =>
    (
      await db.response.create({
        data: { nodeId: node.id, text, role: "responder", provider: "openai", model, verification: [] },
      })
    ).id;
  await createPair(db, {
    datasetId,
    nodeId: node.id,
    chosenId: await response(`A careful answer, number ${i}, that follows the instruction.`, "gpt-4o-mini"),
    rejectedId: await response(`Answer ${i}.`, "llama-2-7b"),
    method: "ecd",
  });
}
await db.$disconnect();
process.stdout.write(JSON.stringify({ pairs: nodes.length }));
