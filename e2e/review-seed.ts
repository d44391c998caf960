/**
 * Writes the review e2e data into the e2e server's database (DATABASE_URL) and prints what it
 * made as JSON. Run by e2e/review.spec.ts: `node --import tsx e2e/review-seed.ts`.
 */
import { createUser } from "../lib/auth/users.ts";
import { configureDatabase, createDb } from "../lib/db/client.ts";
import { createPair } from "../lib/review/pairs.ts";
import {
  AT_LEAST_10_WORDS,
  createFixtureDataset,
  createFixturePair,
  createFixturePairs,
  FREE_TONE,
  LOWERCASE,
  NO_COMMA,
} from "../test/fixtures/pairs.ts";

const db = createDb();
await configureDatabase(db);
const stamp = Date.now().toString(36);

const annotator = { email: `reviewer-${stamp}@e2e.test`, password: "reviewer-pass-1" };
await createUser(db, { ...annotator, role: "annotator" }, null);

// Keyboard: seven pairs, five get decided.
const keyboard = await createFixtureDataset(db, { name: `Keyboard ${stamp}` });
await createFixturePairs(db, keyboard.id, 7);

// Edit: the chosen response passes "no commas" and "at least 10 words".
const editDs = await createFixtureDataset(db, { name: `Edit ${stamp}` });
const edit = await createFixturePair(db, {
  datasetId: editDs.id,
  constraints: [NO_COMMA, AT_LEAST_10_WORDS, FREE_TONE],
  chosen: "a calm walk under tall trees with birds singing and children playing near the pond",
  rejected: "A calm walk, under tall trees.",
});

// Override: a lowercase-only prompt whose chosen response passes it.
const overrideDs = await createFixtureDataset(db, { name: `Override ${stamp}` });
const override = await createFixturePair(db, {
  datasetId: overrideDs.id,
  constraints: [LOWERCASE],
  chosen: "a quiet walk under tall trees with birds singing",
  rejected: "A Quiet Walk.",
});

// Conflict: one pair two people open at once.
const conflictDs = await createFixtureDataset(db, { name: `Conflict ${stamp}` });
const conflict = await createFixturePair(db, { datasetId: conflictDs.id });

// Markup in a response must stay text; markdown links, images and tables must not smuggle it in.
const xssDs = await createFixtureDataset(db, { name: `Markup ${stamp}` });
const xss = await createFixturePair(db, {
  datasetId: xssDs.id,
  constraints: [LOWERCASE],
  seedInstruction: "Explain <b>HTML</b> <script>window.__xss = 3</script>",
  chosen:
    'Here is **bold** text.\n\n<script>window.__xss = 1</script>\n\n<img src=x onerror="window.__xss = 2">\n\n[click](javascript:window.__xss=4)' +
    " [data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9Njwvc2NyaXB0Pg==)" +
    " ![pixel](https://example.invalid/p.gif) ![inline](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3hzcz03Ij48L3N2Zz4=)" +
    '\n\n| a | b |\n|---|---|\n| <b onmouseover="window.__xss=8">cell</b> | <iframe src="javascript:window.__xss=9"></iframe> |',
  rejected: '<iframe src="javascript:window.__xss=5"></iframe> plain',
});

// Table: 120 varied pairs.
const tableDs = await createFixtureDataset(db, { name: `Table ${stamp}` });
await createFixturePairs(db, tableDs.id, 120);

// Tree: seed → d1 → d2 → d3, a dropped candidate at depth 2, pairs on d1 and d3.
const treeDs = await createFixtureDataset(db, { name: `Tree ${stamp}` });
const tree = await createFixturePair(db, {
  datasetId: treeDs.id,
  depth: 3,
  constraints: [NO_COMMA, LOWERCASE, AT_LEAST_10_WORDS],
  seedInstruction: "Describe a lighthouse.",
  chosen: "a tall white lighthouse stands on the rocks and guides the ships home every night",
});
const [seedNode, d1] = tree.chainNodeIds;
const dropped = await db.node.create({
  data: {
    datasetId: treeDs.id,
    seedId: tree.seedId,
    parentId: d1!,
    depth: 2,
    instruction: "Describe a lighthouse. Do not use any commas.",
    constraints: [NO_COMMA] as object[],
    operation: "add_verifiable_constraint",
    status: "dropped",
    dropReason: "equal to its parent's requirements",
  },
});
const d1Chosen = await db.response.create({
  data: { nodeId: d1!, text: "a lighthouse by the sea", role: "responder", provider: "rule-based", verification: [] },
});
const seedResponse = await db.response.create({
  data: {
    nodeId: seedNode!,
    text: "A lighthouse, by the sea.",
    role: "responder",
    provider: "openai",
    model: "gpt-4o-mini",
    verification: [],
  },
});
const d1Pair = await createPair(db, {
  datasetId: treeDs.id,
  nodeId: d1!,
  chosenId: d1Chosen.id,
  rejectedId: seedResponse.id,
  method: "ecd",
});

await db.$disconnect();
process.stdout.write(
  JSON.stringify({
    annotator,
    keyboard: { id: keyboard.id },
    edit: { id: editDs.id, pairId: edit.pairId, chosenId: edit.chosenId },
    override: { id: overrideDs.id, pairId: override.pairId },
    conflict: { id: conflictDs.id, pairId: conflict.pairId },
    xss: { id: xssDs.id, pairId: xss.pairId },
    table: { id: tableDs.id },
    tree: {
      id: treeDs.id,
      seedId: tree.seedId,
      nodeIds: tree.chainNodeIds,
      droppedId: dropped.id,
      pairId: tree.pairId,
      d1PairId: d1Pair.id,
    },
  }),
);
