import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb } from "./lib/db/client.ts";
import { migrateDeploy } from "./lib/db/migrate.ts";
const url = `file:${path.join(mkdtempSync(path.join(tmpdir(), "d-")), "b.db")}`;
process.env.DATABASE_URL = url;
await migrateDeploy(url);
const db = createDb(url);
console.log(await db.dataset.count());
try { await db.$transaction(async (tx) => { await tx.dataset.create({ data: { name: "x", settings: {} } }); throw new Error("abort"); }); } catch (e) { console.log("caught", (e as Error).message); }
console.log(await db.dataset.count());
