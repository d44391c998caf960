/**
 * Writes the blind A/B e2e data into the e2e server's database (DATABASE_URL) and prints it as
 * JSON: three annotators, a researcher, and a dataset with 3 reviews per pair, adjudication on,
 * blind A/B mode, holding two pairs. Run by e2e/ab-review.spec.ts.
 */
import { createUser } from "../lib/auth/users.ts";
import { configureDatabase, createDb } from "../lib/db/client.ts";
import { createFixtureDataset, createFixturePair, NO_COMMA } from "../test/fixtures/pairs.ts";

const db = createDb();
await configureDatabase(db);
const stamp = Date.now().toString(36);

const password = "ab-reviewer-pass-1";
const annotators = [];
for (const name of ["ann", "bob", "cat"]) {
  const email = `${name}-${stamp}@ab.e2e.test`;
  const user = await createUser(db, { email, password, role: "annotator" }, null);
  annotators.push({ id: user.id, email, password });
}
const researcher = { email: `res-${stamp}@ab.e2e.test`, password };
await createUser(db, { ...researcher, role: "researcher" }, null);

const dataset = await createFixtureDataset(db, { name: `AB ${stamp}` });
await db.dataset.update({
  where: { id: dataset.id },
  data: { settings: { reviewsPerPair: 3, adjudication: true, blind: true, mode: "ab" } },
});
const pairs = [];
for (const i of [1, 2]) {
  const chosen = `pair ${i} calm walk under tall trees with birds singing`;
  const rejected = `Pair ${i}, a calm walk, under tall trees.`;
  const fx = await createFixturePair(db, { datasetId: dataset.id, constraints: [NO_COMMA], chosen, rejected });
  pairs.push({ id: fx.pairId, chosen, rejected });
}

process.stdout.write(JSON.stringify({ datasetId: dataset.id, annotators, researcher, pairs }));
await db.$disconnect();
