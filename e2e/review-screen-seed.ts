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

await db.$disconnect();
process.stdout.write(JSON.stringify(out));
