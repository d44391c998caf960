/**
 * Writes the review-screen e2e data (issue 14) into the e2e server's database (DATABASE_URL) and
 * prints what it made as JSON. Run by e2e/review-screen.spec.ts.
 */
import { createUser } from "../lib/auth/users.ts";
import { configureDatabase, createDb } from "../lib/db/client.ts";
import { createFixtureDataset, createFixturePairs } from "../test/fixtures/pairs.ts";

const db = createDb();
await configureDatabase(db);
const stamp = Date.now().toString(36);

const dataset = async (name: string, pairs: number) => {
  const ds = await createFixtureDataset(db, { name: `${name} ${stamp}` });
  await createFixturePairs(db, ds.id, pairs);
  return ds.id;
};

const annotator = { email: `annotator-${stamp}@e2e.test`, password: "annotator-pass-1" };
await createUser(db, { ...annotator, role: "annotator" }, null);

const out = {
  annotator,
  reject: await dataset("Reject", 4),
  queue: await dataset("Queue", 16),
  drafts: await dataset("Drafts", 2),
  comments: await dataset("Comments", 2),
};

// A real tree: five rounds of two branches from the seed (63 nodes) plus five dropped
// candidates (68), the branches spread over four jobs.
const treeDs = await createFixtureDataset(db, { name: `Tree ${stamp}` });
const jobs: number[] = [];
for (let i = 0; i < 4; i += 1)
  jobs.push((await db.job.create({ data: { datasetId: treeDs.id, params: {}, models: {}, status: "done" } })).id);
const seed = await db.seed.create({
  data: {
    datasetId: treeDs.id,
    instruction: "Describe a lighthouse.",
    contentHash: `tree-${stamp}`,
    source: "e2e",
    metadata: {},
  },
});
const root = await db.node.create({
  data: { datasetId: treeDs.id, seedId: seed.id, depth: 0, instruction: seed.instruction, constraints: [] },
});
let level = [{ id: root.id, instruction: root.instruction, job: 0 }];
let deepest = root.id;
for (let depth = 1; depth <= 5; depth += 1) {
  const next = [];
  for (const [i, parent] of level.entries())
    for (const branch of [0, 1]) {
      const job = depth === 1 ? branch * 2 + (i % 2) : parent.job;
      const instruction = `${parent.instruction} Rule ${depth}.${i}.${branch}.`;
      const node = await db.node.create({
        data: {
          datasetId: treeDs.id,
          seedId: seed.id,
          parentId: parent.id,
          depth,
          instruction,
          constraints: [],
          operation: "add_verifiable_constraint",
          jobId: jobs[(job + branch) % 4]!,
        },
      });
      next.push({ id: node.id, instruction, job: (job + branch) % 4 });
      deepest = node.id;
    }
  level = next;
}
const dropped: number[] = [];
for (let i = 0; i < 5; i += 1) {
  const node = await db.node.create({
    data: {
      datasetId: treeDs.id,
      seedId: seed.id,
      parentId: root.id,
      depth: 1,
      instruction: `Describe a lighthouse. Candidate ${i}.`,
      constraints: [],
      operation: "add_verifiable_constraint",
      status: "dropped",
      dropCode: i < 3 ? "equal_to_parent" : "template_leak",
      dropReason: `candidate ${i} was not new`,
      jobId: jobs[i % 4]!,
    },
  });
  dropped.push(node.id);
}
const tree = { id: treeDs.id, seedId: seed.id, rootId: root.id, deepest, dropped, jobs };

await db.$disconnect();
process.stdout.write(JSON.stringify({ ...out, tree }));
