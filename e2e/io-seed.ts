/**
 * Responses and pairs for the nodes e2e/io.spec.ts imported, written through the write paths the
 * pipelines and the review screen use (createPair, decide, editPair) — never a hand-set status.
 * Run by the spec: `node --import tsx e2e/io-seed.ts DATASET_ID REVIEWER_EMAIL` with the e2e
 * server's DATABASE_URL; prints {acceptedId, editedId} as JSON.
 */
import { configureDatabase, createDb } from "../lib/db/client.ts";
import { decide, editPair } from "../lib/review/decide.ts";
import { createPair } from "../lib/review/pairs.ts";
import { EDITED_PROMPT, HUMAN_EDIT } from "./io-texts.ts";

const [datasetArg, email] = process.argv.slice(2);
const datasetId = Number(datasetArg);
const db = createDb();
await configureDatabase(db);
const reviewer = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, role: true } });
const nodes = await db.node.findMany({ where: { datasetId }, orderBy: { id: "asc" }, select: { id: true } });
if (nodes.length !== 3) throw new Error(`expected 3 imported nodes, found ${nodes.length}`);
const response = async (nodeId: number, text: string, role = "responder", model = "gpt-4o-mini") =>
  (await db.response.create({ data: { nodeId, text, role, provider: "openai", model, verification: [] } })).id;

// Accepted by a vote.
const accepted = await createPair(db, {
  datasetId,
  nodeId: nodes[0]!.id,
  chosenId: await response(nodes[0]!.id, "Crisp leaves drifting / the maple lets go of red / autumn wind answers"),
  rejectedId: await response(nodes[0]!.id, "Autumn is a season.", "responder", "llama-2-7b"),
  method: "ecd",
});
await decide(db, reviewer, { pairId: accepted.id, version: 1, decision: "accept" });
// Pending: not in an "accepted" export.
await createPair(db, {
  datasetId,
  nodeId: nodes[1]!.id,
  chosenId: await response(nodes[1]!.id, "Preference data helps models follow instructions."),
  rejectedId: await response(nodes[1]!.id, "Data.", "student", "llama-2-7b"),
  method: "c2s",
});
// Edited: the reviewer rewrites the prompt and the chosen response, then accepts ("Save and accept").
const edited = await createPair(db, {
  datasetId,
  nodeId: nodes[2]!.id,
  chosenId: await response(nodes[2]!.id, "Nile, Amazon, Danube"),
  rejectedId: await response(nodes[2]!.id, "Rivers are wet.", "student", "llama-2-7b"),
  method: "c2s",
});
await editPair(db, reviewer, {
  pairId: edited.id,
  version: 1,
  prompt: EDITED_PROMPT,
  chosen: HUMAN_EDIT,
  accept: true,
});

await db.$disconnect();
process.stdout.write(JSON.stringify({ acceptedId: accepted.id, editedId: edited.id }));
