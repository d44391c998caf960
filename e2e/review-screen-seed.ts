/**
 * Writes the review-screen e2e data (issue 14) into the e2e server's database (DATABASE_URL) and
 * prints what it made as JSON. Run by e2e/review-screen.spec.ts.
 */
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

const out = {
  reject: await dataset("Reject", 4),
  queue: await dataset("Queue", 16),
};

await db.$disconnect();
process.stdout.write(JSON.stringify(out));
